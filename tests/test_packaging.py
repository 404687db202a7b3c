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


def test_every_command_the_readme_names_exists() -> None:
    import re

    from game.cli import build_parser

    named = set(re.findall(r"cover-dance ([a-z][a-z-]+)", (REPO / "README.md").read_text()))
    parser = build_parser()
    commands = set(parser._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert named - commands == set()
    assert {"play", "levels", "check-level", "import", "score", "doctor", "bench"} <= commands
