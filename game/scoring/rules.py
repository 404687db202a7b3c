"""The judging rule as data: the judgement tiers (one table), difficulties, the rule's
constants, and `decide`, the pure function from a window's pose coverage, joint ratios and
motion to its judgement (README, "How a window is judged"; constants from `cover-dance
calibrate`). Also the judgement event every window ends as (`WindowJudgement`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import IntEnum

import numpy as np

from game.pose.angles import DEFAULT_MIN_VISIBILITY

RGB = tuple[int, int, int]


class Judgement(IntEnum):
    """Ordered: PERFECT > GOOD > MISS > NO_POSE (no player pose arrived). Everything the game
    shows, plays or counts for a judgement is its row of `TIERS`."""

    NO_POSE = 0
    MISS = 1
    GOOD = 2
    PERFECT = 3

    @property
    def tier(self) -> Tier:
        return TIERS[self]

    @property
    def label(self) -> str:
        return TIERS[self].label

    @property
    def points(self) -> int:
        """What the window adds to the score (out of 100): PERFECT 100, GOOD 80, else 0."""
        return TIERS[self].points


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
DEFAULT_DIFFICULTY = "normal"
"""The calibrated default: what a new player, `cover-dance score` and a saved play without a
difficulty are judged at (README, "How a window is judged")."""


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
    # Motion agreement for GOOD, and for PERFECT with a precise pose as well: the judge sets
    # both from its difficulty (DIFFICULTIES holds the numbers); these defaults are the
    # default difficulty's.
    motion_good: float = DIFFICULTIES[DEFAULT_DIFFICULTY].motion_good
    motion_perfect: float = DIFFICULTIES[DEFAULT_DIFFICULTY].motion_perfect

    def at(self, difficulty: Difficulty) -> JudgeRules:
        """These rules with `difficulty`'s motion thresholds (the only place they are set)."""
        return replace(
            self, motion_good=difficulty.motion_good, motion_perfect=difficulty.motion_perfect
        )

    def credit(self, ratios: np.ndarray) -> np.ndarray:
        """Per-joint credit for error/tolerance `ratios`: 1 within `full_credit_ratio`, 0
        beyond `zero_credit_ratio`, linear between (NaN stays NaN)."""
        span = self.zero_credit_ratio - self.full_credit_ratio
        return np.clip((self.zero_credit_ratio - ratios) / span, 0.0, 1.0)


DEFAULT_RULES = JudgeRules()


@dataclass(frozen=True)
class WindowEvidence:
    """What `decide` reads of a window in which the player was seen: the joint ratios (error
    / tolerance) of the joints both show, summed up, and the motion agreement."""

    mean_ratio: float
    wrong_share: float  # share of joints beyond their tolerance (ratio > 1)
    max_ratio: float
    far_off: int  # joints beyond `far_off_ratio`
    far_off_share: float
    motion: float  # -1..1; NaN: the coach held still, the pose alone decides

    @classmethod
    def of(cls, ratios: np.ndarray, motion: float, rules: JudgeRules) -> WindowEvidence:
        """From the known (finite) `ratios` of a window and its `motion` agreement."""
        far = ratios > rules.far_off_ratio
        return cls(
            mean_ratio=float(ratios.mean()),
            wrong_share=float((ratios > 1.0).mean()),
            max_ratio=float(ratios.max()),
            far_off=int(far.sum()),
            far_off_share=float(far.mean()),
            motion=motion,
        )

    @property
    def still(self) -> bool:
        return bool(np.isnan(self.motion))

    def precise_pose(self, rules: JudgeRules) -> bool:
        return (
            self.mean_ratio <= rules.perfect_mean_ratio
            and self.wrong_share <= rules.perfect_wrong_share
            and self.max_ratio <= rules.perfect_max_ratio
        )

    def good_pose(self, rules: JudgeRules) -> bool:
        return (
            self.mean_ratio <= rules.good_mean_ratio
            and self.wrong_share <= rules.good_wrong_share
            and self.far_off <= rules.good_max_far_off
        )


