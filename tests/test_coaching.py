"""Coaching in words a dancer can use: synthetic signed errors, the judge's signed errors,
and every cue of the real covers of the shared clips."""

from __future__ import annotations

import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest

from game.pose.angles import circular_mean, joint_angles, signed_angle_errors
from game.pose.skeleton import (
    ANGLE_SETS,
    DIRECTION_ANGLES,
    EXTENDED_ANGLES,
    INDEX,
    NUM_LANDMARKS,
    SEED_ANGLES,
    SIGNED_ANGLES,
    AngleSpec,
)
from game.scoring.coaching import advice_for, coaching_lines, counts_phrase, segment_coaching
from game.scoring.rules import Judgement, WindowJudgement
from game.scoring.score import missed_segments

DIRECTIONS = {s.name: s for s in DIRECTION_ANGLES}
SEED = {s.name: s for s in SEED_ANGLES}
SIGNED = {s.name: s for s in SIGNED_ANGLES}
EXTENDED = {s.name: s for s in EXTENDED_ANGLES}

# A dance teacher's grammar for the `directions` set (what `score` and imported levels use):
# side, limb, which way, on which counts; no degrees, no number but the counts.
SIDE = r"(?:(?:left|right) )?"
RUN = r"[1-8](?:-[1-8]| to [1-8])?"
COUNTS = rf"(?:on {RUN}(?:(?:, | and ){RUN})*|all through the eight)"
ARM_WAY = (r"(?:up|up and out|out to the side|down and out|down|up across your body"
           r"|across your body|down across your body)")  # fmt: skip
FOOT_WAY = r"(?:under your knees?|kicked out|kicked up|kicked across)"
LIMB = r"(?:arms?|forearms?|legs?|knees?|foot|feet)"
CUES = (
    rf"{SIDE}(?:arms?|forearms?) {ARM_WAY}(?:, not {ARM_WAY})?",
    rf"{SIDE}(?:legs?|knees?) (?:under you|crossed|high|up|out to the side)"
    r"(?:, not (?:down|crossed|lifted high|lifted|out to the side))?",
    rf"{SIDE}(?:foot|feet) {FOOT_WAY}(?:, not {FOOT_WAY})?",
    rf"{SIDE}{LIMB} (?:a little )?(?:higher|lower|further out|further in|further across)",
    rf"{SIDE}{LIMB}: move (?:it|them) with the coach",
    r"face the other way|turn to face the (?:front|back)|turn side-on",
    r"turn a little more (?:to the front|side-on)|turn with the coach",
    r"stand up straight|lean (?:further |a little less )?to your (?:left|right)",
    r"lean with the coach",
    r"hold your head up straight|tilt your head (?:further |a little less )?to your (?:left|right)",
    r"move your head with the coach",
)
GRAMMAR = re.compile(
    rf"^(?:(?:{'|'.join(CUES)}), {COUNTS}"
    rf"|a different move with your {SIDE}{LIMB}: watch the coach {COUNTS})$"
)


def event(
    specs: tuple[AngleSpec, ...],
    wrong: dict[str, tuple[float, float]],
    window: int = 0,
    judgement: Judgement = Judgement.MISS,
    error: dict[str, float] | None = None,
    ratio: dict[str, float] | None = None,
) -> WindowJudgement:
    """Window `window` (beats 2w to 2w+2: counts 1-2 for window 0, 5-6 for window 2) where
    each joint in `wrong` is (coach angle, signed error) and wrong (ratio 2 unless `ratio`
    says); every other joint is right on (coach angle 90, no error)."""
    offsets, coach, errors, ratios = [], [], [], []
    for spec in specs:
        angle, offset = wrong.get(spec.name, (90.0, 0.0))
        offsets.append(offset)
        coach.append(angle)
        errors.append((error or {}).get(spec.name, abs(offset)))
        ratios.append((ratio or {}).get(spec.name, 2.0) if spec.name in wrong else 0.1)
    return WindowJudgement(
        window=window, judgement=judgement, start_s=float(window), end_s=window + 1.0,
        start_beat=2.0 * window, end_beat=2.0 * window + 2, lag_s=0.0, similarity=0.0,
        joint_errors=tuple(errors), joint_ratios=tuple(ratios), joint_offsets=tuple(offsets),
        reference_angles=tuple(coach),
    )  # fmt: skip


