"""The layering rules (README: Inside), checked on the source: a pure core under thin
adapters, imports only down the layers and never in a circle (type-only imports and imports
inside functions count), scenes that know neither each other nor the game, one maker of pose
estimators (the only importer of a model's adapter), one table of judgement tiers, every
direct dependency declared, no private attributes of other libraries."""

from __future__ import annotations

import ast
import inspect
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest

GAME = Path(__file__).resolve().parent.parent / "game"
ADAPTER_LIBRARIES = {"pygame", "cv2", "mediapipe"}
PURE = [
    *sorted((GAME / "scoring").glob("*.py")),
    *sorted((GAME / "timing").glob("*.py")),
    *(GAME / "pose" / name for name in ("skeleton.py", "frame.py", "angles.py", "filters.py",
                                        "motion.py", "pointing.py", "layouts.py", "estimator.py",
                                        "players.py", "spotlight.py")),
    *(GAME / "level" / name for name in ("model.py", "manifest.py", "loader.py", "untrusted.py",
                                         "writer.py")),
    *(GAME / "authoring" / name for name in ("moves.py", "choreography.py", "harmony.py")),
    GAME / "leftovers.py",
    GAME / "session.py",
    GAME / "play_setup.py",
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


def imports(path: Path, type_only: bool = True) -> set[str]:
    """The game modules `path` imports: at the top, inside functions, and (unless not
    `type_only`) under `if TYPE_CHECKING:`, for type hints only."""
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
        if id(node) in hints_only and not type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in MODULES else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found & MODULES.keys()


GRAPH = {name: imports(path) for name, path in MODULES.items()}
"""Every import between game modules, type-only ones and those inside functions included."""
RUNTIME = {name: imports(path, type_only=False) for name, path in MODULES.items()}
"""The imports that run (GRAPH less the type-only ones)."""


def test_no_import_cycles_even_through_type_hints_or_imports_inside_functions() -> None:
    try:
        tuple(TopologicalSorter(GRAPH).static_order())
    except CycleError as exc:
        pytest.fail(f"import cycle: {' -> '.join(exc.args[1])}")


LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("foundation", ("game", "game.errors", "game.atomic", "game.savefile", "game.leftovers",
                    "game.quiet", "game.terminal_bar", "game.time_limit")),
    ("pure core", ("game.pose", "game.timing", "game.scoring")),
    ("settings and saves", ("game.config", "game.progress")),
    ("levels", ("game.level",)),
    ("adapters", ("game.pose.mediapipe_estimator", "game.pose.factory", "game.capture",
                  "game.audio", "game.render", "game.recording", "game.take_file")),
    ("tools", ("game.cover", "game.calibration", "game.authoring")),
    ("a song being played", ("game.play_setup", "game.session", "game.demo", "game.inputs",
                             "game.spotlight", "game.learn_run")),
    ("scenes", ("game.scenes",)),
    ("the game", ("game.app",)),
    ("entry points", ("game.launch", "game.cli", "game.__main__", "game.commands",
                      "game.benchmarks")),
)  # fmt: skip
"""Lowest first (README: Inside): a module imports its own layer and those below it. A
module belongs to the layer of its longest matching name (game.pose.factory is an adapter)."""
AGAINST_THE_LAYERS: set[tuple[str, str]] = set()
"""Imports allowed to run up the layers: none."""


def layer_of(module: str) -> int:
    matches = [
        (len(prefix), index)
        for index, (_, prefixes) in enumerate(LAYERS)
        for prefix in prefixes
        if module == prefix or module.startswith(prefix + ".")
    ]
    _, index = max(matches)  # the longest matching name
    assert index > 0 or module in LAYERS[0][1], f"{module}: in no layer (see LAYERS)"
    return index


def test_imports_run_down_the_layers() -> None:
    upward = {
        (module, imported)
        for module, imported_modules in GRAPH.items()
        for imported in imported_modules
        if layer_of(imported) > layer_of(module)
    }
    lines = [f"{a} ({LAYERS[layer_of(a)][0]}) imports {b} ({LAYERS[layer_of(b)][0]})"
             for a, b in sorted(upward - AGAINST_THE_LAYERS)]  # fmt: skip
    assert not lines, "\n".join(lines)


SCENE_HELPERS = {"game.scenes.stack", "game.scenes.context", "game.scenes.song_run",
                 "game.scenes.song_view", "game.scenes.song_layout", "game.scenes.hand",
                 "game.scenes.menu", "game.scenes.registry", "game.scenes.looped"}  # fmt: skip


