"""The judging rule as data: judgements, difficulties, the rule's constants, and `decide`,
the pure function from a window's pose coverage, joint ratios and motion to its judgement
(README, "How a window is judged"; constants from `cover-dance calibrate`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np

from game.pose.angles import DEFAULT_MIN_VISIBILITY


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
    add_deg: float
    motion_good: float
    motion_perfect: float


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
    # Motion agreement for GOOD, and for PERFECT with a precise pose as well (the judge sets
    # both from its difficulty; these defaults are normal's).
    motion_good: float = DIFFICULTIES["normal"].motion_good
    motion_perfect: float = DIFFICULTIES["normal"].motion_perfect

    def credit(self, ratios: np.ndarray) -> np.ndarray:
        """Per-joint credit for error/tolerance `ratios`: 1 within `full_credit_ratio`, 0
        beyond `zero_credit_ratio`, linear between (NaN stays NaN)."""
        span = self.zero_credit_ratio - self.full_credit_ratio
        return np.clip((self.zero_credit_ratio - ratios) / span, 0.0, 1.0)


DEFAULT_RULES = JudgeRules()


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