def _earns_perfect(rules: JudgeRules, window: WindowEvidence) -> bool:
    """A precise pose and, where the coach moves, precise moves."""
    moves = window.still or window.motion >= rules.motion_perfect
    return moves and window.precise_pose(rules)


def _earns_good(rules: JudgeRules, window: WindowEvidence) -> bool:
    """A pose with few wrong joints; or, where the coach moves, moves that agree with the
    pose not plainly off on average (a real cover's pose drifts from the coach's while its
    limbs still move with them)."""
    moves_along = (
        not window.still
        and window.motion >= rules.motion_good
        and window.mean_ratio <= rules.far_off_ratio
        and window.far_off_share <= rules.good_wrong_share
    )
    return window.good_pose(rules) or moves_along


def _earns_miss(rules: JudgeRules, window: WindowEvidence) -> bool:
    return True  # a window in which the player was seen is at least a MISS


def hex_color(color: RGB) -> str:
    """An RGB colour as HTML writes it: (255, 220, 90) -> "#ffdc5a"."""
    return "#{:02x}{:02x}{:02x}".format(*color)


@dataclass(frozen=True)
class Tier:
    """One judgement, all in one row: what it is called, earns, looks and sounds like."""

    label: str  # on pop-ups, the scorecard and the reports
    short: str  # where the label does not fit (a narrow timeline tile)
    points: int  # what the window adds to the score (out of 100)
    color: RGB  # pygame and OpenCV; `color_hex` for HTML
    sound: str  # the effect played as the window closes (a name in game.audio.sfx.EFFECTS)
    circles_joints: bool  # its wrong joints are circled red on the player's body
    hit: bool  # counts as danced right: combos, accuracy, a practice pass
    earned: Callable[[JudgeRules, WindowEvidence], bool] | None
    """Whether a window in which the player was seen earns this tier (tiers are tried best
    first); None: not earned by dancing (NO POSE: the player was not seen)."""

    @property
    def color_hex(self) -> str:
        return hex_color(self.color)


TIERS: dict[Judgement, Tier] = {  # best first: the order `decide` walks
    Judgement.PERFECT: Tier("PERFECT", "P", 100, (255, 220, 90), "perfect",
                            circles_joints=False, hit=True, earned=_earns_perfect),
    Judgement.GOOD: Tier("GOOD", "G", 80, (110, 235, 140), "good",
                         circles_joints=True, hit=True, earned=_earns_good),
    Judgement.MISS: Tier("MISS", "X", 0, (255, 80, 90), "miss",
                         circles_joints=True, hit=False, earned=_earns_miss),
    Judgement.NO_POSE: Tier("NO POSE", "-", 0, (140, 130, 170), "miss",
                            circles_joints=False, hit=False, earned=None),
}  # fmt: skip


def decide(rules: JudgeRules, coverage: float, ratios: np.ndarray, motion: float) -> Judgement:
    """A window's judgement from its pose coverage, joint ratios (error / tolerance, NaN =
    not shown) and motion agreement (NaN = the coach held still): NO POSE without enough of
    the player, else the best tier the window earns, walking down `TIERS`.

    Where the coach holds still, the pose decides: PERFECT needs a precise pose, GOOD a pose
    with few wrong joints. Where the coach moves, moves that agree also earn GOOD unless the
    pose is plainly off on average, and PERFECT needs precise moves and pose.
    """
    known = np.isfinite(ratios)
    if coverage < rules.min_coverage or not known.any():
        return Judgement.NO_POSE
    window = WindowEvidence.of(ratios[known], motion, rules)
    for judgement, tier in TIERS.items():
        if tier.earned is not None and tier.earned(rules, window):
            return judgement
    raise AssertionError("a window with a pose earns at least MISS")  # pragma: no cover


@dataclass(frozen=True)
class WindowJudgement:
    """An immutable judgement event for one beat window (what the judge gives out)."""

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
