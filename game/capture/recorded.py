"""Replay saved pose tracks as if they were live (a PoseInput with no camera)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from game.capture.base import CaptureError, PoseOnlyInput
from game.level.loader import LevelError, load_pose_track
from game.pose.frame import PoseFrame, PoseTrack

Clock = Callable[[], float]


class RecordedPoseInput(PoseOnlyInput):
    """Plays one track per player: the frame at track time t is captured at `start_time + t`.

    `start_time` (wall clock) defaults to `clock()` at construction. Frames with nobody found
    (all visibility 0) are not delivered, like a camera that sees nobody.
    """

    def __init__(
        self,
        tracks: PoseTrack | Sequence[PoseTrack],
        clock: Clock = time.monotonic,
        start_time: float | None = None,
    ) -> None:
        self.tracks = [tracks] if isinstance(tracks, PoseTrack) else list(tracks)
        self.players = len(self.tracks)
        self.start_time = clock() if start_time is None else start_time
        self._next = [0] * self.players

    @classmethod
    def from_file(
        cls, path: Path | str, clock: Clock = time.monotonic, start_time: float | None = None
    ) -> RecordedPoseInput:
        """Load a `.npz` pose track; CaptureError (one line) if it is not a valid one."""
        try:
            track = load_pose_track(Path(path))
        except LevelError as exc:
            raise CaptureError("; ".join(exc.problems)) from exc
        return cls(track, clock, start_time)

    def poll(self, now: float) -> list[list[PoseFrame]]:
        out: list[list[PoseFrame]] = []
        for k, track in enumerate(self.tracks):
            stop = int(np.searchsorted(track.times, now - self.start_time, side="right"))
            frames = [
                track.frame(i).at(self.start_time + float(track.times[i]))
                for i in range(self._next[k], stop)
                if track.visibility[i].max() > 0
            ]
            self._next[k] = max(self._next[k], stop)
            out.append(frames)
        return out

    @property
    def ended(self) -> bool:
        return all(n >= len(t) for n, t in zip(self._next, self.tracks, strict=True))
