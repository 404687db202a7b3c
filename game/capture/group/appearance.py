"""Clothing colour: a coarse colour histogram of the torso and of the thighs (numpy only)."""

from __future__ import annotations

import numpy as np

from game.pose.frame import MIN_VISIBILITY
from game.pose.skeleton import L_HIP, L_KNEE, L_SHOULDER, R_HIP, R_KNEE, R_SHOULDER

LEVELS = 4  # per RGB channel: 64 colour bins per region
BINS = LEVELS**3
REGIONS = ((L_SHOULDER, R_SHOULDER, L_HIP, R_HIP), (L_HIP, R_HIP, L_KNEE, R_KNEE))
FEATURE_SIZE = BINS * len(REGIONS)
SAMPLES = 24  # pixels per side sampled in a region


def _region(image: np.ndarray, points: np.ndarray, visibility: np.ndarray, joints) -> np.ndarray:
    joints = list(joints)
    if (visibility[joints] < MIN_VISIBILITY).any():
        return np.zeros(BINS)
    xy = points[joints, :2]
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    shrink = 0.2 * (x1 - x0)  # stay off the arms and the background beside the body
    x0, x1 = x0 + shrink, x1 - shrink
    h, w = image.shape[:2]
    xs = np.clip(np.linspace(x0, x1, SAMPLES), 0, w - 1).astype(int)
    ys = np.clip(np.linspace(y0, y1, SAMPLES), 0, h - 1).astype(int)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return np.zeros(BINS)
    patch = image[ys[:, None], xs[None, :]].reshape(-1, 3).astype(np.int64) * LEVELS // 256
    index = (patch[:, 0] * LEVELS + patch[:, 1]) * LEVELS + patch[:, 2]
    counts = np.bincount(index, minlength=BINS).astype(np.float64)
    return counts / counts.sum()


def color_feature(image: np.ndarray, points: np.ndarray, visibility: np.ndarray) -> np.ndarray:
    """Torso and thigh colour histograms of one pose ((33, 2+) pixel landmarks) in an RGB image.

    A region that is not in view is all zeros and is left out of comparisons.
    """
    return np.concatenate([_region(image, points, visibility, r) for r in REGIONS])


def color_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Hellinger distance (0 same .. 1 disjoint), averaged over regions both show; 0.5 if none."""
    parts = []
    for k in range(len(REGIONS)):
        pa, pb = a[k * BINS : (k + 1) * BINS], b[k * BINS : (k + 1) * BINS]
        if pa.sum() > 0 and pb.sum() > 0:
            overlap = float(np.sqrt(pa / pa.sum() * pb / pb.sum()).sum())
            parts.append(np.sqrt(max(0.0, 1.0 - overlap)))
    return float(np.mean(parts)) if parts else 0.5


def color_distances(rows: list[np.ndarray], cols: list[np.ndarray]) -> np.ndarray:
    return np.array([[color_distance(r, c) for c in cols] for r in rows]).reshape(
        len(rows), len(cols)
    )
