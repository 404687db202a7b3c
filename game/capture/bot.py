"""A virtual dancer that follows a reference pose track (no camera, numpy only).

It lags behind the reference by a set time, jitters (seeded RNG) and makes deliberate
mistakes in chosen song-time segments. Frames are generated synchronously at `fps` between
polls (no thread), so a test can drive it with a fake clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from game.capture.base import PoseOnlyInput
from game.pose.frame import PoseFrame, PoseTrack
from game.pose.skeleton import (
    L_ELBOW,
    L_SHOULDER,
    L_WRIST,
    R_ELBOW,
    R_SHOULDER,
    R_WRIST,
)

MistakeKind = Literal["freeze_arms", "drop_arms", "freeze", "absent"]
ARMS = tuple(range(L_ELBOW, 23))  # elbows, wrists and hands: landmarks 13..22
HANDS = {L_WRIST: tuple(range(L_WRIST + 2, 23, 2)), R_WRIST: tuple(range(R_WRIST + 2, 23, 2))}
MAX_CATCH_UP = 5.0  # seconds of frames generated at most after a long pause between polls


@dataclass(frozen=True)
class Mistake:
    """From song time `start` to `end` the bot does something wrong.

    freeze_arms: arms stay in their pose from the segment start; drop_arms: arms hang down;
    freeze: the whole body stays still; absent: the dancer leaves (no poses).
    """

    start: float
    end: float
    kind: MistakeKind = "freeze_arms"

    def covers(self, song_time: float) -> bool:
        return self.start <= song_time < self.end


@dataclass(frozen=True)
class BotDancer:
    """How one bot dances: `lag` seconds behind `reference`, `jitter` in height units (SD)."""

    reference: PoseTrack
    lag: float = 0.1
    jitter: float = 0.004
    mistakes: tuple[Mistake, ...] = ()
    x_offset: float = 0.0
    seed: int = 0


def pose_at(track: PoseTrack, time: float) -> tuple[np.ndarray, np.ndarray]:
    """Landmarks and visibility at `time`, linearly interpolated (clamped to the track)."""
    times = track.times
    if time <= times[0]:
        return track.landmarks[0].astype(np.float64), track.visibility[0].astype(np.float64)
    if time >= times[-1]:
        return track.landmarks[-1].astype(np.float64), track.visibility[-1].astype(np.float64)
    j = int(np.searchsorted(times, time))
    i = j - 1
    if track.visibility[i].max() == 0 or track.visibility[j].max() == 0:
        k = i if time - times[i] < times[j] - time else j  # never blend with "nobody"
        return track.landmarks[k].astype(np.float64), track.visibility[k].astype(np.float64)
    w = (time - times[i]) / (times[j] - times[i])
    landmarks = (1 - w) * track.landmarks[i] + w * track.landmarks[j]
    visibility = (1 - w) * track.visibility[i] + w * track.visibility[j]
    return landmarks.astype(np.float64), visibility.astype(np.float64)


def drop_arms(landmarks: np.ndarray) -> np.ndarray:
    """The same pose with both arms hanging straight down from the shoulders."""
    out = landmarks.copy()
    for shoulder, elbow, wrist in ((L_SHOULDER, L_ELBOW, L_WRIST), (R_SHOULDER, R_ELBOW, R_WRIST)):
        upper = np.linalg.norm(landmarks[elbow] - landmarks[shoulder])
        lower = np.linalg.norm(landmarks[wrist] - landmarks[elbow])
        out[elbow] = landmarks[shoulder] + (0.0, upper, 0.0)
        out[wrist] = out[elbow] + (0.0, lower, 0.0)
        for hand in HANDS[wrist]:
            out[hand] = out[wrist] + (0.0, 0.02, 0.0)
    return out


class _Bot:
    def __init__(self, dancer: BotDancer, seed: int) -> None:
        if len(dancer.reference) < 1:
            raise ValueError("the bot needs a non-empty reference track")
        self.dancer = dancer
        self.rng = np.random.default_rng(seed)

    def pose(self, wall: float, song: float) -> PoseFrame | None:
        d = self.dancer
        mistake = next((m for m in d.mistakes if m.covers(song)), None)
        if mistake and mistake.kind == "absent":
            return None
        at = song - d.lag
        if mistake and mistake.kind == "freeze":
            at = mistake.start - d.lag
        landmarks, visibility = pose_at(d.reference, at)
        if visibility.max() <= 0:
            return None
        if mistake and mistake.kind == "freeze_arms":
            frozen, _ = pose_at(d.reference, mistake.start - d.lag)
            landmarks[list(ARMS)] = frozen[list(ARMS)]
        elif mistake and mistake.kind == "drop_arms":
            landmarks = drop_arms(landmarks)
        if d.jitter > 0:
            landmarks = landmarks + self.rng.normal(0.0, d.jitter, landmarks.shape)
        landmarks[:, 0] += d.x_offset
        return PoseFrame(wall, landmarks.astype(np.float32), visibility.astype(np.float32))


class BotPoseInput(PoseOnlyInput):
    """A PoseInput of one or more bots (player k = dancers[k]).

    `song_time_of(wall_time)` maps the game's wall clock to song time; each poll generates
    the frames due at `fps` since the previous poll, stamped with their wall time.
    """

    def __init__(
        self,
        dancers: BotDancer | Sequence[BotDancer],
        song_time_of: Callable[[float], float],
        fps: float = 30.0,
    ) -> None:
        dancers = [dancers] if isinstance(dancers, BotDancer) else list(dancers)
        self.players = len(dancers)
        self.song_time_of = song_time_of
        self.period = 1.0 / fps
        self._bots = [_Bot(d, d.seed + 7919 * k) for k, d in enumerate(dancers)]
        self._next: float | None = None

    def poll(self, now: float) -> list[list[PoseFrame]]:
        out: list[list[PoseFrame]] = [[] for _ in self._bots]
        if self._next is None:
            self._next = now
        self._next = max(self._next, now - MAX_CATCH_UP)
        while self._next <= now:
            wall = self._next
            song = self.song_time_of(wall)
            for frames, bot in zip(out, self._bots, strict=True):
                if (frame := bot.pose(wall, song)) is not None:
                    frames.append(frame)
            self._next += self.period
        return out
