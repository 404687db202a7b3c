"""Check that every dependency of the project (extras included) resolves to binary wheels
for each Python given (default 3.13 and 3.14), so a release that drops a Python fails CI
rather than a player's install. Uses pip's resolver in dry-run mode; installs nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10: the project's own dependency
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    found = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        found += extra
    return found


def main(versions: list[str]) -> int:
    failed = []
    for version in versions or ["3.13", "3.14"]:
        command = [
            sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
            "--only-binary=:all:", "--python-version", version, *requirements(),
        ]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode:
            failed.append(version)
            print(f"Python {version}: dependencies do not all resolve to wheels:", file=sys.stderr)
            print(result.stderr.strip()[-2000:], file=sys.stderr)
        else:
            print(f"Python {version}: every dependency resolves to a binary wheel")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
