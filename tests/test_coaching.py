"""Coaching in words from synthetic signed errors, and the judge's signed errors themselves."""

from __future__ import annotations

import math

import numpy as np
import pytest

from game.pose.angles import circular_mean, signed_angle_errors
from game.pose.skeleton import DIRECTION_ANGLES, SEED_ANGLES, SIGNED_ANGLES, AngleSpec
from game.scoring.coaching import advice_for, coaching_lines, segment_coaching
from game.scoring.rules import Judgement, WindowJudgement
from game.scoring.score import missed_segments

DIRECTIONS = {s.name: s for s in DIRECTION_ANGLES}
SEED = {s.name: s for s in SEED_ANGLES}
SIGNED = {s.name: s for s in SIGNED_ANGLES}


def event(
    specs: tuple[AngleSpec, ...],
    wrong: dict[str, tuple[float, float]],
    window: int = 0,
    judgement: Judgement = Judgement.MISS,
    error: dict[str, float] | None = None,
) -> WindowJudgement:
    """A window where each joint in `wrong` is (coach angle, signed error) and wrong (ratio
    2); every other joint is right on (coach angle 90, no error)."""
    offsets, coach, errors, ratios = [], [], [], []
    for spec in specs:
        angle, offset = wrong.get(spec.name, (90.0, 0.0))
        offsets.append(offset)
        coach.append(angle)
        errors.append((error or {}).get(spec.name, abs(offset)))
        ratios.append(2.0 if spec.name in wrong else 0.1)
    return WindowJudgement(
        window=window, judgement=judgement, start_s=float(window), end_s=window + 1.0,
        start_beat=2.0 * window, end_beat=2.0 * window + 2, lag_s=0.0, similarity=0.0,
        joint_errors=tuple(errors), joint_ratios=tuple(ratios), joint_offsets=tuple(offsets),
        reference_angles=tuple(coach),
    )  # fmt: skip


def test_an_elbow_too_straight_is_told_to_bend_more() -> None:
    # seed elbow: 180 = straight; the coach bends to 100, the player only to 135
    lines = coaching_lines([event(SEED_ANGLES, {"left_elbow": (100.0, 35.0)})], SEED_ANGLES)
    assert lines == ["left elbow: bend it more, 35° too straight"]
    lines = coaching_lines([event(SEED_ANGLES, {"right_knee": (170.0, -40.0)})], SEED_ANGLES)
    assert lines == ["right knee: straighten it, 40° too bent"]


def test_a_signed_elbow_bent_the_wrong_way() -> None:
    spec = SIGNED["left_elbow"]
    assert advice_for(spec, 120.0, -240.0).line() == "left elbow: bend it the other way"
    assert advice_for(spec, -150.0, -20.0).line() == "left elbow: bend it more, 20° too straight"


@pytest.mark.parametrize(
    ("coach", "offset", "says"),
    [
        (90.0, 40.0, "left arm higher, 40° too low"),  # sideways, player's hangs lower
        (90.0, -30.0, "left arm lower, 30° too high"),
        (-90.0, -40.0, "left arm higher, 40° too low"),  # across the body, same rule
        # hanging down (180): +60 wraps to -120, towards the image's left, across the body
        (180.0, 60.0, "left arm further out, 60° too far in"),
        (180.0, -60.0, "left arm further in, 60° too far out"),
    ],
)
def test_a_limb_direction_says_which_way(coach: float, offset: float, says: str) -> None:
    assert advice_for(DIRECTIONS["left_upper_arm"], coach, offset).line() == says


def test_the_right_side_is_outward_to_the_image_left() -> None:
    spec = DIRECTIONS["right_forearm"]
    assert advice_for(spec, 180.0, 50.0).line() == "right forearm further in, 50° too far out"
    assert advice_for(spec, -90.0, -40.0).line() == "right forearm higher, 40° too low"


def test_both_arms_too_low_merge_into_one_line() -> None:
    e = event(DIRECTION_ANGLES, {"left_upper_arm": (90.0, 40.0), "right_upper_arm": (-90.0, -30.0)})
    assert coaching_lines([e], DIRECTION_ANGLES) == ["arms higher, 35° too low"]


def test_facing_and_leaning() -> None:
    e = event(DIRECTION_ANGLES, {"facing": (90.0, -170.0)})
    assert coaching_lines([e], DIRECTION_ANGLES) == ["face the other way"]
    lean = DIRECTIONS["torso_lean"]
    assert advice_for(lean, 0.0, -12.0).line() == "lean more to your right, 12° too far left"
    assert advice_for(lean, 0.0, 12.0).line() == "lean more to your left, 12° too far right"
    head = DIRECTIONS["neck_lean"]
    assert advice_for(head, 180.0, -15.0).line().startswith("tilt your head more to your right")
    assert advice_for(SEED["nose"], 60.0, 20.0).line() == "lift your head, 20° off"


