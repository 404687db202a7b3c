"""The layering rules of DESIGN.md, checked on the source: a pure core under thin adapters."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GAME = Path(__file__).resolve().parent.parent / "game"
ADAPTER_LIBRARIES = {"pygame", "cv2", "mediapipe"}
PURE = [
    *sorted((GAME / "scoring").glob("*.py")),
    *sorted((GAME / "timing").glob("*.py")),
    *(GAME / "pose" / name for name in ("skeleton.py", "frame.py", "angles.py", "filters.py")),
    *(GAME / "level" / name for name in ("model.py", "loader.py", "untrusted.py", "writer.py",
                                        "moves.py", "choreography.py")),
    GAME / "leftovers.py",
    GAME / "savefile.py",
]  # fmt: skip


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(GAME)))
def test_the_pure_core_imports_no_pygame_opencv_or_mediapipe(path: Path) -> None:
    assert not imported_roots(path) & ADAPTER_LIBRARIES


def test_only_the_estimator_adapter_imports_mediapipe() -> None:
    importers = {
        str(p.relative_to(GAME)) for p in GAME.rglob("*.py") if "mediapipe" in imported_roots(p)
    }
    assert importers == {"pose/mediapipe_estimator.py"}
