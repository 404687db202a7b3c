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


class SongPacedTrack(PoseOnlyInput):
    """A video's tracked poses played against the song clock, as a video used as the camera
    is (game.session.video_schedule), without tracking it again: track time = song time +
    `offset_s`; each frame is released when the song reaches its time and stamped with the
    wall time it was due (the song's rate may be slowed). Frames before the song time at
    opening are skipped, as a video opened part-way."""

    players = 1

    def __init__(
        self, track: PoseTrack, song_time_of: Callable[[float], float], offset_s: float, now: float
    ) -> None:
        self.track = track
        self.song_time_of = song_time_of
        self.offset_s = offset_s
        start = song_time_of(now) + offset_s
        self._next = int(np.searchsorted(track.times, start, side="left"))

    def poll(self, now: float) -> list[list[PoseFrame]]:
        song = self.song_time_of(now)
        rate = self.song_time_of(now + 1.0) - song
        stop = int(np.searchsorted(self.track.times, song + self.offset_s, side="right"))
        frames = []
        for i in range(self._next, stop):
            due_song = float(self.track.times[i]) - self.offset_s
            wall = now - (song - due_song) / rate if rate > 0 else now
            if self.track.visibility[i].max() > 0:
                frames.append(self.track.frame(i).at(wall))
        self._next = max(self._next, stop)
        return [frames]

    @property
    def ended(self) -> bool:
        return self._next >= len(self.track)
