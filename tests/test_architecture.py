"""The layering rules (README: Inside), checked on the source: a pure core under thin
adapters, no import cycles, no scene importing another, every direct dependency declared."""

from __future__ import annotations

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

GAME = Path(__file__).resolve().parent.parent / "game"
ADAPTER_LIBRARIES = {"pygame", "cv2", "mediapipe"}
PURE = [
    *sorted((GAME / "scoring").glob("*.py")),
    *sorted((GAME / "timing").glob("*.py")),
    *(GAME / "pose" / name for name in ("skeleton.py", "frame.py", "angles.py", "filters.py")),
    *(GAME / "level" / name for name in ("model.py", "loader.py", "untrusted.py", "writer.py")),
    *(GAME / "authoring" / name for name in ("moves.py", "choreography.py", "harmony.py")),
    GAME / "leftovers.py",
    GAME / "session.py",
    GAME / "capture" / "base.py",
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


def module_name(path: Path) -> str:
    parts = path.relative_to(GAME.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in GAME.rglob("*.py")}


def runtime_imports(path: Path) -> set[str]:
    """The game modules `path` imports when it runs: at the top or inside functions, but not
    under `if TYPE_CHECKING:` (type hints only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hints_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for stmt in node.body
        for inner in ast.walk(stmt)
    }
    found = set()
    for node in ast.walk(tree):
        if id(node) in hints_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found & MODULES.keys()


GRAPH = {name: runtime_imports(path) for name, path in MODULES.items()}


def test_no_import_cycles_even_through_imports_inside_functions() -> None:
    try:
        tuple(TopologicalSorter(GRAPH).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


def test_no_scene_imports_another_scene() -> None:
    scenes = {name for name in MODULES if name.startswith("game.scenes.")}
    screens = scenes - {"game.scenes.stack", "game.scenes.context", "game.scenes.song_run",
                        "game.scenes.song_view", "game.scenes.song_layout", "game.scenes.hand",
                        "game.scenes.menu", "game.scenes.registry"}  # fmt: skip
    for name in screens:
        assert not GRAPH[name] & screens, f"{name} imports {GRAPH[name] & screens}"


def test_the_running_game_never_imports_the_authoring_tools() -> None:
    reached, todo = set(), ["game.launch"]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(GRAPH[name])
    assert "game.scenes.play" in reached
    assert not {name for name in reached if name.startswith("game.authoring")}


REPO = GAME.parent
DISTRIBUTIONS = {"cv2": "opencv-contrib-python", "absl": "absl-py", "tomli_w": "tomli-w",
                 "skimage": "scikit-image", "yaml": "pyyaml"}  # fmt: skip
"""Import name -> distribution name, where the two differ."""


def declared() -> tuple[set[str], set[str]]:
    """The distributions pyproject.toml declares: the game's, and the test extra's."""
    import re
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower() for r in requirements}

    return names(project["dependencies"]), names(project["optional-dependencies"]["test"])


def third_party(folder: Path) -> set[str]:
    """The distributions that the modules under `folder` import directly."""
    import sys

    local = {p.stem for p in folder.glob("*.py")} | {"game"}
    roots = set().union(*(imported_roots(p) for p in folder.rglob("*.py")))
    roots -= set(sys.stdlib_module_names) | local
    return {DISTRIBUTIONS.get(root, root).replace("_", "-").lower() for root in roots}


def test_every_package_the_game_imports_is_a_declared_dependency() -> None:
    game, _ = declared()
    assert third_party(GAME) - game == set()


def test_every_package_the_tests_import_is_declared() -> None:
    game, test = declared()
    assert third_party(REPO / "tests") - game - test == set()


def assigned_names(path: Path) -> set[str]:
    """Names a module binds at its top level."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def test_one_constant_each_for_seen_landmarks_and_stale_poses() -> None:
    """game/pose/frame.py owns both rules: MIN_VISIBILITY and STALE_POSE_S (via is_stale)."""
    owner = GAME / "pose" / "frame.py"
    for path in set(GAME.rglob("*.py")) - {owner}:
        assert not assigned_names(path) & {"MIN_VISIBILITY", "STALE_POSE_S"}, path
        assert "STALE_POSE_S" not in path.read_text(encoding="utf-8"), f"{path}: use is_stale"
