"""Live judging during a song: poses arrive in song time, windows close as the song passes.

Pure: the play and practice scenes feed it poses and the song position each frame.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from game.pose.angles import angle_errors
from game.pose.frame import PoseFrame
from game.scoring.judge import Judge, WindowJudgement
from game.scoring.player_buffer import AngleBuffer
from game.scoring.score import ScoreProcessor, ScoreSummary

LIVE_MATCH_S = 0.25  # live red circles forgive this much timing either way


@dataclass
class LivePlayer:
    """One dancer's state during a song."""

    buffer: AngleBuffer
    processor: ScoreProcessor
    latest: PoseFrame | None = None  # newest pose, stamped in song time
    latest_angles: np.ndarray | None = None


class LiveSession:
    """Judges `windows` (default: every charted window) for `players` dancers."""

    def __init__(self, judge: Judge, players: int = 1, windows: Iterable[int] | None = None):
        self.judge = judge
        grid = judge.grid
        chosen = range(grid.window_count) if windows is None else windows
        self.windows = [w for w in chosen if judge.charted[w]]
        self._pending = sorted(self.windows)
        self.margin = judge.rules.timing_tolerance_s + judge.rules.max_gap_s
        names = [s.name for s in judge.specs]
        self.players = [
            LivePlayer(AngleBuffer(judge.feature_count), ScoreProcessor(len(self.windows), names))
            for _ in range(players)
        ]
        ref = judge.reference_track
        self._ref_times = ref.times
        self._ref_angles = judge.reference_angles

    def add_pose(self, player: int, frame: PoseFrame) -> None:
        """A pose of `player`, with `frame.time` already converted to song time."""
        state = self.players[player]
        features = self.judge.player_features(frame.landmarks, frame.visibility)
        state.buffer.append(frame.time, features)
        state.latest, state.latest_angles = frame, features[: len(self.judge.specs)]

    def update(self, song_time: float) -> list[tuple[int, WindowJudgement]]:
        """Close every pending window whose end plus the margin has passed."""
        closing = []
        while self._pending and self.judge.grid.window_span(self._pending[0])[1] + self.margin <= (
            song_time
        ):
            closing.append(self._pending.pop(0))
        return self._close(closing)

    def finish(self) -> list[tuple[int, WindowJudgement]]:
        """Close all remaining windows (end of song)."""
        closing, self._pending = self._pending, []
        return self._close(closing)

    def stop_after(self, time: float) -> list[int]:
        """No poses will come after song time `time` (the video used as the camera ended):
        the pending windows that end later are dropped from the song, not judged NO POSE,
        and every total leaves them out. Returns the windows dropped."""
        cut = time + self.judge.rules.max_gap_s
        dropped = [w for w in self._pending if self.judge.grid.window_span(w)[1] > cut]
        self._pending = [w for w in self._pending if w not in dropped]
        for state in self.players:
            state.processor.total_windows -= len(dropped)
        return dropped

    @property
    def done(self) -> bool:
        return not self._pending

    def _close(self, windows: list[int]) -> list[tuple[int, WindowJudgement]]:
        if not windows:
            return []
        out = []
        for index, state in enumerate(self.players):
            events = self.judge.judge_windows(state.buffer.times, state.buffer.angles, windows)
            state.processor.add(events)
            out.extend((index, event) for event in events)
        return out

    def summary(self, player: int = 0) -> ScoreSummary:
        return self.players[player].processor.summary()

    def live_ratios(self, player: int, song_time: float) -> np.ndarray | None:
        """Per-joint error / tolerance of the newest pose against the reference near it
        (the best match within LIVE_MATCH_S); NaN where unknown. For the red circles."""
        state = self.players[player]
        if state.latest is None or state.latest_angles is None:
            return None
        if song_time - state.latest.time > 0.5:
            return None  # stale: the player left
        lo, hi = np.searchsorted(
            self._ref_times, [state.latest.time - LIVE_MATCH_S, state.latest.time + LIVE_MATCH_S]
        )
        if hi <= lo:
            return None
        diffs = angle_errors(self._ref_angles[lo:hi], state.latest_angles[None, :])
        with np.errstate(invalid="ignore"):
            best = np.where(np.isnan(diffs).all(axis=0), np.nan, np.nanmin(
                np.where(np.isnan(diffs), np.inf, diffs), axis=0))  # fmt: skip
        return best / self.judge.tolerances
