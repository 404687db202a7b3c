"""Pose data: one frame, and a track of frames over time (numpy only).

Coordinates are in *height units*: x and y are pixels divided by the image height,
so angles are true angles whatever the aspect ratio (x runs 0..width/height,
y runs 0..1 from the top). z is BlazePose's depth in the same units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.pose.skeleton import MIRROR_PERMUTATION, NUM_LANDMARKS

MIN_VISIBILITY = 0.5
"""A landmark this visible or more is seen: judged, drawn, framed (every module's rule)."""

STALE_POSE_S = 0.5
"""A player whose newest pose is older than this has left the frame (every scene's rule)."""


@dataclass(frozen=True)
class PoseFrame:
    """One person's pose at one moment, `time` seconds on the clock of what holds it: a
    `PoseTrack`'s own time (a level's is song time); from a `PoseInput`, capture time on the
    game's wall clock; in live judging, song time (`SongSession` restamps each pose with
    `at`, the one place poses cross clocks). Names in the shell say which (`*_song_s`,
    `latest_captured`)."""

    time: float
    landmarks: np.ndarray  # (33, 3) float
    visibility: np.ndarray  # (33,) float in 0..1

    def __post_init__(self) -> None:
        if self.landmarks.shape != (NUM_LANDMARKS, 3):
            raise ValueError(f"landmarks must be (33, 3), got {self.landmarks.shape}")
        if self.visibility.shape != (NUM_LANDMARKS,):
            raise ValueError(f"visibility must be (33,), got {self.visibility.shape}")

    def at(self, time: float) -> PoseFrame:
        return PoseFrame(time, self.landmarks, self.visibility)


@dataclass(frozen=True)
class PoseTrack:
    """A sequence of poses with increasing times. Frames with nobody found have visibility 0."""

    times: np.ndarray  # (N,) float64 seconds, strictly increasing
    landmarks: np.ndarray  # (N, 33, 3) float32
    visibility: np.ndarray  # (N, 33) float32
    aspect: float = 1.0  # width / height of the source image

    def __len__(self) -> int:
        return int(self.times.shape[0])

    @property
    def duration(self) -> float:
        return float(self.times[-1]) if len(self) else 0.0

    def frame(self, i: int) -> PoseFrame:
        return PoseFrame(float(self.times[i]), self.landmarks[i], self.visibility[i])

    def index_at(self, time: float) -> int:
        """Index of the frame nearest to `time` (clamped to the track)."""
        i = int(np.searchsorted(self.times, time))
        if i <= 0:
            return 0
        if i >= len(self):
            return len(self) - 1
        return i if self.times[i] - time < time - self.times[i - 1] else i - 1

    def frame_at(self, time: float) -> PoseFrame:
        return self.frame(self.index_at(time))

    def shifted(self, seconds: float) -> PoseTrack:
        return PoseTrack(self.times + seconds, self.landmarks, self.visibility, self.aspect)

    def slice_time(self, start: float, end: float) -> PoseTrack:
        keep = (self.times >= start) & (self.times <= end)
        return PoseTrack(self.times[keep], self.landmarks[keep], self.visibility[keep], self.aspect)

    def mirrored(self) -> PoseTrack:
        return PoseTrack(
            self.times,
            mirror_landmarks(self.landmarks, self.aspect),
            self.visibility[..., MIRROR_PERMUTATION],
            self.aspect,
        )


def is_stale(pose: PoseFrame | None, now: float) -> bool:
    """No pose, or the newest is older than STALE_POSE_S: the player has left the frame.
    `now` must be on the pose's clock (capture time for an input's poses, song time for
    the judged ones)."""
    return pose is None or now - pose.time > STALE_POSE_S


def mirror_landmarks(landmarks: np.ndarray, aspect: float) -> np.ndarray:
    """Flip left-right (x -> aspect - x) and swap left/right landmark labels.

    Works on (33, 3) or (..., 33, 3) arrays.
    """
    flipped = landmarks[..., MIRROR_PERMUTATION, :].copy()
    flipped[..., 0] = aspect - flipped[..., 0]
    return flipped


def mirror_frame(frame: PoseFrame, aspect: float = 1.0) -> PoseFrame:
    return PoseFrame(
        frame.time,
        mirror_landmarks(frame.landmarks, aspect),
        frame.visibility[list(MIRROR_PERMUTATION)],
    )