def says(spec: AngleSpec, coach: float, offset: float) -> str:
    return advice_for(spec, coach, offset).words()


@pytest.mark.parametrize(
    ("joint", "coach", "offset", "words"),
    [
        # directions: from straight up, positive towards the image's right (the player's left)
        ("left_upper_arm", 0.0, 90.0, "left arm up, not out to the side"),
        ("left_upper_arm", 90.0, 60.0, "left arm out to the side, not down and out"),
        ("left_upper_arm", 45.0, -60.0, "left arm up and out, not up"),
        ("left_upper_arm", -90.0, -80.0, "left arm across your body, not down"),
        ("right_upper_arm", -90.0, 80.0, "right arm out to the side, not up"),
        ("right_forearm", 90.0, 60.0, "right forearm across your body, not down across your body"),
        ("right_forearm", -30.0, -40.0, "right forearm up and out, not out to the side"),
        ("left_thigh", 180.0, -40.0, "left leg under you, not out to the side"),
        ("left_thigh", 140.0, 40.0, "left leg out to the side, not down"),
        ("left_thigh", 90.0, 80.0, "left knee up, not down"),
        ("left_thigh", -150.0, -30.0, "left leg crossed, not down"),
        ("right_thigh", 180.0, 80.0, "right leg under you, not lifted"),
        ("left_shin", 180.0, -60.0, "left foot under your knee, not kicked out"),
        ("left_shin", 120.0, 60.0, "left foot kicked out, not under your knee"),
        ("right_shin", 180.0, -100.0 + 30, "right foot under your knee, not kicked across"),
    ],
)
def test_a_limb_in_other_words_than_the_coachs_names_both(
    joint: str, coach: float, offset: float, words: str
) -> None:
    assert says(DIRECTIONS[joint], coach, offset) == words


@pytest.mark.parametrize(
    ("joint", "coach", "offset", "words"),
    [
        ("left_upper_arm", 90.0, 20.0, "left arm a little higher"),
        ("right_forearm", -90.0, -20.0, "right forearm a little higher"),
        ("left_upper_arm", 100.0, -20.0, "left arm a little lower"),
        ("left_upper_arm", 180.0, -20.0, "left arm a little further in"),
        ("left_upper_arm", 170.0, 15.0, "left arm a little further out"),
        ("left_upper_arm", -45.0, 15.0, "left arm a little further across"),
        ("left_thigh", 40.0, 60.0, "left knee higher"),  # high, not just lifted
        ("left_thigh", 150.0, 12.0, "left leg a little further out"),
    ],
)
def test_the_same_words_as_the_coach_give_a_small_correction(
    joint: str, coach: float, offset: float, words: str
) -> None:
    assert says(DIRECTIONS[joint], coach, offset) == words


def test_more_than_90_degrees_off_is_a_different_move() -> None:
    assert says(DIRECTIONS["left_upper_arm"], 0.0, 120.0) == (
        "a different move with your left arm: watch the coach"
    )
    e = event(DIRECTION_ANGLES, {"right_thigh": (180.0, -100.0)}, window=2)
    assert coaching_lines([e], DIRECTION_ANGLES) == [
        "a different move with your right leg: watch the coach on 5-6"
    ]
    # the arm and its forearm on another move: one limb
    e = event(DIRECTION_ANGLES, {"right_upper_arm": (0.0, 150.0), "right_forearm": (0.0, 130.0)})
    assert coaching_lines([e], DIRECTION_ANGLES) == [
        "a different move with your right arm: watch the coach on 1-2"
    ]


def test_the_seed_shoulder_is_an_arm_direction() -> None:
    """Elbow, shoulder, hip: 0 is the arm down, 180 up (unsigned: taken outward)."""
    assert says(SEED["left_shoulder"], 170.0, -80.0) == "left arm up, not out to the side"
    assert says(SEED["right_shoulder"], 90.0, 15.0) == "right arm a little lower"
    assert (
        says(SIGNED["right_shoulder"], -90.0, 60.0) == "right arm out to the side, not down and out"
    )
    assert says(SEED["left_hip"], 150.0, 25.0) == "left leg out to the side, not down"


