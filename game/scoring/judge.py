"""The judge: one beat window of player poses against the reference -> a judgement.

For every window, the reference is sampled at `samples_per_window` evenly spaced times.
The player's poses are looked up at those times shifted by each candidate lag within the
timing tolerance, and the lag with the smallest mean tolerance-normalised error wins
(a body moves slower than a finger: take the best match inside the tolerance).
Per-joint errors at that lag are compared with the per-joint tolerances.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from game.pose.angles import DEFAULT_MIN_VISIBILITY, angle_errors, joint_angles
from game.pose.frame import PoseTrack, mirror_landmarks
from game.pose.skeleton import MIRROR_PERMUTATION, AngleSpec
from game.timing.beat_grid import BeatGrid


class Judgement(IntEnum):
    """Ordered: PERFECT > GOOD > MISS > NO_POSE (no player pose arrived)."""

    NO_POSE = 0
    MISS = 1
    GOOD = 2
    PERFECT = 3

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


@dataclass(frozen=True)
class Difficulty:
    """Tolerance for joint j is `tolerance_j * scale + add_deg`."""

    name: str
    scale: float
    add_deg: float = 0.0


DIFFICULTIES: dict[str, Difficulty] = {
    "easy": Difficulty("easy", 1.5, 5.0),
    "normal": Difficulty("normal", 1.0, 0.0),
    "hard": Difficulty("hard", 0.75, 0.0),
}


@dataclass(frozen=True)
class JudgeRules:
    """The judging rule as data (see README, "How a window is judged")."""

    timing_tolerance_s: float = 0.3
    lag_step_s: float = 1 / 30
    samples_per_window: int = 8
    max_gap_s: float = 0.15  # a sample further than this from any pose has no pose
    min_coverage: float = 0.75  # share of samples that need a player pose
    perfect_mean_ratio: float = 0.4
    perfect_wrong_share: float = 0.12  # 1 joint in 9 may slip a little and still be PERFECT
    perfect_max_ratio: float = 1.5  # ...but not by more than this
    good_mean_ratio: float = 0.75
    good_wrong_share: float = 0.25
    far_off_ratio: float = 1.75  # a joint this far off is plainly wrong to anyone watching
    good_max_far_off: int = 1  # two plainly wrong joints make a MISS
    full_credit_ratio: float = 0.5  # a joint within half its tolerance earns full credit
    zero_credit_ratio: float = 1.5  # ...and none beyond 1.5 tolerances
    min_visibility: float = DEFAULT_MIN_VISIBILITY

    def credit(self, ratios: np.ndarray) -> np.ndarray:
        """Per-joint credit for error/tolerance `ratios`: 1 within `full_credit_ratio`, 0
        beyond `zero_credit_ratio`, linear between (NaN stays NaN)."""
        span = self.zero_credit_ratio - self.full_credit_ratio
        return np.clip((self.zero_credit_ratio - ratios) / span, 0.0, 1.0)


@dataclass(frozen=True)
class WindowJudgement:
    """An immutable judgement event for one beat window."""

    window: int
    judgement: Judgement
    start_s: float
    end_s: float
    start_beat: float
    end_beat: float
    lag_s: float
    similarity: float  # 0..1, the window's share of the score
    joint_errors: tuple[float, ...]  # degrees; NaN = joint missing on either side
    joint_ratios: tuple[float, ...]  # error / tolerance; > 1 is wrong (circled red)

    @property
    def wrong_joints(self) -> tuple[int, ...]:
        return tuple(i for i, r in enumerate(self.joint_ratios) if r > 1.0)


def nearest_values(
    times: np.ndarray, values: np.ndarray, targets: np.ndarray, max_gap: float
) -> np.ndarray:
    """`values` (N, J) at the frame nearest each target (any shape); NaN beyond `max_gap`."""
    out_shape = (*targets.shape, values.shape[-1])
    if len(times) == 0:
        return np.full(out_shape, np.nan, np.float32)
    flat = targets.ravel()
    right = np.clip(np.searchsorted(times, flat), 1, len(times) - 1) if len(times) > 1 else None
    if right is None:
        nearest = np.zeros(flat.shape, np.intp)
    else:
        left = right - 1
        nearest = np.where(flat - times[left] <= times[right] - flat, left, right)
    picked = values[nearest].astype(np.float32, copy=True)
    picked[np.abs(times[nearest] - flat) > max_gap] = np.nan
    return picked.reshape(out_shape)


class Judge:
    """Judges beat windows of a level against its reference track."""

    def __init__(
        self,
        reference: PoseTrack,
        grid: BeatGrid,
        specs: Sequence[AngleSpec],
        tolerances_deg: np.ndarray,
        difficulty: Difficulty = DIFFICULTIES["normal"],
        rules: JudgeRules = JudgeRules(),
        mirror: bool = False,
    ) -> None:
        self.reference_track = reference
        self.grid = grid
        self.specs = tuple(specs)
        self.rules = rules
        self.mirror = mirror
        self.tolerances = np.asarray(tolerances_deg, np.float32) * difficulty.scale
        self.tolerances += difficulty.add_deg
        k = rules.samples_per_window
        starts = np.array([grid.window_start(i) for i in range(grid.window_count + 1)])
        fractions = (np.arange(k) + 0.5) / k
        self.sample_times = starts[:-1, None] + fractions[None, :] * np.diff(starts)[:, None]
        half = rules.timing_tolerance_s
        steps = round(half / rules.lag_step_s)
        self.lags = np.linspace(-half, half, 2 * steps + 1) if steps else np.zeros(1)
        self.reference_angles = self.angles(reference)
        """Joint angles (N, J) of every reference frame."""
        self.reference_samples = nearest_values(
            reference.times, self.reference_angles, self.sample_times, rules.max_gap_s
        )  # (W, K, J)
        seen = np.isfinite(self.reference_samples).mean(axis=(1, 2))
        self.charted = seen >= 0.25
        """Windows where the reference shows enough joints to judge at all."""

    def angles(self, track: PoseTrack) -> np.ndarray:
        """Joint angles (N, J) of a track, as this judge compares them (no mirroring)."""
        return self.raw_angles(track.landmarks, track.visibility)

    def raw_angles(self, landmarks: np.ndarray, visibility: np.ndarray) -> np.ndarray:
        return joint_angles(landmarks, visibility, self.specs, self.rules.min_visibility)

    def player_angles(self, landmarks: np.ndarray, visibility: np.ndarray) -> np.ndarray:
        """Angles of player landmarks (..., 33, 3), mirrored first in mirror mode."""
        if self.mirror:
            landmarks = mirror_landmarks(landmarks, 1.0)
            visibility = visibility[..., MIRROR_PERMUTATION]
        return self.raw_angles(landmarks, visibility)

    def judge_track(self, player: PoseTrack) -> list[WindowJudgement]:
        """Judge every charted window of a whole player track (song-time stamps)."""
        angles = self.player_angles(player.landmarks, player.visibility)
        windows = np.flatnonzero(self.charted)
        return self.judge_windows(player.times, angles, windows)

    def judge_windows(
        self, times: np.ndarray, angles: np.ndarray, windows: Sequence[int] | np.ndarray
    ) -> list[WindowJudgement]:
        """Judge `windows` from player poses at song `times` (P,) with `angles` (P, J)."""
        windows = np.asarray(windows, dtype=np.intp)
        if windows.size == 0:
            return []
        rules = self.rules
        targets = self.sample_times[windows][:, None, :] + self.lags[None, :, None]  # W,L,K
        player = nearest_values(np.asarray(times, np.float64), angles, targets, rules.max_gap_s)
        reference = self.reference_samples[windows][:, None]  # W,1,K,J
        ratios = angle_errors(player, reference) / self.tolerances  # W,L,K,J
        has_pose = np.isfinite(player).any(axis=-1)  # W,L,K
        coverage = has_pose.mean(axis=-1)  # W,L
        with _quiet_nan_warnings():
            cost = np.nanmean(np.minimum(ratios, 3.0), axis=(2, 3))
        cost = np.where((coverage >= rules.min_coverage) & np.isfinite(cost), cost, np.inf)
        best = np.argmin(np.abs(self.lags)[None, :] * 1e-6 + cost, axis=1)  # prefer small lags
        rows = np.arange(len(windows))
        best_player = player[rows, best]  # W,K,J
        errors = angle_errors(best_player, reference[:, 0])
        with _quiet_nan_warnings():
            joint_errors = np.nanmean(errors, axis=1)  # W,J
        joint_ratios = joint_errors / self.tolerances
        return [
            self._event(
                int(w),
                coverage[i, best[i]],
                float(self.lags[best[i]]),
                joint_errors[i],
                joint_ratios[i],
            )
            for i, w in enumerate(windows)
        ]

    def _event(
        self, window: int, coverage: float, lag: float, errors: np.ndarray, ratios: np.ndarray
    ) -> WindowJudgement:
        rules = self.rules
        known = np.isfinite(ratios)
        if coverage < rules.min_coverage or not known.any():
            judgement, similarity, lag = Judgement.NO_POSE, 0.0, 0.0
        else:
            r = ratios[known]
            mean_ratio = float(r.mean())
            wrong_share = float((r > 1.0).mean())
            far_off = int((r > rules.far_off_ratio).sum())
            if (
                mean_ratio <= rules.perfect_mean_ratio
                and wrong_share <= rules.perfect_wrong_share
                and r.max() <= rules.perfect_max_ratio
            ):
                judgement = Judgement.PERFECT
            elif (
                mean_ratio <= rules.good_mean_ratio
                and wrong_share <= rules.good_wrong_share
                and far_off <= rules.good_max_far_off
            ):
                judgement = Judgement.GOOD
            else:
                judgement = Judgement.MISS
            similarity = float(rules.credit(r).mean())
        start_beat, end_beat = self.grid.window_beats(window)
        start_s, end_s = self.grid.window_span(window)
        return WindowJudgement(
            window=window,
            judgement=judgement,
            start_s=start_s,
            end_s=end_s,
            start_beat=start_beat,
            end_beat=end_beat,
            lag_s=lag,
            similarity=similarity,
            joint_errors=tuple(float(e) for e in errors),
            joint_ratios=tuple(float(r) for r in ratios),
        )


@contextmanager
def _quiet_nan_warnings() -> Iterator[None]:
    """Silence numpy's 'mean of empty slice': an all-NaN joint means missing, by design."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        yield
