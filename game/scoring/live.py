"""Live judging during a song: poses arrive in song time, windows close as the song passes.

Pure: the play and practice scenes feed it poses and the song position each frame. Each
player has a judge of their own: in a duet two players dance two members' parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from game.pose.angles import angle_errors
from game.pose.frame import PoseFrame, is_stale
from game.scoring.judge import Judge
from game.scoring.player_buffer import AngleBuffer
from game.scoring.rules import WindowJudgement
from game.scoring.score import ScoreProcessor, ScoreSummary

LIVE_MATCH_S = 0.25  # live red circles forgive this much timing either way


@dataclass
class LivePlayer:
    """One dancer's state during a song."""

    judge: Judge  # against their own part (a member of a group level)
    windows: frozenset[int]  # the song's judged windows this player's part dances
    buffer: AngleBuffer
    processor: ScoreProcessor
    latest: PoseFrame | None = None  # newest pose, stamped in song time
    latest_angles: np.ndarray | None = None


class LiveJudging:
    """Judges `windows` (default: every charted window) for one dancer per judge, as the song
    passes.

    The judges share a level (grid, angle set, rules) and may differ in the part danced;
    each player is judged on the windows their own part dances."""

    def __init__(self, judges: Sequence[Judge], windows: Iterable[int] | None = None):
        self.judge = judge = judges[0]
        """The rules, grid and angle set every player shares."""
        chosen = range(judge.grid.window_count) if windows is None else windows
        self.windows = [w for w in chosen if any(j.charted[w] for j in judges)]
        self._pending = sorted(self.windows)
        self.margin = judge.rules.timing_tolerance_s + judge.rules.max_gap_s
        names = [s.name for s in judge.specs]
        self.players = []
        for own in judges:
            mine = frozenset(w for w in self.windows if own.charted[w])
            processor = ScoreProcessor(len(mine), names)
            self.players.append(LivePlayer(own, mine, AngleBuffer(own.feature_count), processor))

    def add_pose(self, player: int, frame: PoseFrame) -> None:
        """A pose of `player`, with `frame.time` already converted to song time."""
        state = self.players[player]
        features = state.judge.player_features(frame.landmarks, frame.visibility)
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
            state.processor.total_windows -= len(state.windows.intersection(dropped))
        return dropped

    @property
    def done(self) -> bool:
        return not self._pending

    def _close(self, windows: list[int]) -> list[tuple[int, WindowJudgement]]:
        if not windows:
            return []
        out = []
        for index, state in enumerate(self.players):
            mine = [w for w in windows if w in state.windows]
            events = state.judge.judge_windows(state.buffer.times, state.buffer.angles, mine)
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
        if is_stale(state.latest, song_time):
            return None  # stale: the player left
        judge = state.judge
        lo, hi = np.searchsorted(
            judge.reference_track.times,
            [state.latest.time - LIVE_MATCH_S, state.latest.time + LIVE_MATCH_S],
        )
        if hi <= lo:
            return None
        diffs = angle_errors(judge.reference_angles[lo:hi], state.latest_angles[None, :])
        with np.errstate(invalid="ignore"):
            best = np.where(np.isnan(diffs).all(axis=0), np.nan, np.nanmin(
                np.where(np.isnan(diffs), np.inf, diffs), axis=0))  # fmt: skip
        return best / judge.tolerances