def test_bends() -> None:
    assert says(SEED["left_elbow"], 100.0, 35.0) == "bend your left elbow more"
    assert says(SEED["left_elbow"], 100.0, 15.0) == "bend your left elbow a little more"
    assert says(SEED["right_knee"], 170.0, -40.0) == "straighten your right knee"
    assert says(SEED["right_knee"], 170.0, -12.0) == "straighten your right knee a little"
    assert says(SIGNED["left_elbow"], 120.0, -240.0) == "bend your left elbow the other way"
    assert says(SIGNED["left_elbow"], -150.0, -20.0) == "bend your left elbow a little more"
    assert says(EXTENDED["left_ankle"], 110.0, 30.0) == "flex your left foot more"
    assert says(EXTENDED["right_ankle"], 110.0, -30.0) == "point your right foot more"


def test_facing() -> None:
    facing = DIRECTIONS["facing"]  # 90: facing the camera, -90: the back to it
    assert says(facing, 90.0, -170.0) == "face the other way"
    assert says(facing, 90.0, -80.0) == "turn to face the front"
    assert says(facing, 10.0, 80.0) == "turn side-on"
    assert says(facing, -90.0, 90.0) == "turn to face the back"
    assert says(facing, 90.0, -30.0) == "turn a little more to the front"


def test_torso_and_head() -> None:
    torso = DIRECTIONS["torso_lean"]  # negative: leaning to the player's left
    assert says(torso, 0.0, -12.0) == "stand up straight"
    assert says(torso, -20.0, 20.0) == "lean to your left"
    assert says(torso, 20.0, -30.0) == "lean to your right"
    assert says(torso, -20.0, 10.0) == "lean further to your left"
    assert says(torso, -20.0, -15.0) == "lean a little less to your left"
    neck = DIRECTIONS["neck_lean"]  # +-180 upright; just under 180 tilts to the player's left
    assert says(neck, 180.0, -15.0) == "hold your head up straight"
    assert says(neck, 165.0, 15.0) == "tilt your head to your left"
    assert says(neck, -165.0, -15.0) == "tilt your head to your right"
    assert says(SEED["nose"], 60.0, 20.0) == "lift your head"
    assert says(SEED["nose"], 60.0, -20.0) == "lower your head"


def test_the_words_follow_the_judges_angles() -> None:
    """Angles of a real pose: the coach's left arm out to the side (the image's right), the
    player's hanging down; the right arm (the image's left) likewise."""
    landmarks = np.zeros((2, NUM_LANDMARKS, 3), np.float32)
    for name, (x, y) in {"left_shoulder": (0.6, 0.3), "right_shoulder": (0.4, 0.3),
                         "left_hip": (0.57, 0.55), "right_hip": (0.43, 0.55)}.items():  # fmt: skip
        landmarks[:, INDEX[name], :2] = (x, y)
    landmarks[0, INDEX["left_elbow"], :2] = (0.75, 0.3)  # the coach: arms out
    landmarks[0, INDEX["right_elbow"], :2] = (0.25, 0.3)
    landmarks[1, INDEX["left_elbow"], :2] = (0.6, 0.45)  # the player: arms down
    landmarks[1, INDEX["right_elbow"], :2] = (0.4, 0.45)
    angles = joint_angles(landmarks, np.ones((2, NUM_LANDMARKS), np.float32), DIRECTION_ANGLES)
    offsets = signed_angle_errors(angles[1], angles[0])
    for side in ("left", "right"):
        j = [s.name for s in DIRECTION_ANGLES].index(f"{side}_upper_arm")
        assert says(DIRECTION_ANGLES[j], float(angles[0, j]), float(offsets[j])) == (
            f"{side} arm out to the side, not down"
        )


@pytest.mark.parametrize(
    ("beats", "phrase"),
    [
        ({4}, "on 5"),
        ({4, 5}, "on 5-6"),
        ({4, 5, 6, 7}, "on 5 to 8"),
        ({0, 1, 4, 5}, "on 1-2 and 5-6"),
        ({0, 3, 6}, "on 1, 4 and 7"),
        ({6, 7, 8, 9}, "on 7-8 and 1-2"),  # across the eight's end, counted forward
        ({4, 5, 6, 7, 8, 9}, "on 5 to 8 and 1-2"),
        ({6, 7, 8, 9, 10, 11}, "on 7-8 and 1 to 4"),
        ({12, 13, 16, 17}, "on 5-6 and 1-2"),
        ({2, 12, 13, 20}, "on 3 and 5-6"),  # the same counts in two eights
        ({4, 5, 8, 9, 10, 11}, "on 1 to 6"),
        ({0, 1, 4, 5, 6, 7}, "on 1-2 and 5 to 8"),  # not on from 8 to 1
        ({0, 1, 6, 7, 14, 15, 16}, "on 7-8 and 1-2"),  # on from 8 to 1 once
        (set(range(8)), "all through the eight"),
        (set(range(3, 20)), "all through the eight"),
        (set(), ""),
    ],
)
def test_counts(beats: set[int], phrase: str) -> None:
    assert counts_phrase(beats) == phrase


