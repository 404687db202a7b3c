"""One-call constructors for the game: a camera or a video file, tracked, as a PoseInput."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from game.capture.base import FrameSource
from game.capture.pipeline import PosePipeline
from game.capture.stream import Schedule, video_source
from game.capture.webcam import WebcamSource

Clock = Callable[[], float]


def track_source(
    source: FrameSource,
    players: int = 1,
    model_path: Path | str | None = None,
    smooth: bool = True,
    clock: Clock = time.monotonic,
) -> PosePipeline:
    """Start a PosePipeline on `source` with the pose estimator (closes it on failure)."""
    from game.pose.factory import make_players_estimator

    try:
        estimator = make_players_estimator(players, model_path)
    except Exception:
        source.close()
        raise
    return PosePipeline(source, estimator, smooth=smooth, clock=clock).start()


def open_webcam_input(
    index: int = 0,
    players: int = 1,
    width: int | None = None,
    height: int | None = None,
    model_path: Path | str | None = None,
    smooth: bool = True,
    clock: Clock = time.monotonic,
) -> PosePipeline:
    """Track camera `index` live; CaptureError (one line) if it cannot be opened."""
    source = WebcamSource(index, width, height, clock=clock)
    return track_source(source, players, model_path, smooth, clock)


def open_video_input(
    path: Path | str,
    players: int = 1,
    realtime: bool = True,
    model_path: Path | str | None = None,
    smooth: bool = True,
    clock: Clock = time.monotonic,
    start: float | None = None,
    schedule: Schedule | None = None,
) -> PosePipeline:
    """Track a video file used as the camera, from `start` seconds, paced by `schedule` if
    given (a video lined up with the song); CaptureError naming it if it cannot be decoded."""
    source = video_source(path, realtime=realtime, clock=clock, start=start, schedule=schedule)
    return track_source(source, players, model_path, smooth, clock)