def test_no_scene_imports_another_scene() -> None:
    scenes = {name for name in MODULES if name.startswith("game.scenes.")}
    screens = scenes - SCENE_HELPERS
    for name in screens:
        assert not GRAPH[name] & screens, f"{name} imports {GRAPH[name] & screens}"


def test_no_scene_imports_the_game_even_for_type_hints() -> None:
    """Scenes know the game only as their protocol (game/scenes/context.py)."""
    for name in (n for n in MODULES if n.startswith("game.scenes")):
        assert "game.app" not in GRAPH[name], f"{name} imports game.app"


def test_the_running_game_never_imports_the_authoring_tools() -> None:
    reached, todo = set(), ["game.launch"]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(RUNTIME[name])
    assert "game.scenes.play" in reached
    assert not {name for name in reached if name.startswith("game.authoring")}


REPO = GAME.parent
DISTRIBUTIONS = {"cv2": "opencv-contrib-python", "absl": "absl-py", "tomli_w": "tomli-w",
                 "pygame": "pygame-ce",
                 "skimage": "scikit-image", "yaml": "pyyaml"}  # fmt: skip
"""Import name -> distribution name, where the two differ."""


def declared() -> tuple[set[str], set[str]]:
    """The distributions pyproject.toml declares: the game's (with its optional `cluster`
    extra: Ray, for `rank --engine ray` and its benchmark), and the test extra's."""
    import re
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0].lower() for r in requirements}

    extras = project["optional-dependencies"]
    return names(project["dependencies"] + extras["cluster"]), names(extras["test"])


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


def classes_with(methods: set[str]) -> dict[str, Path]:
    """Every class in game/ that defines all of `methods`, and the file it is in."""
    found = {}
    for path in GAME.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                defined = {f.name for f in node.body if isinstance(f, ast.FunctionDef)}
                if methods <= defined and not any(
                    ast.unparse(base).endswith("Protocol") for base in node.bases
                ):
                    found[node.name] = path
    return found


def names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    return names | imported


def test_pose_estimators_are_made_only_by_the_factory() -> None:
    """Every class implementing PoseEstimator is named only where it is defined and in
    game/pose/factory.py: callers ask `make_estimator` / `make_players_estimator`."""
    estimators = classes_with({"estimate_one", "estimate_all", "close"})
    assert "MediaPipePose" in estimators and "LayoutEstimator" in estimators
    factory = GAME / "pose" / "factory.py"
    for path in GAME.rglob("*.py"):
        named = names_used(path) & {n for n, home in estimators.items() if home != path}
        assert path == factory or not named, f"{path.relative_to(GAME)} builds {named} itself"
    makers = {str(p.relative_to(GAME)) for p in GAME.rglob("*.py")
              if {"make_estimator", "make_players_estimator"} & names_used(p)}  # fmt: skip
    assert {
        "capture/open.py",
        "capture/track.py",
        "launch.py",
        "commands/doctor.py",
        "benchmarks/pose.py",
        "benchmarks/group.py",
        "capture/group/runner.py",
    } <= makers


def test_only_the_factory_imports_a_pose_models_adapter() -> None:
    """Each model's adapter (its library's one importer) is reached only through the factory:
    by `make_estimator`, `load_library` or `library_version`, never imported by a caller, for
    its estimator class or anything else."""
    from game.pose.factory import LIBRARY_MODULES

    adapters = set(LIBRARY_MODULES.values())
    assert "game.pose.mediapipe_estimator" in adapters
    importers = {name for name, imported in GRAPH.items() if imported & adapters}
    assert importers == {"game.pose.factory"}


JUDGEMENT_NAMES = {"PERFECT", "GOOD", "MISS", "NO_POSE", "NO POSE"}


def test_judgement_tier_data_lives_in_one_table() -> None:
    """Outside game/scoring/rules.py (TIERS) a judgement is only ever compared, == or !=,
    with one member: no table keyed by judgements or their names, no list of them, no
    ordering (`>= GOOD`: use the tier's `hit`)."""
    home = GAME / "scoring" / "rules.py"
    for path in set(GAME.rglob("*.py")) - {home}:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {
            id(child): node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)
        }
        where = path.relative_to(GAME)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and ast.unparse(node.value) == "Judgement":
                parent = parents[id(node)]
                compared = isinstance(parent, ast.Compare) and all(
                    isinstance(op, (ast.Eq, ast.NotEq)) for op in parent.ops
                )
                assert compared, f"{where}:{node.lineno}: {ast.unparse(parent)}"
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                assert not keys & JUDGEMENT_NAMES, f"{where}:{node.lineno}: a table of judgements"


