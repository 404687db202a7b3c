"""Screen geometry for the player panel: where a body is, and where a label can go without
covering it (pure: rectangles in, rectangles out)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pygame

from game.pose.frame import MIN_VISIBILITY
from game.pose.skeleton import L_SHOULDER, NOSE, R_SHOULDER

HEAD_ABOVE_NOSE = 0.75  # the head's top is this many shoulder widths above the nose
MARGIN = 0.08  # room around a body, as a share of its height


def pose_extent(
    landmarks: np.ndarray, visibility: np.ndarray, margin: float = MARGIN
) -> tuple[float, float, float, float] | None:
    """(x0, y0, width, height) around the visible landmarks in pose units, with room for the
    head above the nose and `margin` of the body's height all round; None if nothing shows."""
    seen = visibility >= MIN_VISIBILITY
    if not seen.any():
        return None
    points = landmarks[seen, :2].astype(np.float64)
    low, high = points.min(axis=0), points.max(axis=0)
    if seen[NOSE] and seen[L_SHOULDER] and seen[R_SHOULDER]:
        shoulders = float(np.linalg.norm(landmarks[L_SHOULDER, :2] - landmarks[R_SHOULDER, :2]))
        low[1] = min(low[1], float(landmarks[NOSE, 1]) - HEAD_ABOVE_NOSE * max(shoulders, 0.04))
    size = np.maximum(high - low, 0.05)
    pad = margin * max(size[1], size[0] * 0.5)
    return (float(low[0] - pad), float(low[1] - pad), float(size[0] + 2 * pad),
            float(size[1] + 2 * pad))  # fmt: skip


def union_box(
    boxes: Sequence[tuple[float, float, float, float] | None],
) -> tuple[float, float, float, float] | None:
    """The smallest (x0, y0, width, height) holding every box given (None ones skipped)."""
    real = [b for b in boxes if b is not None]
    if not real:
        return None
    x0 = min(b[0] for b in real)
    y0 = min(b[1] for b in real)
    x1 = max(b[0] + b[2] for b in real)
    y1 = max(b[1] + b[3] for b in real)
    return (x0, y0, x1 - x0, y1 - y0)


def place_clear(
    size: tuple[int, int],
    target: pygame.Rect,
    avoid: Sequence[pygame.Rect],
    within: pygame.Rect,
    gap: int = 8,
) -> pygame.Rect | None:
    """A rectangle of `size` next to `target` (above it, beside it at head height, below it)
    that stays inside `within` and overlaps nothing in `avoid`; None if there is no room."""
    width, height = size
    candidates = []
    above = pygame.Rect(0, 0, width, height)
    above.midbottom = (target.centerx, target.top - gap)
    candidates.append(above)
    for side in ("right", "left"):
        beside = pygame.Rect(0, 0, width, height)
        if side == "right":
            beside.midleft = (target.right + gap, target.top + target.height // 4)
        else:
            beside.midright = (target.left - gap, target.top + target.height // 4)
        candidates.append(beside)
    below = pygame.Rect(0, 0, width, height)
    below.midtop = (target.centerx, target.bottom + gap)
    candidates.append(below)
    for candidate in candidates:
        shifted = candidate.clamp(within)
        if not within.contains(shifted):
            continue
        if any(shifted.colliderect(r) for r in avoid):
            continue
        return shifted
    return None