def test_mirrored_judging_swaps_the_sides() -> None:
    e = event(SEED_ANGLES, {"left_elbow": (100.0, 35.0)})
    assert coaching_lines([e], SEED_ANGLES, mirrored=True) == [
        "right elbow: bend it more, 35° too straight"
    ]


def test_errors_both_ways_mean_timing() -> None:
    """Too high in one window, too low in the next: the mean signed error is near zero."""
    events = [
        event(DIRECTION_ANGLES, {"left_forearm": (90.0, 50.0)}, window=0),
        event(DIRECTION_ANGLES, {"left_forearm": (90.0, -45.0)}, window=1),
    ]
    assert coaching_lines(events, DIRECTION_ANGLES) == [
        "left forearm: move it in time with the coach, 48° off"
    ]


def test_worst_joints_first_and_at_most_three_lines() -> None:
    wrong = {"left_elbow": (100.0, 35.0), "right_elbow": (100.0, 50.0),
             "left_knee": (170.0, -30.0), "right_knee": (170.0, -30.0)}  # fmt: skip
    events = [
        event(SEED_ANGLES, wrong, window=0),
        event(SEED_ANGLES, {"right_knee": wrong["right_knee"]}, window=1),
    ]
    lines = coaching_lines(events, SEED_ANGLES)
    assert len(lines) == 3
    assert lines[0].startswith("right knee")  # wrong in both windows
    assert coaching_lines(events, SEED_ANGLES, max_lines=1) == lines[:1]


def test_no_pose_and_right_joints_give_no_advice() -> None:
    assert coaching_lines([event(SEED_ANGLES, {})], SEED_ANGLES) == []
    gone = event(SEED_ANGLES, {"left_elbow": (100.0, 35.0)}, judgement=Judgement.NO_POSE)
    assert coaching_lines([gone], SEED_ANGLES) == []


def test_segment_coaching_reads_only_the_segments_windows() -> None:
    events = [
        event(SEED_ANGLES, {"left_elbow": (100.0, 35.0)}, window=0),
        event(SEED_ANGLES, {}, window=1, judgement=Judgement.GOOD),
        event(SEED_ANGLES, {"right_knee": (170.0, -40.0)}, window=2),
    ]
    names = [s.name for s in SEED_ANGLES]
    first, second = missed_segments(events, names)
    assert segment_coaching(first, events, SEED_ANGLES) == [
        "left elbow: bend it more, 35° too straight"
    ]
    assert segment_coaching(second, events, SEED_ANGLES) == [
        "right knee: straighten it, 40° too bent"
    ]


def test_signed_errors_take_the_short_way_round() -> None:
    assert signed_angle_errors(np.array([170.0]), np.array([-170.0]))[0] == pytest.approx(-20.0)
    assert signed_angle_errors(np.array([-170.0]), np.array([170.0]))[0] == pytest.approx(20.0)
    mean = circular_mean(np.array([[179.0, -179.0, np.nan]]), axis=1)[0]
    assert abs(abs(mean) - 180.0) < 1e-3
    assert math.isnan(circular_mean(np.array([[np.nan, np.nan]]), axis=1)[0])


def test_the_judge_reports_signed_errors() -> None:
    """A player whose left forearm points 20 degrees off the coach's all song long: every
    window's signed error for it is that rotation, with its sign; the rest is zero."""
    from synthetic import dancer_track

    from game.pose.angles import joint_angles
    from game.pose.frame import PoseTrack
    from game.pose.skeleton import L_ELBOW, L_WRIST
    from game.scoring.judge import Judge
    from game.timing.beat_grid import BeatGrid

    reference = dancer_track(duration=8.0)
    turn = math.radians(20.0)
    rotation = np.array([[math.cos(turn), -math.sin(turn)], [math.sin(turn), math.cos(turn)]])
    landmarks = reference.landmarks.copy()
    ray = landmarks[:, L_WRIST, :2] - landmarks[:, L_ELBOW, :2]
    landmarks[:, L_WRIST, :2] = landmarks[:, L_ELBOW, :2] + ray @ rotation.T
    player = PoseTrack(reference.times, landmarks, reference.visibility, reference.aspect)
    specs = DIRECTION_ANGLES
    names = [s.name for s in specs]
    j = names.index("left_forearm")
    tolerances = np.array([s.tolerance_deg for s in specs], np.float32)
    judge = Judge(reference, BeatGrid.fitting(120.0, 0.5, 2.0, 7.5), specs, tolerances)
    events = judge.judge_track(player)
    assert len(events) >= 6
    expected = signed_angle_errors(
        joint_angles(landmarks[:1], reference.visibility[:1], specs)[0, j],
        joint_angles(reference.landmarks[:1], reference.visibility[:1], specs)[0, j],
    )
    assert abs(abs(float(expected)) - 20.0) < 0.5
    for e in events:
        assert e.joint_offsets[j] == pytest.approx(float(expected), abs=0.5)
        others = [o for k, o in enumerate(e.joint_offsets) if k != j and math.isfinite(o)]
        assert np.allclose(others, 0.0, atol=1e-3)
        assert math.isfinite(e.reference_angles[j])
