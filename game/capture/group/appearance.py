"""What a dancer looks like: colour histograms of the head, the upper and the lower body.

Each region is sampled from the pixels the pose's own landmarks say are that part of the
body (hair and hat above the eyes; the torso and the upper arms; the thighs and shins along
the bones, where trousers, a skirt or bare legs are), so members in the same top are still
told apart by their trousers, their hair or their hat. Colours are binned by hue where
they have one and by brightness where they have none (black, greys, white), which keeps a
dark jacket and dark jeans apart yet is little moved by light. Numpy only.
"""

from __future__ import annotations

import numpy as np

from game.pose.frame import MIN_VISIBILITY
from game.pose.skeleton import (
    INDEX,
    L_ANKLE,
    L_ELBOW,
    L_HIP,
    L_KNEE,
    L_SHOULDER,
    NOSE,
    R_ANKLE,
    R_ELBOW,
    R_HIP,
    R_KNEE,
    R_SHOULDER,
)

REGIONS = ("head", "upper", "lower")
HUES = 8  # hue sectors of 45 degrees ...
SHADES = 2  # ... each split into dark and bright
GREYS = 4  # colourless pixels: black, dark grey, light grey, white
BINS = HUES * SHADES + GREYS
FEATURE_SIZE = BINS * len(REGIONS)
MIN_SATURATION = 0.22  # below this (or darker than MIN_VALUE) a pixel has no hue
MIN_VALUE = 0.16
SAMPLES = 16  # samples along each side of a patch, or along a bone
HEAD_SHARE = 0.38  # a head is about this share of the shoulders-to-hips length wide
LIMB_WIDTH = 0.06  # of the torso length, either side of a bone
FACE = (NOSE, INDEX["left_eye"], INDEX["right_eye"], INDEX["left_ear"], INDEX["right_ear"])


def color_bins(pixels: np.ndarray) -> np.ndarray:
    """The bin of each RGB pixel ((N, 3) uint8): hue x shade, or a grey level."""
    rgb = pixels.reshape(-1, 3).astype(np.float32) / 255.0
    top, low = rgb.max(axis=1), rgb.min(axis=1)
    span = top - low
    saturation = np.where(top > 0, span / np.maximum(top, 1e-6), 0.0)
    r, g, b = rgb[:, 0], rgb[:, 1], rgb[:, 2]
    safe = np.maximum(span, 1e-6)
    hue = np.where(
        top == r, ((g - b) / safe) % 6, np.where(top == g, (b - r) / safe + 2, (r - g) / safe + 4)
    )
    sector = np.clip((hue / 6 * HUES).astype(np.int64), 0, HUES - 1)
    chroma = sector * SHADES + (top >= 0.55).astype(np.int64)
    grey = HUES * SHADES + np.clip((top * GREYS).astype(np.int64), 0, GREYS - 1)
    colored = (saturation >= MIN_SATURATION) & (top >= MIN_VALUE)
    return np.where(colored, chroma, grey)


