"""Moves and choreography: a dancer that moves smoothly, stays in frame, hits its poses on
the beat, and whose moves the judge can tell apart."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from game.authoring import moves as mv
from game.authoring.choreography import Phrase, Style, choreograph, plan_routine, pose_curve
from game.pose.angles import joint_angles
from game.pose.skeleton import (
    INDEX,
    L_ELBOW,
    L_SHOULDER,
    L_WRIST,
    R_ANKLE,
    R_HIP,
    R_KNEE,
    SEED_ANGLES,
)

BPM, OFFSET = 128.0, 2.0
PHRASES = [Phrase("intro", 0, 8), Phrase("chorus", 8, 16), Phrase("verse", 24, 16)]
HARD = Style(parts=("arms", "steps", "full"), step_beats=1, hold=0.2, bounce=0.01)
DURATION = OFFSET + 41 * 60 / BPM + 1.0


def seed_angles(landmarks: np.ndarray) -> np.ndarray:
    return joint_angles(landmarks, np.ones(landmarks.shape[:-1]), SEED_ANGLES)


@pytest.fixture(scope="module")
def track():
    return choreograph(PHRASES, HARD, BPM, OFFSET, DURATION, seed=3, end_beat=40)


def test_track_shape(track) -> None:
    assert track.aspect == mv.ASPECT
    assert np.allclose(np.diff(track.times), 1 / 30)
    assert track.times[0] == 0 and track.duration <= DURATION
    assert track.landmarks.shape == (len(track), 33, 3)
    assert (track.visibility == 1).all()
    assert np.isfinite(track.landmarks).all()


def test_in_frame(track) -> None:
    xy = track.landmarks[..., :2]
    assert xy[..., 0].min() > 0.02 and xy[..., 0].max() < track.aspect - 0.02
    assert xy[..., 1].min() > 0.02 and xy[..., 1].max() < 0.98


def test_smooth_motion(track) -> None:
    """No landmark jumps: bounded speed and acceleration per 30 fps frame."""
    xy = track.landmarks[..., :2].astype(np.float64)
    speed = np.linalg.norm(np.diff(xy, axis=0), axis=-1)
    accel = np.linalg.norm(np.diff(xy, 2, axis=0), axis=-1)
    assert speed.max() < 0.15  # under 4.5 frame heights a second, even at 128 BPM
    assert np.percentile(speed, 95) < 0.06
    assert accel.max() < 0.09
    assert speed.mean() > 0.002  # it does dance


def test_bones_keep_their_length(track) -> None:
    lm = track.landmarks.astype(np.float64)

    def length(a: int, b: int, dims: int) -> np.ndarray:
        return np.linalg.norm(lm[:, a, :dims] - lm[:, b, :dims], axis=-1)

    upper_arm = length(L_SHOULDER, L_ELBOW, 2)  # upper arms move in the image plane
    assert np.allclose(upper_arm, mv.UPPER_ARM, atol=1e-4)
    assert np.allclose(length(R_HIP, R_KNEE, 3), mv.THIGH, atol=1e-4)  # legs bend in 3D
    assert np.allclose(length(R_KNEE, R_ANKLE, 3), mv.SHIN, atol=1e-4)
    forearm = length(L_ELBOW, L_WRIST, 2)  # shortens when it swings toward the camera
    assert forearm.max() < mv.FOREARM + 1e-4
    assert np.median(forearm) > 0.9 * mv.FOREARM


def test_face_around_the_nose(track) -> None:
    lm = track.landmarks[..., :2]
    nose = lm[:, INDEX["nose"]]
    for name in ("left_eye", "right_eye", "mouth_left", "left_ear", "right_ear"):
        assert np.linalg.norm(lm[:, INDEX[name]] - nose, axis=-1).max() < 0.06
    assert (lm[:, INDEX["left_eye"], 1] < nose[:, 1]).all()  # eyes above the nose
    assert (lm[:, INDEX["left_shoulder"], 0] > lm[:, INDEX["right_shoulder"], 0]).all()


def test_key_poses_hit_on_the_beat(track) -> None:
    placements = plan_routine(PHRASES, HARD, seed=3, end_beat=40)
    assert [p.beat for p in placements] == list(range(41))
    beats = np.array([p.beat for p in placements], float)
    curve = pose_curve(placements, beats, HARD, 60 / BPM)
    arms = [mv.P[n] for n in ("l_shoulder", "l_elbow", "r_shoulder", "r_elbow", "l_foot_x")]
    keys = np.stack([p.pose for p in placements])
    assert np.allclose(curve[:, arms], keys[:, arms])
    # The sampled track at those beats shows the same elbow angles as the key poses.
    times = OFFSET + beats * 60 / BPM
    frames = np.array([track.index_at(t) for t in times])
    on_grid = np.abs(track.times[frames] - times) < 1e-6
    got = seed_angles(track.landmarks[frames[on_grid]])[:, 1:3]
    want = seed_angles(mv.landmarks(keys[on_grid]))[:, 1:3]
    assert np.abs(got - want).max() < 3.0


def test_choreography_is_deterministic_and_repeats_by_section(track) -> None:
    again = choreograph(PHRASES, HARD, BPM, OFFSET, DURATION, seed=3, end_beat=40)
    assert np.array_equal(again.landmarks, track.landmarks)
    plan = plan_routine([*PHRASES, Phrase("chorus", 40, 16)], HARD, seed=3)
    first = [p.move for p in plan if 8 <= p.beat < 24]
    second = [p.move for p in plan if 40 <= p.beat < 56]
    assert first == second  # a chorus is danced the same way each time
    other = plan_routine(PHRASES, HARD, seed=4)
    assert [p.move for p in other] != [p.move for p in plan[: len(other)]]


def test_style_parts_are_respected() -> None:
    easy = Style(parts=("arms",), step_beats=2)
    plan = plan_routine(PHRASES, easy, seed=1)
    assert {mv.MOVES[p.move].parts for p in plan} == {"arms"}
    assert [p.beat for p in plan][:3] == [0, 2, 4]
    curve = pose_curve(plan, np.linspace(-2, 40, 500), easy, 60 / 90)
    feet = curve[:, [mv.P["l_foot_x"], mv.P["r_foot_x"], mv.P["root_x"]]]
    assert np.allclose(feet, feet[0])  # arms-only levels keep the feet still


def test_moves_are_distinguishable_by_the_judge() -> None:
    """Each move's defining (first) pose differs from every other's by more than the
    judge's tolerance on at least one of the seed's nine angles."""
    tolerance = np.array([s.tolerance_deg for s in SEED_ANGLES])
    angles = {
        name: seed_angles(mv.landmarks(move.keys[0]))[0]
        for name, move in mv.MOVES.items()
        if name != mv.ENDING_MOVE
    }
    assert len(angles) >= 20
    for a, b in itertools.combinations(angles, 2):
        worst = np.max(np.abs(angles[a] - angles[b]) / tolerance)
        assert worst > 1.25, f"{a} and {b} look alike to the judge ({worst:.2f} tolerances)"


def test_mirror_twins() -> None:
    for name, move in mv.MOVES.items():
        if name.endswith("_left"):
            twin = mv.MOVES[name.replace("_left", "_right")]
            for key, other in zip(move.keys, twin.keys, strict=True):
                assert np.allclose(mv.mirror_pose(key), other)
                assert np.allclose(mv.mirror_pose(mv.mirror_pose(key)), key)
    upright = mv.landmarks(mv.NEUTRAL)[0]
    assert upright[R_ANKLE, 1] > upright[R_KNEE, 1] > upright[R_HIP, 1] > upright[L_SHOULDER, 1]


def test_unknown_pose_parameter() -> None:
    with pytest.raises(ValueError, match="elbw"):
        mv.pose(l_elbw=3)
