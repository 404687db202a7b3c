"""Motion agreement and the window rule (`decide`) on synthetic numbers and tracks."""

from __future__ import annotations

import numpy as np
from synthetic import dancer_track

from game.pose.motion import MOTION_FEATURES, limb_points
from game.scoring.motion import motion_agreement, shape_agreement, velocities
from game.scoring.rules import Judgement, JudgeRules, decide

RULES = JudgeRules()
MOVING = 0.9  # motion agreement of a player moving with the coach
UNRELATED = 0.0


def test_limb_points_ignore_where_the_dancer_stands_and_how_big_they_are() -> None:
    track = dancer_track(duration=2.0)
    points = limb_points(track.landmarks, track.visibility)
    moved = track.landmarks * 1.7 + np.array([0.3, -0.1, 0.0], np.float32)
    assert points.shape == (len(track.times), MOTION_FEATURES)
    np.testing.assert_allclose(limb_points(moved, track.visibility), points, atol=1e-4)


def test_limb_points_unseen_are_nan() -> None:
    track = dancer_track(duration=1.0)
    hidden = track.visibility.copy()
    hidden[:, 11] = 0.0  # left shoulder: no torso, no points at all
    assert np.isnan(limb_points(track.landmarks, hidden)).all()


def test_motion_agreement_is_one_for_the_same_moves_and_minus_one_for_opposite() -> None:
    steps = velocities(np.cumsum(np.random.default_rng(1).normal(size=(9, 16)), axis=0))
    np.testing.assert_allclose(motion_agreement(steps, 0.5 * steps), 1.0)
    np.testing.assert_allclose(motion_agreement(steps, -steps), -1.0)
    assert np.isnan(motion_agreement(steps, np.zeros_like(steps)))


def test_shape_agreement_counts_only_what_both_show() -> None:
    path = np.cumsum(np.random.default_rng(2).normal(size=(16, 16)), axis=0)
    player = path + 5.0  # the same moves, danced elsewhere: the shape ignores the place
    np.testing.assert_allclose(shape_agreement(path, player, 0.75), 1.0, atol=1e-6)
    late = player.copy()
    late[:6] = np.nan  # the player came into view late
    assert shape_agreement(path, late, 0.5) > 0.5
    assert np.isnan(shape_agreement(path, late, 0.75))  # too few shared samples to judge
    assert shape_agreement(path, -player, 0.75) < -0.99


def ratios(*values: float) -> np.ndarray:
    return np.array(values, np.float64)


def test_no_pose_when_the_player_is_mostly_not_seen() -> None:
    assert decide(RULES, 0.5, ratios(0.1, 0.1), MOVING) == Judgement.NO_POSE
    assert decide(RULES, 1.0, ratios(np.nan, np.nan), MOVING) == Judgement.NO_POSE


def test_where_the_coach_holds_still_the_pose_decides() -> None:
    assert decide(RULES, 1.0, ratios(0.2, 0.3, 0.1), np.nan) == Judgement.PERFECT
    assert decide(RULES, 1.0, ratios(0.6, 0.9, 0.6, 0.4), np.nan) == Judgement.GOOD
    assert decide(RULES, 1.0, ratios(1.2, 1.3, 0.9), np.nan) == Judgement.MISS


def test_moving_with_the_coach_earns_good_while_the_pose_drifts() -> None:
    drifting = ratios(1.2, 1.3, 0.9, 0.4, 0.6, 1.1, 0.8, 1.0, 0.5)
    assert decide(RULES, 1.0, drifting, MOVING) == Judgement.GOOD
    assert decide(RULES, 1.0, drifting, UNRELATED) == Judgement.MISS


def test_moving_along_with_plainly_wrong_limbs_is_a_miss() -> None:
    # Legs right, both arms hanging while the coach's arms dance: three joints far off.
    arms_down = ratios(0.1, 1.8, 1.3, 2.9, 2.6, 0.3, 0.3, 0.2, 0.1)
    assert decide(RULES, 1.0, arms_down, MOVING) == Judgement.MISS
    far_on_average = ratios(*[1.74] * 7, 1.9)  # one joint far off, but off on average
    assert decide(RULES, 1.0, far_on_average, MOVING) == Judgement.MISS


def test_perfect_needs_precise_moves_and_a_precise_pose() -> None:
    precise = ratios(0.2, 0.3, 0.1)
    assert decide(RULES, 1.0, precise, MOVING) == Judgement.PERFECT
    assert decide(RULES, 1.0, precise, RULES.motion_perfect - 0.01) == Judgement.GOOD


def test_every_judgement_has_one_tier_and_decide_walks_them_best_first() -> None:
    from game.audio.sfx import EFFECTS
    from game.scoring.rules import TIERS

    assert list(TIERS) == sorted(Judgement, reverse=True)  # best first: the order of the walk
    for judgement, tier in TIERS.items():
        assert judgement.label == tier.label and judgement.points == tier.points
        assert tier.color_hex == "#" + bytes(tier.color).hex()
        assert tier.sound in EFFECTS
    assert [j for j, t in TIERS.items() if t.earned is None] == [Judgement.NO_POSE]
    assert {j for j, t in TIERS.items() if t.hit} == {Judgement.PERFECT, Judgement.GOOD}
    precise, sloppy = np.full(9, 0.2), np.full(9, 3.0)
    assert decide(RULES, 1.0, precise, float("nan")) == Judgement.PERFECT
    assert decide(RULES, 1.0, sloppy, MOVING) == Judgement.MISS  # MISS: earned by being seen
    assert decide(RULES, 0.5, precise, MOVING) == Judgement.NO_POSE
