"""The seed project's three pose comparators (numpy only).

1. cosine similarity of the raw keypoint vectors,
2. cosine similarity after centring and L2 normalisation (camera distance and position
   no longer matter),
3. per-joint angle difference: the judge's comparator.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from game.pose.angles import DEFAULT_MIN_VISIBILITY, angle_errors, joint_angles
from game.pose.frame import PoseFrame, mirror_frame
from game.pose.skeleton import SEED_KEYPOINTS, AngleSpec


def _shared_points(
    a: PoseFrame, b: PoseFrame, keypoints: Sequence[int], min_visibility: float
) -> tuple[np.ndarray, np.ndarray]:
    """x, y of the keypoints both frames see, as (n, 2) arrays."""
    idx = np.array(keypoints)
    seen = (a.visibility[idx] >= min_visibility) & (b.visibility[idx] >= min_visibility)
    return a.landmarks[idx[seen], :2], b.landmarks[idx[seen], :2]


def _cosine(u: np.ndarray, v: np.ndarray) -> float:
    norm = float(np.linalg.norm(u) * np.linalg.norm(v))
    return float(np.dot(u, v) / norm) if norm > 0 else float("nan")


def cosine_similarity(
    a: PoseFrame,
    b: PoseFrame,
    keypoints: Sequence[int] = SEED_KEYPOINTS,
    min_visibility: float = DEFAULT_MIN_VISIBILITY,
) -> float:
    """Cosine of the raw keypoint vectors (the seed's comparator #1; NaN if none shared)."""
    pa, pb = _shared_points(a, b, keypoints, min_visibility)
    return _cosine(pa.ravel(), pb.ravel()) if len(pa) else float("nan")


def normalize_keypoints(points: np.ndarray) -> np.ndarray:
    """Centre (n, 2) points on their mean and scale them to unit L2 norm."""
    centred = points - points.mean(axis=0)
    norm = np.linalg.norm(centred)
    return centred / norm if norm > 0 else centred


def normalized_cosine_similarity(
    a: PoseFrame,
    b: PoseFrame,
    keypoints: Sequence[int] = SEED_KEYPOINTS,
    min_visibility: float = DEFAULT_MIN_VISIBILITY,
) -> float:
    """Cosine after centring and L2 normalisation (the seed's comparator #2)."""
    pa, pb = _shared_points(a, b, keypoints, min_visibility)
    if len(pa) < 2:
        return float("nan")
    return _cosine(normalize_keypoints(pa).ravel(), normalize_keypoints(pb).ravel())


def angle_difference(
    player: PoseFrame,
    reference: PoseFrame,
    specs: Sequence[AngleSpec],
    mirror: bool = False,
    min_visibility: float = DEFAULT_MIN_VISIBILITY,
) -> np.ndarray:
    """Per-joint absolute angle difference in degrees (the seed's comparator #3).

    NaN marks a joint that either side does not show. With `mirror`, the player is
    compared as their mirror image (they copy a mirrored coach).
    """
    if mirror:
        player = mirror_frame(player)
    theirs = joint_angles(player.landmarks, player.visibility, specs, min_visibility)
    ours = joint_angles(reference.landmarks, reference.visibility, specs, min_visibility)
    return angle_errors(theirs, ours)