def test_each_cue_says_its_counts() -> None:
    events = [
        event(DIRECTION_ANGLES, {"left_upper_arm": (0.0, 60.0)}, window=0),
        event(DIRECTION_ANGLES, {}, window=1),
        event(DIRECTION_ANGLES, {"left_upper_arm": (0.0, 60.0)}, window=2),
        event(DIRECTION_ANGLES, {"left_upper_arm": (0.0, 60.0)}, window=3),
    ]
    assert coaching_lines(events, DIRECTION_ANGLES) == [
        "left arm up, not up and out, on 1-2 and 5 to 8"
    ]
    half = event(DIRECTION_ANGLES, {"left_upper_arm": (0.0, 60.0)})
    half = WindowJudgement(**{**half.__dict__, "start_beat": 6.5, "end_beat": 7.0})
    assert coaching_lines([half], DIRECTION_ANGLES) == ["left arm up, not up and out, on 7"]


def test_both_sides_with_the_same_cue_merge() -> None:
    # both arms up, the left hanging out to the image's right, the right to its left
    e = event(DIRECTION_ANGLES, {"left_upper_arm": (0.0, 90.0), "right_upper_arm": (0.0, -90.0)})
    assert coaching_lines([e], DIRECTION_ANGLES) == ["arms up, not out to the side, on 1-2"]
    events = [
        event(SEED_ANGLES, {"left_elbow": (100.0, 35.0)}, window=0),
        event(SEED_ANGLES, {"right_elbow": (100.0, 40.0)}, window=2),
    ]
    assert coaching_lines(events, SEED_ANGLES) == ["bend your elbows more, on 1-2 and 5-6"]
    # the same side's arm and forearm with one cue: the whole arm
    e = event(DIRECTION_ANGLES, {"left_upper_arm": (0.0, 90.0), "left_forearm": (0.0, 80.0)})
    assert coaching_lines([e], DIRECTION_ANGLES) == ["left arm up, not out to the side, on 1-2"]
    # the coach's arms both up, the player's one out, one up and out: where the coach's are
    e = event(DIRECTION_ANGLES, {"left_upper_arm": (0.0, 90.0), "right_upper_arm": (0.0, -60.0)})
    assert coaching_lines([e], DIRECTION_ANGLES) == ["arms up, on 1-2"]
    e = event(DIRECTION_ANGLES, {"right_upper_arm": (0.0, -90.0), "right_forearm": (0.0, -60.0)})
    assert coaching_lines([e], DIRECTION_ANGLES) == ["right arm up, on 1-2"]
    # the coach's arms in different places stay apart
    e = event(DIRECTION_ANGLES, {"left_upper_arm": (0.0, 90.0), "right_upper_arm": (-90.0, 60.0)})
    assert coaching_lines([e], DIRECTION_ANGLES) == [
        "left arm up, not out to the side, on 1-2",
        "right arm out to the side, not up and out, on 1-2",
    ]


def test_mirrored_judging_swaps_the_sides() -> None:
    e = event(SEED_ANGLES, {"left_elbow": (100.0, 35.0)})
    assert coaching_lines([e], SEED_ANGLES, mirrored=True) == ["bend your right elbow more, on 1-2"]
    e = event(DIRECTION_ANGLES, {"torso_lean": (-20.0, 20.0), "right_thigh": (180.0, 100.0)})
    assert coaching_lines([e], DIRECTION_ANGLES, mirrored=True) == [
        "a different move with your left leg: watch the coach on 1-2",
        "lean to your right, on 1-2",
    ]


