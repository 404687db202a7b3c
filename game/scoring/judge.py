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

`decide` turns both into PERFECT / GOOD / MISS; the thresholds come from the calibration
study over real covers (`cover-dance calibrate`, README "How a window is judged").
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import IntEnum

import numpy as np

from game.pose.angles import (
    DEFAULT_MIN_VISIBILITY,
    angle_errors,
    circular_mean,
    joint_angles,
    signed_angle_errors,
)
from game.pose.frame import PoseTrack, mirror_landmarks
from game.pose.motion import MOTION_FEATURES, limb_points
from game.pose.skeleton import MIRROR_PERMUTATION, AngleSpec
from game.scoring.motion import motion_agreement, movement_shape, speed, velocities
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

    @property
    def points(self) -> int:
        """What the window adds to the score (out of 100): PERFECT 100, GOOD 80, else 0."""
        return WINDOW_POINTS[self]


WINDOW_POINTS = {
    Judgement.NO_POSE: 0,
    Judgement.MISS: 0,
    Judgement.GOOD: 80,
    Judgement.PERFECT: 100,
}


@dataclass(frozen=True)
class Difficulty:
    """Judging strictness. Tolerance for joint j is `tolerance_j * scale + add_deg`; the
    moves earn GOOD from a motion agreement of `motion_good`, PERFECT from `motion_perfect`.

    The motion thresholds are the agreement that only 20% (easy), 10% (normal) or 5% (hard)
    of the windows of a wrong dance reach, measured over every unrelated pair of the real
    clips by `cover-dance calibrate`.
    """

    name: str
    scale: float
    add_deg: float = 0.0
    motion_good: float = 0.26
    motion_perfect: float = 0.6


DIFFICULTIES: dict[str, Difficulty] = {
    "easy": Difficulty("easy", 1.5, 5.0, motion_good=0.37, motion_perfect=0.5),
    "normal": Difficulty("normal", 1.0, 0.0, motion_good=0.46, motion_perfect=0.6),
    "hard": Difficulty("hard", 0.75, 0.0, motion_good=0.55, motion_perfect=0.7),
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
    still_speed: float = 0.25  # torso lengths a second: a coach slower than this holds still
    motion_context: float = 1.0  # windows before this one that join its movement shape
    min_speed_ratio: float = 0.4  # moves count only at this share of the coach's speed or more
    motion_good: float = 0.26  # motion agreement for GOOD (set from the difficulty)
    motion_perfect: float = 0.6  # ...and for PERFECT, with a precise pose as well

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
    motion: float = float("nan")  # motion agreement -1..1; NaN: the coach held still
    joint_offsets: tuple[float, ...] = ()  # signed error, player - coach, degrees (mean)
    reference_angles: tuple[float, ...] = ()  # the coach's angles over the window (mean)

    @property
    def points(self) -> int:
        return self.judgement.points

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
        self.rules = replace(
            rules, motion_good=difficulty.motion_good, motion_perfect=difficulty.motion_perfect
        )
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
        self.reference_angles = self.angles(reference)
        """Joint angles (N, J) of every reference frame."""
        reference_features = self.features(reference.landmarks, reference.visibility)
        samples = nearest_values(
            reference.times, reference_features, self.sample_times, rules.max_gap_s
        )  # (W, K, J + P)
        joints = len(self.specs)
        self.reference_samples = samples[..., :joints]
        self.reference_speed = speed(velocities(samples[..., joints:]), self.step_s)
        context = round(k * rules.motion_context)
        spacing = (np.arange(-context, k) + 0.5) / k
        self.shape_times = starts[:-1, None] + spacing[None, :] * np.diff(starts)[:, None]
        """(W, C + K) moments of each window's movement shape: the window and its context."""
        points = reference_features[:, joints:]
        path = nearest_values(reference.times, points, self.shape_times, rules.max_gap_s)
        self.reference_shapes = (movement_shape(path), movement_shape(path[:, -k:]))
        """(W, C + K, P) and (W, K, P): the coach's movement shape with and without context."""
        seen = np.isfinite(self.reference_samples).mean(axis=(1, 2))
        self.charted = seen >= 0.25
        """Windows where the reference shows enough joints to judge at all."""

    def angles(self, track: PoseTrack) -> np.ndarray:
        """Joint angles (N, J) of a track, as this judge compares them (no mirroring)."""
        return self.raw_angles(track.landmarks, track.visibility)

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
        player_speed = speed(velocities(sampled[rows, best][..., joints:]), self.step_s[windows])
        with np.errstate(invalid="ignore"):
            still = player_speed < self.rules.min_speed_ratio * self.reference_speed[windows]
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
        with_context, window_only = (shape[windows][:, None] for shape in self.reference_shapes)
        inside = -self.rules.samples_per_window
        agreement = np.fmax(
            motion_agreement(with_context, movement_shape(path)),
            motion_agreement(window_only, movement_shape(path[..., inside:, :])),
        )
        with _quiet_nan_warnings():
            best = np.nanmax(agreement, axis=1)
        moving = self.reference_speed[windows] >= self.rules.still_speed
        return np.where(moving, best, np.nan)

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
            joint_errors=tuple(float(e) for e in errors),
            joint_ratios=tuple(float(r) for r in ratios),
            motion=motion,
            joint_offsets=tuple(float(e) for e in signed[0]),
            reference_angles=tuple(float(a) for a in signed[1]),
        )


def decide(rules: JudgeRules, coverage: float, ratios: np.ndarray, motion: float) -> Judgement:
    """A window's judgement from its pose coverage, joint ratios (error / tolerance, NaN =
    not shown) and motion agreement (NaN = the coach held still).

    Where the coach holds still, the pose decides: PERFECT needs a precise pose, GOOD a pose
    with few wrong joints. Where the coach moves, moves that agree also earn GOOD unless the pose is
    plainly off on average (a real cover's
    pose drifts from the coach's while its limbs still move with them), and PERFECT needs
    precise moves and pose.
    """
    known = np.isfinite(ratios)
    if coverage < rules.min_coverage or not known.any():
        return Judgement.NO_POSE
    r = ratios[known]
    mean_ratio = float(r.mean())
    wrong_share = float((r > 1.0).mean())
    precise_pose = (
        mean_ratio <= rules.perfect_mean_ratio
        and wrong_share <= rules.perfect_wrong_share
        and r.max() <= rules.perfect_max_ratio
    )
    good_pose = (
        mean_ratio <= rules.good_mean_ratio
        and wrong_share <= rules.good_wrong_share
        and int((r > rules.far_off_ratio).sum()) <= rules.good_max_far_off
    )
    if np.isnan(motion):
        return (
            Judgement.PERFECT if precise_pose else Judgement.GOOD if good_pose else Judgement.MISS
        )
    if motion >= rules.motion_perfect and precise_pose:
        return Judgement.PERFECT
    far_off_share = float((r > rules.far_off_ratio).mean())
    moves_along = (
        motion >= rules.motion_good
        and mean_ratio <= rules.far_off_ratio
        and far_off_share <= rules.good_wrong_share
    )
    if good_pose or moves_along:
        return Judgement.GOOD
    return Judgement.MISS


@contextmanager
def _quiet_nan_warnings() -> Iterator[None]:
    """Silence numpy's 'mean of empty slice': an all-NaN joint means missing, by design."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        yield