def outside_names(tree: ast.Module) -> set[str]:
    """The names a module binds to other libraries (the standard library's included)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update((a.asname or a.name).split(".")[0] for a in node.names
                         if a.name.split(".")[0] != "game")  # fmt: skip
        elif (
            isinstance(node, ast.ImportFrom)
            and node.level == 0
            and node.module
            and node.module.split(".")[0] not in {"game", "__future__"}
        ):
            names.update(a.asname or a.name for a in node.names)
    return names


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_uses(path: Path) -> list[str]:
    """Where `path` reaches into another library's private parts: `lib._name` (on a name
    imported from it, however deep), `getattr(x, "_name")`, or a subclass of one of its
    classes overriding a `_method`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    outside = outside_names(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            root = node.value
            while isinstance(root, (ast.Attribute, ast.Call, ast.Subscript)):
                root = root.func if isinstance(root, ast.Call) else root.value
            if isinstance(root, ast.Name) and root.id in outside:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in {"getattr", "hasattr"}:
            name = node.args[1] if len(node.args) > 1 else None
            if isinstance(name, ast.Constant) and is_private(str(name.value)):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.ClassDef) and any(
            ast.unparse(base).split(".")[0] in outside for base in node.bases
        ):
            found += [f"{f.lineno}: {node.name}.{f.name} overrides a private method"
                      for f in node.body
                      if isinstance(f, ast.FunctionDef) and is_private(f.name)]  # fmt: skip
    return found


def test_no_private_attributes_of_other_libraries() -> None:
    """Libraries are used through their public API: a private name may change in any
    release (the rank pool's workers, argparse's parsing, a type named only privately)."""
    lines = [f"{path.relative_to(GAME)}:{where}" for path in sorted(GAME.rglob("*.py"))
             for where in private_uses(path)]  # fmt: skip
    assert not lines, "\n".join(lines)


def test_the_private_attribute_rule_sees_what_it_must(tmp_path: Path) -> None:
    """On names imported from a library (not on an object passed in: `pool._processes`
    with `pool` a parameter is beyond a rule on the source alone); not on our own."""
    source = (
        "import argparse\nfrom concurrent.futures import ProcessPoolExecutor as Pool\n"
        "from game.cover.run import CoverResult\n"
        "def register(subparsers: argparse._SubParsersAction) -> None: ...\n"
        "def end(pool: Pool) -> None:\n    pool._processes\n    Pool(1)._processes.clear()\n"
        "    getattr(pool, '_processes', {})\n    CoverResult._ours\n"
        "class Parser(argparse.ArgumentParser):\n    def _get_values(self): ...\n"
        "    def __init__(self): ...\n"
    )
    path = tmp_path / "sample.py"
    path.write_text(source, encoding="utf-8")
    found = private_uses(path)
    assert sorted(int(line.split(":")[0]) for line in found) == [4, 7, 8, 11], found


def test_every_tracked_video_comes_in_through_one_request() -> None:
    """Pose tracking and its caches take a `TrackRequest` (game/capture/request.py), the one
    place a video is probed for tracking and its frame step worked out: no command, tool or
    scene probes a video itself (but `play --input`'s check of the file it will play, and the
    benchmarks, which time decoding), and the frame-step rule is written once."""
    from game.capture import cache, track
    from game.capture.group import runner

    for function in (cache.cached_video_track, cache.cached_group_tracks,
                     track.track_video, track.track_video_players, runner.track_group):  # fmt: skip
        first = next(iter(inspect.signature(function).parameters.values()))
        assert first.name == "request", function.__qualname__
    probing = {str(p.relative_to(GAME)) for p in GAME.rglob("*.py")
               if "probe_video" in names_used(p)}  # fmt: skip
    outside = {p for p in probing if not p.startswith(("capture/", "benchmarks/"))}
    assert outside == {"launch.py"}, outside

    def steps_frames(path: Path) -> bool:
        return "fps * 1.25" in path.read_text(encoding="utf-8") or "every_for" in names_used(path)

    steps = {str(p.relative_to(GAME)) for p in GAME.rglob("*.py") if steps_frames(p)}
    assert steps == {"capture/request.py"}, steps