def _histogram(image: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    inside = (xs >= 0) & (xs <= w - 1) & (ys >= 0) & (ys <= h - 1)
    if inside.sum() < 8:
        return np.zeros(BINS)
    pixels = image[ys[inside].astype(int), xs[inside].astype(int)]
    counts = np.bincount(color_bins(pixels), minlength=BINS).astype(np.float64)
    return counts / counts.sum()


def _seen(visibility: np.ndarray, joints: list[int]) -> bool:
    return bool((visibility[joints] >= MIN_VISIBILITY).all())


def _patch(x0: float, y0: float, x1: float, y1: float) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = np.linspace(x0, x1, SAMPLES), np.linspace(y0, y1, SAMPLES)
    return np.repeat(xs[None, :], SAMPLES, 0).ravel(), np.repeat(ys[:, None], SAMPLES, 1).ravel()


def _bones(points: np.ndarray, bones: list[tuple[int, int]], width: float):
    """Sample points along each bone, and `width` pixels either side of it."""
    xs, ys = [], []
    t = np.linspace(0.1, 0.9, SAMPLES)
    for a, b in bones:
        pa, pb = points[a, :2], points[b, :2]
        along = pa[None, :] + t[:, None] * (pb - pa)[None, :]
        normal = np.array([-(pb - pa)[1], (pb - pa)[0]])
        normal = normal / max(float(np.linalg.norm(normal)), 1e-6) * width
        for k in (-1.0, 0.0, 1.0):
            xs.append(along[:, 0] + k * normal[0])
            ys.append(along[:, 1] + k * normal[1])
    return np.concatenate(xs), np.concatenate(ys)


def _torso_length(points: np.ndarray) -> float:
    shoulders = points[[L_SHOULDER, R_SHOULDER], :2].mean(axis=0)
    hips = points[[L_HIP, R_HIP], :2].mean(axis=0)
    return float(np.linalg.norm(shoulders - hips))


def _head(image: np.ndarray, points: np.ndarray, vis: np.ndarray, torso: float) -> np.ndarray:
    face = [j for j in FACE if vis[j] >= MIN_VISIBILITY]
    if len(face) < 2 or torso < 4:
        return np.zeros(BINS)
    cx = float(points[face, 0].mean())
    eyes = float(points[face, 1].min())
    width = HEAD_SHARE * torso
    xs, ys = _patch(cx - 0.7 * width, eyes - 0.85 * width, cx + 0.7 * width, eyes - 0.05 * width)
    return _histogram(image, xs, ys)


def _upper(image: np.ndarray, points: np.ndarray, vis: np.ndarray, torso: float) -> np.ndarray:
    xy = points[[L_SHOULDER, R_SHOULDER, L_HIP, R_HIP], :2]
    (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
    shrink = 0.2 * (x1 - x0)  # stay off the arms and the background beside the body
    if x1 - x0 - 2 * shrink < 2 or y1 - y0 < 2:
        return np.zeros(BINS)
    xs, ys = _patch(x0 + shrink, y0 + 0.1 * (y1 - y0), x1 - shrink, y1 - 0.05 * (y1 - y0))
    arms = [(s, e) for s, e in ((L_SHOULDER, L_ELBOW), (R_SHOULDER, R_ELBOW)) if vis[e] >= 0.5]
    if arms:
        ax, ay = _bones(points, arms, LIMB_WIDTH * torso)
        xs, ys = np.concatenate([xs, ax]), np.concatenate([ys, ay])
    return _histogram(image, xs, ys)


def _lower(image: np.ndarray, points: np.ndarray, vis: np.ndarray, torso: float) -> np.ndarray:
    legs = [(L_HIP, L_KNEE), (R_HIP, R_KNEE), (L_KNEE, L_ANKLE), (R_KNEE, R_ANKLE)]
    seen = [(a, b) for a, b in legs if vis[a] >= MIN_VISIBILITY and vis[b] >= MIN_VISIBILITY]
    if not any(a in (L_HIP, R_HIP) for a, _ in seen):
        return np.zeros(BINS)
    xs, ys = _bones(points, seen, LIMB_WIDTH * torso)
    return _histogram(image, xs, ys)


def color_feature(image: np.ndarray, points: np.ndarray, visibility: np.ndarray) -> np.ndarray:
    """Head, upper-body and lower-body colour histograms of one pose ((33, 2+) pixel
    landmarks) in an RGB image, concatenated. A region not in view is all zeros and is left
    out of comparisons."""
    if not _seen(visibility, [L_SHOULDER, R_SHOULDER, L_HIP, R_HIP]):
        return np.zeros(FEATURE_SIZE)
    torso = _torso_length(points)
    parts = (
        _head(image, points, visibility, torso),
        _upper(image, points, visibility, torso),
        _lower(image, points, visibility, torso),
    )
    return np.concatenate(parts)


def region_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Hellinger distance (0 same .. 1 disjoint) per region; NaN where either lacks it."""
    pa = np.asarray(a, np.float64).reshape(-1, len(REGIONS), BINS)
    pb = np.asarray(b, np.float64).reshape(-1, len(REGIONS), BINS)
    sa, sb = pa.sum(axis=2), pb.sum(axis=2)
    overlap = np.sqrt(pa / np.maximum(sa, 1e-12)[..., None] * pb / np.maximum(sb, 1e-12)[..., None])
    out = np.sqrt(np.clip(1.0 - overlap.sum(axis=2), 0.0, None))
    out[(sa <= 0) | (sb <= 0)] = np.nan
    return out.reshape(np.broadcast_shapes(sa.shape, sb.shape)) if out.size else out


def color_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Region distances averaged over the regions both show; 0.5 if none."""
    d = region_distances(a, b)
    return float(np.nanmean(d)) if np.isfinite(d).any() else 0.5


def color_distances(rows: list[np.ndarray], cols: list[np.ndarray]) -> np.ndarray:
    return np.array([[color_distance(r, c) for c in cols] for r in rows]).reshape(
        len(rows), len(cols)
    )
