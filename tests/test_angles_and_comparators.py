"""Angles and the seed's three comparators on synthetic poses."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic import dancer_track

from game.pose.angles import joint_angles
from game.pose.frame import PoseFrame, mirror_frame
from game.pose.skeleton import (
    EXTENDED_ANGLES,
    INDEX,
    L_ELBOW,
    L_WRIST,
    MIRROR_PERMUTATION,
    SEED_ANGLES,
    SEED_KEYPOINTS,
)
from game.scoring.comparators import (
    angle_difference,
    cosine_similarity,
    normalized_cosine_similarity,
)

POSE = dancer_track(duration=2.0).frame(17)


def transformed(frame: PoseFrame, scale: float, shift: tuple[float, float]) -> PoseFrame:
    landmarks = frame.landmarks.copy()
    landmarks[:, :2] = landmarks[:, :2] * scale + np.array(shift)
    return PoseFrame(frame.time, landmarks, frame.visibility)


def test_mirror_permutation_swaps_left_and_right_and_is_its_own_inverse() -> None:
    assert MIRROR_PERMUTATION[INDEX["left_elbow"]] == INDEX["right_elbow"]
    assert MIRROR_PERMUTATION[INDEX["nose"]] == INDEX["nose"]
    assert all(MIRROR_PERMUTATION[MIRROR_PERMUTATION[i]] == i for i in range(33))


def test_right_angle_at_the_elbow_is_ninety_degrees() -> None:
    landmarks = POSE.landmarks.copy()
    shoulder = landmarks[INDEX["left_shoulder"], :2]
    landmarks[L_ELBOW, :2] = shoulder + np.array([0.0, 0.1])
    landmarks[L_WRIST, :2] = shoulder + np.array([0.1, 0.1])
    angles = joint_angles(landmarks, POSE.visibility, SEED_ANGLES)
    assert angles[1] == pytest.approx(90.0, abs=1e-3)


def test_invisible_keypoint_makes_its_angles_missing_not_zero() -> None:
    visibility = POSE.visibility.copy()
    visibility[L_WRIST] = 0.1
    angles = joint_angles(POSE.landmarks, visibility, EXTENDED_ANGLES)
    names = [s.name for s in EXTENDED_ANGLES]
    assert np.isnan(angles[names.index("left_elbow")])
    assert np.isnan(angles[names.index("left_wrist")])
    assert np.isfinite(angles[names.index("right_elbow")])
    errors = angle_difference(PoseFrame(0, POSE.landmarks, visibility), POSE, EXTENDED_ANGLES)
    assert np.isnan(errors[names.index("left_elbow")])
    assert np.nansum(errors) == pytest.approx(0.0)


@pytest.mark.parametrize("scale", [0.5, 0.8, 1.0, 1.5, 2.0])
@pytest.mark.parametrize("shift", [(0.0, 0.0), (0.7, -0.2), (-0.3, 0.4)])
def test_angle_difference_ignores_translation_and_scale(
    scale: float, shift: tuple[float, float]
) -> None:
    moved = transformed(POSE, scale, shift)
    errors = angle_difference(moved, POSE, EXTENDED_ANGLES)
    assert np.nanmax(errors) < 1e-3


def test_angle_difference_in_mirror_mode_ignores_a_mirrored_player() -> None:
    player = mirror_frame(transformed(POSE, 1.3, (0.2, 0.1)), aspect=1.7)
    assert np.nanmax(angle_difference(player, POSE, SEED_ANGLES, mirror=True)) < 1e-3


def test_angle_difference_changes_when_a_limb_moves() -> None:
    landmarks = POSE.landmarks.copy()
    elbow = landmarks[L_ELBOW, :2]
    wrist = landmarks[L_WRIST, :2]
    rotation = np.array([[0.0, -1.0], [1.0, 0.0]])  # 90 degrees about the elbow
    landmarks[L_WRIST, :2] = elbow + rotation @ (wrist - elbow)
    moved = PoseFrame(POSE.time, landmarks, POSE.visibility)
    errors = angle_difference(moved, POSE, SEED_ANGLES)
    names = [s.name for s in SEED_ANGLES]
    assert errors[names.index("left_elbow")] > 30.0
    assert errors[names.index("right_elbow")] == pytest.approx(0.0, abs=1e-4)


def test_raw_cosine_depends_on_camera_distance_but_normalised_cosine_does_not() -> None:
    far = transformed(POSE, 0.5, (0.6, 0.3))
    assert cosine_similarity(POSE, POSE) == pytest.approx(1.0)
    assert cosine_similarity(far, POSE) < 0.99
    assert normalized_cosine_similarity(far, POSE) == pytest.approx(1.0, abs=1e-6)


def test_normalised_cosine_drops_for_a_different_pose() -> None:
    other = dancer_track(duration=2.0).frame(2)
    assert normalized_cosine_similarity(other, POSE) < normalized_cosine_similarity(POSE, POSE)
    assert len(SEED_KEYPOINTS) == 13


def test_signed_angles_tell_a_forearm_bent_up_from_one_bent_down() -> None:
    from game.pose.skeleton import SIGNED_ANGLES

    landmarks = POSE.landmarks.copy()
    shoulder = landmarks[INDEX["left_shoulder"], :2]
    landmarks[L_ELBOW, :2] = shoulder + np.array([0.12, 0.0])  # upper arm out to the side
    up, down = landmarks.copy(), landmarks.copy()
    up[L_WRIST, :2] = landmarks[L_ELBOW, :2] + np.array([0.0, -0.1])
    down[L_WRIST, :2] = landmarks[L_ELBOW, :2] + np.array([0.0, 0.1])
    frames = [PoseFrame(0.0, lm, POSE.visibility) for lm in (up, down)]
    elbow = [s.name for s in SIGNED_ANGLES].index("left_elbow")
    assert angle_difference(*frames, SEED_ANGLES)[1] == pytest.approx(0.0, abs=1e-3)
    assert angle_difference(*frames, SIGNED_ANGLES)[elbow] == pytest.approx(180.0, abs=1e-3)


def test_signed_angles_are_mirror_and_scale_invariant_and_wrap_the_short_way() -> None:
    from game.pose.angles import angle_errors
    from game.pose.skeleton import SIGNED_ANGLES

    player = mirror_frame(transformed(POSE, 0.6, (0.4, 0.2)), aspect=1.3)
    assert np.nanmax(angle_difference(player, POSE, SIGNED_ANGLES, mirror=True)) < 1e-3
    assert angle_errors(np.array([179.0]), np.array([-179.0]))[0] == pytest.approx(2.0)
