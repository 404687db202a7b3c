"""Limb endpoints in body units, for judging how a dancer moves (numpy only).

Which way each limb moves, and when, is the half of a dance that a held pose cannot show:
two people standing still agree on every joint angle whatever the choreography. The judge
compares the *paths* of the elbows, wrists, knees and ankles, measured from the
shoulder centre in torso lengths, so a dancer's size and place in the frame do not count.
"""

from __future__ import annotations

import numpy as np

from game.pose.skeleton import (
    L_ANKLE,
    L_ELBOW,
    L_HIP,
    L_KNEE,
    L_SHOULDER,
    L_WRIST,
    R_ANKLE,
    R_ELBOW,
    R_HIP,
    R_KNEE,
    R_SHOULDER,
    R_WRIST,
)

MOVING_POINTS: tuple[int, ...] = (
    L_ELBOW,
    R_ELBOW,
    L_WRIST,
    R_WRIST,
    L_KNEE,
    R_KNEE,
    L_ANKLE,
    R_ANKLE,
)
MOTION_FEATURES = 2 * len(MOVING_POINTS)
MIN_TORSO = 1e-3  # height units: a smaller torso is a broken detection


def limb_points(
    landmarks: np.ndarray, visibility: np.ndarray, min_visibility: float = 0.5
) -> np.ndarray:
    """(..., 33, 3) landmarks -> (..., 16): x, y of each moving point, from the shoulder
    centre, in torso lengths (shoulder centre to hip centre). NaN where unseen."""
    xy = np.asarray(landmarks, np.float64)[..., :2]
    vis = np.asarray(visibility)
    mid_shoulder = (xy[..., L_SHOULDER, :] + xy[..., R_SHOULDER, :]) / 2
    mid_hip = (xy[..., L_HIP, :] + xy[..., R_HIP, :]) / 2
    torso = np.linalg.norm(mid_shoulder - mid_hip, axis=-1)
    core_seen = np.min(vis[..., [L_SHOULDER, R_SHOULDER, L_HIP, R_HIP]], axis=-1) >= min_visibility
    torso = np.where(core_seen & (torso >= MIN_TORSO), torso, np.nan)
    points = (xy[..., list(MOVING_POINTS), :] - mid_shoulder[..., None, :]) / torso[..., None, None]
    points = np.where((vis[..., list(MOVING_POINTS)] >= min_visibility)[..., None], points, np.nan)
    return points.reshape(*points.shape[:-2], MOTION_FEATURES).astype(np.float32)
