"""Every bundled level ships in a non-editable install too (pyproject data-files)."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent


def test_every_bundled_level_is_listed_as_data_files() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    listed = config["tool"]["setuptools"]["data-files"]
    shipped = {Path(target).name for target in listed}
    bundled = {p.name for p in (REPO / "levels").iterdir() if (p / "level.toml").is_file()}
    assert shipped == bundled
    for target, sources in listed.items():
        assert sources == [f"levels/{Path(target).name}/*"]


def _docs() -> list[Path]:
    """The README and the pages under docs/ it links to."""
    return [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def test_every_command_the_readme_names_exists() -> None:
    import re

    from game.cli import build_parser

    text = "\n".join(page.read_text() for page in _docs())
    named = set(re.findall(r"cover-dance ([a-z][a-z-]+)", text))
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert named - commands == set()
    assert {"play", "levels", "check-level", "import", "score", "doctor", "bench"} <= commands


def test_every_page_the_readme_links_and_every_picture_exists() -> None:
    """The README is short and links to docs/; no link (or screenshot) leads nowhere, and
    every page under docs/ is linked from the README."""
    import re

    readme = (REPO / "README.md").read_text()
    for page in _docs():
        for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text()):
            if "://" not in target:
                assert (page.parent / target).exists(), f"{page.name}: {target}"
    assert {f"docs/{p.name}" for p in _docs()[1:]} <= set(re.findall(r"\((docs/[^)#]+)", readme))
    assert len(readme.splitlines()) < 200