def test_errors_both_ways_mean_timing() -> None:
    """Too high in one window, too low in the next: the mean signed error is near zero."""
    events = [
        event(DIRECTION_ANGLES, {"left_forearm": (90.0, 50.0)}, window=0),
        event(DIRECTION_ANGLES, {"left_forearm": (90.0, -45.0)}, window=1),
    ]
    assert coaching_lines(events, DIRECTION_ANGLES) == [
        "left forearm: move it with the coach, on 1 to 4"
    ]
    # within one window: off by 60 on average, but as much one way as the other
    e = event(DIRECTION_ANGLES, {"right_forearm": (90.0, 5.0)}, error={"right_forearm": 60.0})
    assert coaching_lines([e], DIRECTION_ANGLES) == [
        "right forearm: move it with the coach, on 1-2"
    ]


def test_limbs_first_then_the_body_then_the_head_at_most_two() -> None:
    head = {"neck_lean": (180.0, -20.0)}
    body = {"facing": (90.0, -170.0)}
    events = [event(DIRECTION_ANGLES, {**head, **body}, window=w, ratio={"neck_lean": 5.0})
              for w in range(4)]  # fmt: skip
    events.append(event(DIRECTION_ANGLES, {**head, "left_forearm": (0.0, 60.0)}, window=4))
    assert coaching_lines(events, DIRECTION_ANGLES) == [
        "left forearm up, not up and out, on 1-2",  # one window, but a limb
        "face the other way, all through the eight",
    ]
    assert coaching_lines(events, DIRECTION_ANGLES, max_lines=3)[2].startswith("hold your head")
    assert coaching_lines(events, DIRECTION_ANGLES, max_lines=1) == [
        "left forearm up, not up and out, on 1-2"
    ]


def test_among_limbs_the_most_often_then_the_furthest_wrong_first() -> None:
    leg, worse = {"left_thigh": (180.0, -40.0)}, {"right_forearm": 4.0}
    events = [
        event(DIRECTION_ANGLES, {**leg, "right_forearm": (0.0, 50.0)}, 0, ratio=worse),
        event(DIRECTION_ANGLES, {**leg, "left_upper_arm": (0.0, 50.0)}, 1),
    ]
    assert coaching_lines(events, DIRECTION_ANGLES) == [
        "left leg under you, not out to the side, on 1 to 4",
        "right forearm up, not up across your body, on 1-2",  # wrong by ratio 4, not 2
    ]


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
    assert segment_coaching(first, events, SEED_ANGLES) == ["bend your left elbow more, on 1-2"]
    assert segment_coaching(second, events, SEED_ANGLES) == ["straighten your right knee, on 5-6"]


def test_no_degrees_anywhere() -> None:
    """Every joint of every angle set, coached at every angle and error: no degree sign, no
    number; on `directions`, every cue in the teacher's grammar."""
    grid = np.arange(-180.0, 180.0, 15.0)
    for name, specs in ANGLE_SETS.items():
        for spec, coach, offset in itertools.product(specs, grid, grid[1:]):
            words = says(spec, coach, offset)
            assert not re.search(r"[°\d]", words), (spec.name, coach, offset, words)
            if name == "directions":
                assert GRAMMAR.match(f"{advice_for(spec, coach, offset).line('on 1')}"), words


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


REAL_PAIRS = (
    ("funfun_reference", "funfun_user"),
    ("funfun_user", "funfun_reference"),
    ("renegade_a", "renegade_b"),
    ("renegade_b", "renegade_a"),
)


@pytest.mark.realdata
@pytest.mark.mediapipe
def test_every_cue_on_real_covers_is_one_a_teacher_would_say(
    realdata: Path, pose_cache: Path
) -> None:
    """The real covers of the shared clips, scored as `score` does: every missed segment
    gets one or two cues in the teacher's grammar, the same words as the text report's."""
    from game.cover.export import summary_lines
    from game.cover.run import score_cover

    cues = 0
    for ref, cover in REAL_PAIRS:
        result = score_cover(realdata / f"{ref}.mp4", realdata / f"{cover}.mp4",
                             difficulty="normal")  # fmt: skip
        report = "\n".join(summary_lines(result))
        for segment in result.summary.missed_segments:
            lines = segment_coaching(segment, result.events, result.reference.specs,
                                     result.alignment.mirrored)  # fmt: skip
            assert 1 <= len(lines) <= 2, (ref, cover, segment, lines)
            for line in lines:
                assert GRAMMAR.match(line), (ref, cover, line)
                assert "°" not in line
            assert "; ".join(lines) in report
            cues += len(lines)
    assert cues >= 8  # the covers miss a few stretches: the test reads real cues
