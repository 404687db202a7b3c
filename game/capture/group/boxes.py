"""Boxes (x0, y0, x1, y1) in pixels: from landmarks, overlaps, and duplicate removal."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from game.pose.skeleton import L_HIP, L_SHOULDER, R_HIP, R_SHOULDER

BOX_VISIBILITY = 0.3  # a landmark counts towards a box above this (looser than seen)
HEAD_MARGIN = 0.12  # of the box height, added above the top landmark (hair, forehead)
UNASSIGNED = 1e6


def pose_box(points: np.ndarray, visibility: np.ndarray) -> np.ndarray | None:
    """The box around the visible landmarks of one pose ((33, 2+) pixels), or None."""
    seen = visibility > BOX_VISIBILITY
    if seen.sum() < 4:
        return None
    xy = points[seen, :2]
    x0, y0 = xy.min(axis=0)
    x1, y1 = xy.max(axis=0)
    return np.array([x0, y0 - HEAD_MARGIN * (y1 - y0), x1, y1], np.float64)


def torso_box(points: np.ndarray, visibility: np.ndarray) -> np.ndarray | None:
    """The box around the shoulders and hips (None unless all four are seen): two poses on one
    person share their torso even when one of them has lost the legs or an arm."""
    joints = [L_SHOULDER, R_SHOULDER, L_HIP, R_HIP]
    if (visibility[joints] <= BOX_VISIBILITY).any():
        return None
    xy = points[joints, :2]
    return np.concatenate([xy.min(axis=0), xy.max(axis=0)]).astype(np.float64)


def hip_centre(points: np.ndarray, visibility: np.ndarray) -> np.ndarray | None:
    """The midpoint of the hips (None unless both are seen)."""
    if (visibility[[L_HIP, R_HIP]] <= BOX_VISIBILITY).any():
        return None
    return points[[L_HIP, R_HIP], :2].mean(axis=0).astype(np.float64)


def centre(box: np.ndarray) -> np.ndarray:
    return np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])


def height(box: np.ndarray) -> float:
    return float(max(box[3] - box[1], 1.0))


def _areas(boxes: np.ndarray) -> np.ndarray:
    return np.clip(boxes[:, 2] - boxes[:, 0], 0, None) * np.clip(boxes[:, 3] - boxes[:, 1], 0, None)


def _intersections(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a, b = np.asarray(a, np.float64).reshape(-1, 4), np.asarray(b, np.float64).reshape(-1, 4)
    w = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    h = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    return np.clip(w, 0, None) * np.clip(h, 0, None)


def iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection over union of every box in `a` with every box in `b`: (len(a), len(b))."""
    a, b = np.asarray(a, np.float64).reshape(-1, 4), np.asarray(b, np.float64).reshape(-1, 4)
    inter = _intersections(a, b)
    union = _areas(a)[:, None] + _areas(b)[None, :] - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-9), 0.0)


def iomin(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection over the smaller box's area: 1 when one box lies inside the other."""
    a, b = np.asarray(a, np.float64).reshape(-1, 4), np.asarray(b, np.float64).reshape(-1, 4)
    inter = _intersections(a, b)
    smaller = np.minimum(_areas(a)[:, None], _areas(b)[None, :])
    return np.where(smaller > 0, inter / np.maximum(smaller, 1e-9), 0.0)


def suppress_duplicates(boxes: np.ndarray, scores: np.ndarray, overlap: float = 0.6) -> list[int]:
    """Indices to keep, best score first: a box mostly inside a kept one is a duplicate."""
    order = list(np.argsort(-np.asarray(scores), kind="stable"))
    if not order:
        return []
    share = iomin(boxes, boxes)
    keep: list[int] = []
    for i in order:
        if all(share[i, k] < overlap for k in keep):
            keep.append(int(i))
    return keep


def assign(cost: np.ndarray, max_cost: float) -> list[tuple[int, int]]:
    """Hungarian assignment of rows to columns; pairs costing more than `max_cost` are dropped."""
    cost = np.asarray(cost, np.float64)
    if cost.size == 0:
        return []
    bounded = np.where(np.isfinite(cost) & (cost <= max_cost), cost, UNASSIGNED)
    rows, cols = linear_sum_assignment(bounded)
    return [(int(r), int(c)) for r, c in zip(rows, cols, strict=True) if bounded[r, c] < UNASSIGNED]
