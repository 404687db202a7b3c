"""Turn a whole video file into pose tracks, as fast as the machine allows."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from game.capture.base import CaptureError
from game.capture.request import TrackRequest
from game.capture.stream import IteratorSource, video_source
from game.pose.filters import PoseSmoother
from game.pose.frame import PoseFrame, PoseTrack
from game.pose.players import PlayersEstimator
from game.pose.skeleton import NUM_LANDMARKS

Progress = Callable[[float], None]  # fraction done, 0..1


class NoDancerError(CaptureError):
    """Nobody was found in the part of the video searched."""


def track_frames(
    source: IteratorSource,
    estimator: PlayersEstimator,
    aspect: float,
    span: tuple[float, float],
    on_progress: Progress | None = None,
    every: int = 1,
    smooth: bool = False,
    give_up_s: float | None = None,
) -> list[PoseTrack]:
    """Run `estimator` over every `every`-th image of an unpaced source, one track per player.

    Frames where a player is not found are kept with visibility 0. `give_up_s`: NoDancerError
    once that many seconds of video are tracked without anybody found (a long video with
    no dancer is not tracked to its end).
    """
    smoothers = [PoseSmoother(enabled=smooth) for _ in range(estimator.players)]
    times: list[float] = []
    landmarks: list[list[np.ndarray]] = [[] for _ in range(estimator.players)]
    visibility: list[list[np.ndarray]] = [[] for _ in range(estimator.players)]
    empty_lm = np.zeros((NUM_LANDMARKS, 3), np.float32)
    empty_vis = np.zeros(NUM_LANDMARKS, np.float32)
    start, end = span
    index = 0
    found = False
    try:
        while not source.ended:
            frame = source.next_frame(timeout=1.0)
            if frame is None:
                if problem := source.problem():
                    raise CaptureError(problem)
                continue
            index += 1
            if (index - 1) % every:
                continue
            poses = estimator.estimate_players(frame.image, frame.time)
            found = found or any(pose is not None for pose in poses)
            if not found and give_up_s is not None and frame.time - start >= give_up_s:
                raise NoDancerError(f"no dancer found in the first {give_up_s:g} s")
            times.append(frame.time)
            for k, (smooth_k, pose) in enumerate(zip(smoothers, poses, strict=True)):
                pose_s: PoseFrame | None = smooth_k(pose)
                landmarks[k].append(empty_lm if pose_s is None else pose_s.landmarks)
                visibility[k].append(empty_vis if pose_s is None else pose_s.visibility)
            if on_progress and end > start:
                on_progress(min(1.0, max(0.0, (frame.time - start) / (end - start))))
        if problem := source.problem():
            raise CaptureError(problem)
    finally:
        source.close()
    if on_progress:
        on_progress(1.0)
    return [
        PoseTrack(
            np.array(times, np.float64),
            np.array(lm, np.float32).reshape(-1, NUM_LANDMARKS, 3),
            np.array(vis, np.float32).reshape(-1, NUM_LANDMARKS),
            aspect,
        )
        for lm, vis in zip(landmarks, visibility, strict=True)
    ]


def track_video_players(
    request: TrackRequest,
    players: int = 2,
    on_progress: Progress | None = None,
    start: float | None = None,
    end: float | None = None,
    smooth: bool = False,
    give_up_s: float | None = None,
) -> list[PoseTrack]:
    """One PoseTrack per player (0 = left) of the request's video, with its frame step and
    pose model; times are the video's own timestamps."""
    from game.pose.factory import make_players_estimator

    info = request.info
    span = (start or 0.0, end if end is not None else info.duration)
    source = video_source(request.video, realtime=False, start=start, end=end)
    try:
        estimator = make_players_estimator(players, request.model_path, kind=request.estimator)
    except Exception:
        source.close()
        raise
    try:
        return track_frames(
            source, estimator, info.aspect, span, on_progress, request.every, smooth, give_up_s
        )
    finally:
        estimator.close()


def track_video(
    request: TrackRequest,
    on_progress: Progress | None = None,
    start: float | None = None,
    end: float | None = None,
    smooth: bool = False,
    give_up_s: float | None = None,
) -> PoseTrack:
    """The PoseTrack of the one dancer in a video (see `track_video_players`)."""
    return track_video_players(request, 1, on_progress, start, end, smooth, give_up_s)[0]
