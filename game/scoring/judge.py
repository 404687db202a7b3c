"""The judge: one beat window of player poses against the reference -> a judgement.

For every window, the reference is sampled at `samples_per_window` evenly spaced times.
The player's poses are looked up at those times shifted by each candidate lag within the
timing tolerance (a body moves slower than a finger: take the best match inside it).
Two things are judged:

- the *moves*: how well the player's limbs move with the coach's (`game.scoring.motion`)
  over the window and the one before it (a move takes longer than a beat), at the lag where
  they agree best; a window where the coach holds still has no moves;
- the *pose*: per-joint angle errors at the lag with the smallest mean tolerance-normalised
  error, against the per-joint tolerances (a joint beyond its tolerance is circled red).

`decide` (game.scoring.rules) turns both into PERFECT / GOOD / MISS; the
thresholds come from the calibration study over real covers (`cover-dance calibrate`, README
"How a window is judged").
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np

from game.pose.angles import (
    angle_errors,
    circular_mean,
    joint_angles,
    signed_angle_errors,
)
from game.pose.frame import PoseTrack, mirror_landmarks
from game.pose.motion import MOTION_FEATURES, limb_points
from game.pose.skeleton import MIRROR_PERMUTATION, AngleSpec
from game.scoring.motion import shape_agreement, speed, velocities
from game.scoring.rules import (
    DEFAULT_DIFFICULTY,
    DEFAULT_RULES,
    DIFFICULTIES,
    Difficulty,
    Judgement,
    JudgeRules,
    WindowJudgement,
    decide,
)
from game.timing.beat_grid import BeatGrid


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
        difficulty: Difficulty = DIFFICULTIES[DEFAULT_DIFFICULTY],
        rules: JudgeRules = DEFAULT_RULES,
        mirror: bool = False,
    ) -> None:
        self.reference_track = reference
        self.grid = grid
        self.specs = tuple(specs)
        self.rules = rules.at(difficulty)
        self.mirror = mirror
        self.tolerances = np.asarray(tolerances_deg, np.float32) * difficulty.scale
        self.tolerances += difficulty.add_deg
        k = rules.samples_per_window
        starts = np.array([grid.window_start(i) for i in range(grid.window_count + 1)])
        fractions = (np.arange(k) + 0.5) / k
        self.sample_times = starts[:-1, None] + fractions[None, :] * np.diff(starts)[:, None]
        self.step_s = np.diff(starts) / k
        """Seconds between two samples of each window."""
        half = rules.timing_tolerance_s
        steps = round(half / rules.lag_step_s)
        self.lags = np.linspace(-half, half, 2 * steps + 1) if steps else np.zeros(1)
        reference_features = self.features(reference.landmarks, reference.visibility)
        joints = len(self.specs)
        self.reference_angles = reference_features[:, :joints]
        """Joint angles (N, J) of every reference frame."""
        samples = nearest_values(
            reference.times, reference_features, self.sample_times, rules.max_gap_s
        )  # (W, K, J + P)
        self.reference_samples = samples[..., :joints]
        self.reference_points = samples[..., joints:]
        """(W, K, P) the coach's limb points at the window's samples."""
        self.reference_speed = speed(velocities(self.reference_points), self.step_s)
        context = round(k * rules.motion_context)
        spacing = (np.arange(-context, k) + 0.5) / k
        self.shape_times = starts[:-1, None] + spacing[None, :] * np.diff(starts)[:, None]
        """(W, C + K) moments of each window's movement shape: the window and its context."""
        points = reference_features[:, joints:]
        self.reference_path = nearest_values(
            reference.times, points, self.shape_times, rules.max_gap_s
        )
        """(W, C + K, P) the coach's limb points at `shape_times`."""
        seen = np.isfinite(self.reference_samples).mean(axis=(1, 2))
        shown = np.isfinite(self.reference_samples).any(axis=-1).mean(axis=-1)
        self.charted = (seen >= 0.25) & (shown >= rules.min_coverage)
        """Windows where the reference shows enough joints to judge at all, at as many of
        the window's moments as a player must be seen at (`min_coverage`)."""

    def raw_angles(self, landmarks: np.ndarray, visibility: np.ndarray) -> np.ndarray:
        return joint_angles(landmarks, visibility, self.specs, self.rules.min_visibility)

    def features(self, landmarks: np.ndarray, visibility: np.ndarray) -> np.ndarray:
        """(..., J + P): the joint angles, then the limb points (`game.pose.motion`)."""
        points = limb_points(landmarks, visibility, self.rules.min_visibility)
        return np.concatenate([self.raw_angles(landmarks, visibility), points], axis=-1)

    def _as_player(self, landmarks: np.ndarray, visibility: np.ndarray):
        if self.mirror:
            return mirror_landmarks(landmarks, 1.0), visibility[..., MIRROR_PERMUTATION]
        return landmarks, visibility

    def player_angles(self, landmarks: np.ndarray, visibility: np.ndarray) -> np.ndarray:
        """Angles of player landmarks (..., 33, 3), mirrored first in mirror mode."""
        return self.raw_angles(*self._as_player(landmarks, visibility))

    def player_features(self, landmarks: np.ndarray, visibility: np.ndarray) -> np.ndarray:
        """What `judge_windows` reads of each player pose: angles and limb points, mirrored
        first in mirror mode."""
        return self.features(*self._as_player(landmarks, visibility))

    @property
    def feature_count(self) -> int:
        return len(self.specs) + MOTION_FEATURES

    def judge_track(self, player: PoseTrack) -> list[WindowJudgement]:
        """Judge every charted window of a whole player track (song-time stamps)."""
        features = self.player_features(player.landmarks, player.visibility)
        windows = np.flatnonzero(self.charted)
        return self.judge_windows(player.times, features, windows)

    def judge_windows(
        self, times: np.ndarray, features: np.ndarray, windows: Sequence[int] | np.ndarray
    ) -> list[WindowJudgement]:
        """Judge `windows` from player poses at song `times` (P,) with `features` (P, F)
        from `player_features`."""
        windows = np.asarray(windows, dtype=np.intp)
        if windows.size == 0:
            return []
        rules = self.rules
        joints = len(self.specs)
        targets = self.sample_times[windows][:, None, :] + self.lags[None, :, None]  # W,L,K
        sampled = nearest_values(np.asarray(times, np.float64), features, targets, rules.max_gap_s)
        player = sampled[..., :joints]
        reference = self.reference_samples[windows][:, None]  # W,1,K,J
        ratios = angle_errors(player, reference) / self.tolerances  # W,L,K,J
        has_pose = np.isfinite(player).any(axis=-1)  # W,L,K
        coverage = has_pose.mean(axis=-1)  # W,L
        usable = coverage >= rules.min_coverage
        with _quiet_nan_warnings():
            cost = np.nanmean(np.minimum(ratios, 3.0), axis=(2, 3))
        cost = np.where(usable & np.isfinite(cost), cost, np.inf)
        best = np.argmin(np.abs(self.lags)[None, :] * 1e-6 + cost, axis=1)  # prefer small lags
        rows = np.arange(len(windows))
        best_player = player[rows, best]  # W,K,J
        errors = angle_errors(best_player, reference[:, 0])
        with _quiet_nan_warnings():
            joint_errors = np.nanmean(errors, axis=1)  # W,J
        joint_ratios = joint_errors / self.tolerances
        offsets = circular_mean(signed_angle_errors(best_player, reference[:, 0]), axis=1)
        coach = circular_mean(reference[:, 0], axis=1)  # W,J
        motion = self._motion(windows, np.asarray(times, np.float64), features[:, joints:])
        still = self._slower_than_coach(windows, sampled[rows, best][..., joints:])
        motion = np.where(still & np.isfinite(motion), np.minimum(motion, 0.0), motion)
        return [
            self._event(
                int(w),
                coverage[i, best[i]],
                float(self.lags[best[i]]),
                joint_errors[i],
                joint_ratios[i],
                float(motion[i]),
                (offsets[i], coach[i]),
            )
            for i, w in enumerate(windows)
        ]

    def _motion(self, windows: np.ndarray, times: np.ndarray, points: np.ndarray) -> np.ndarray:
        """(W,) motion agreement of the player's limb points (P, 16) at song `times` with the
        coach's, at the best lag: over the window and its context, or over the window alone
        when that agrees better (a move danced right just after a wrong one); NaN where the
        coach holds still."""
        targets = self.shape_times[windows][:, None, :] + self.lags[None, :, None]  # W,L,C+K
        path = nearest_values(times, points, targets, self.rules.max_gap_s)
        coach = self.reference_path[windows][:, None]  # W,1,C+K,P
        inside, enough = -self.rules.samples_per_window, self.rules.min_coverage
        agreement = np.fmax(
            shape_agreement(coach, path, enough),
            shape_agreement(coach[..., inside:, :], path[..., inside:, :], enough),
        )
        with _quiet_nan_warnings():
            best = np.nanmax(agreement, axis=1)
        moving = self.reference_speed[windows] >= self.rules.still_speed
        return np.where(moving, best, np.nan)

    def _slower_than_coach(self, windows: np.ndarray, points: np.ndarray) -> np.ndarray:
        """(W,) the player's limb points (W, K, P) move slower than `min_speed_ratio` of the
        coach's, both measured over the points both show."""
        coach = self.reference_points[windows]
        both = np.isfinite(points) & np.isfinite(coach)
        mine_speed, coach_speed = (
            speed(velocities(np.where(both, p, np.nan)), self.step_s[windows])
            for p in (points, coach)
        )
        with np.errstate(invalid="ignore"):
            return mine_speed < self.rules.min_speed_ratio * coach_speed

    def _event(
        self,
        window: int,
        coverage: float,
        lag: float,
        errors: np.ndarray,
        ratios: np.ndarray,
        motion: float,
        signed: tuple[np.ndarray, np.ndarray],
    ) -> WindowJudgement:
        judgement = decide(self.rules, coverage, ratios, motion)
        known = np.isfinite(ratios)
        if judgement == Judgement.NO_POSE:
            similarity, lag, motion = 0.0, 0.0, float("nan")
        else:
            similarity = float(self.rules.credit(ratios[known]).mean())
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
            joint_errors=tuple(errors.tolist()),
            joint_ratios=tuple(ratios.tolist()),
            motion=motion,
            joint_offsets=tuple(signed[0].tolist()),
            reference_angles=tuple(signed[1].tolist()),
        )


@contextmanager
def _quiet_nan_warnings() -> Iterator[None]:
    """Silence numpy's 'mean of empty slice': an all-NaN joint means missing, by design."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        yield
