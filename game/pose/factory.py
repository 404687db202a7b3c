"""Where pose estimators are made: every caller asks here by kind, none builds a model.

`make_estimator` gives one estimator behind the PoseEstimator protocol (game.pose.estimator),
`make_players_estimator` one per player slot. Another pose model is one more entry in
`ESTIMATORS` (its adapter module the only one importing its library, and this one the only
module importing the adapter); a model with other keypoints than BlazePose's goes through a
keypoint layout (game.pose.layouts.LayoutEstimator).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from game.errors import UserError
from game.pose import models
from game.pose.estimator import PoseEstimator
from game.pose.players import PlayersEstimator, SinglePlayer, SplitPlayers

DEFAULT_ESTIMATOR = "mediapipe"


@dataclass(frozen=True)
class EstimatorOptions:
    """How to load a model: `model_path` a model file (None: the kind's bundled model);
    `static_image_mode` detects afresh on every image instead of tracking a stream;
    `num_poses` the most people one image may give (`estimate_all`)."""

    model_path: Path | None = None
    static_image_mode: bool = False
    num_poses: int = 1
    min_detection_confidence: float = 0.5


def _mediapipe(options: EstimatorOptions) -> PoseEstimator:
    from game.pose.mediapipe_estimator import MediaPipePose

    return MediaPipePose(
        static_image_mode=options.static_image_mode,
        model_path=options.model_path,
        min_detection_confidence=options.min_detection_confidence,
        num_poses=options.num_poses,
    )


ESTIMATORS: dict[str, Callable[[EstimatorOptions], PoseEstimator]] = {
    "mediapipe": _mediapipe,  # BlazePose through MediaPipe's Tasks API
}

BUNDLED_MODELS: dict[str, Path] = {"mediapipe": models.BLAZEPOSE_FULL}
"""Per kind: the model file it loads when none is given (shipped with the game)."""


LIBRARY_MODULES: dict[str, str] = {"mediapipe": "game.pose.mediapipe_estimator"}
"""Per kind: the adapter module that loads its library (`load_library`)."""


def load_library(kind: str = DEFAULT_ESTIMATOR) -> None:
    """Import the pose library of `kind` now (a worker starting), not at its first estimator."""
    import importlib

    if kind in LIBRARY_MODULES:
        importlib.import_module(LIBRARY_MODULES[kind])


def library_version(kind: str = DEFAULT_ESTIMATOR) -> str:
    """The version of the pose library of `kind` (its adapter's `library_version`)."""
    import importlib

    return str(importlib.import_module(LIBRARY_MODULES[kind]).library_version())


class UnknownEstimatorError(UserError):
    """No pose estimator of that kind (one line, shown to the user)."""


def model_file(kind: str = DEFAULT_ESTIMATOR, model_path: Path | str | None = None) -> Path:
    """The model file an estimator of `kind` loads: `model_path`, else the bundled one."""
    return Path(model_path) if model_path is not None else BUNDLED_MODELS[kind]


def model_identity(kind: str = DEFAULT_ESTIMATOR, model_path: Path | str | None = None) -> str:
    """`kind:file@hash` of the model an estimator would load: part of every pose cache key."""
    return f"{kind}:{models.model_identity(model_file(kind, model_path))}"


def make_estimator(
    kind: str = DEFAULT_ESTIMATOR,
    model_path: Path | str | None = None,
    static_image_mode: bool = False,
    num_poses: int = 1,
    min_detection_confidence: float = 0.5,
) -> PoseEstimator:
    """A new estimator of `kind` (see EstimatorOptions for the rest)."""
    maker = ESTIMATORS.get(kind)
    if maker is None:
        known = ", ".join(sorted(ESTIMATORS))
        raise UnknownEstimatorError(f"no pose estimator called {kind!r} (known: {known})")
    path = None if model_path is None else Path(model_path)
    return maker(EstimatorOptions(path, static_image_mode, num_poses, min_detection_confidence))


def make_players_estimator(
    players: int = 1,
    model_path: Path | str | None = None,
    static_image_mode: bool = False,
    kind: str = DEFAULT_ESTIMATOR,
) -> PlayersEstimator:
    """A PlayersEstimator: one tracked person, or `players` people side by side.

    With several players the image is cut into vertical strips (player 0 = leftmost) and
    each strip gets its own estimator; the strips run in parallel threads.
    """
    if players < 1:
        raise ValueError(f"players must be at least 1, got {players}")

    def make() -> PoseEstimator:
        return make_estimator(kind, model_path, static_image_mode)

    if players == 1:
        return SinglePlayer(make())
    return SplitPlayers([make() for _ in range(players)])
