"""Skeleton drawing: bones, joints and the red circles around wrong joints."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pygame

from game.pose.skeleton import (
    ANGLE_MARKER,
    BONES,
    L_SHOULDER,
    NOSE,
    R_SHOULDER,
    SEED_KEYPOINTS,
    AngleSpec,
)
from game.render import theme
from game.render.theme import Color
from game.render.viewport import Viewport

MIN_VISIBILITY = 0.5


def draw_skeleton(
    surface: pygame.Surface,
    landmarks: np.ndarray,
    visibility: np.ndarray,
    view: Viewport,
    color: Color,
    width: int = 5,
) -> np.ndarray:
    """Bones and joints of one pose; returns the screen points (33, 2)."""
    points = view.to_screen(landmarks[:, :2])
    seen = visibility >= MIN_VISIBILITY
    for a, b in BONES:
        if seen[a] and seen[b]:
            pygame.draw.line(surface, color, points[a], points[b], width)
    if seen[NOSE] and seen[L_SHOULDER] and seen[R_SHOULDER]:
        radius = max(8.0, 0.3 * float(np.linalg.norm(points[L_SHOULDER] - points[R_SHOULDER])))
        pygame.draw.circle(surface, color, points[NOSE], radius, width=max(2, width - 1))
    for i in SEED_KEYPOINTS:
        if seen[i] and i != NOSE:
            pygame.draw.circle(surface, theme.TEXT, points[i], width + 1)
            pygame.draw.circle(surface, color, points[i], width - 1)
    return points


def draw_wrong_joints(
    surface: pygame.Surface,
    points: np.ndarray,
    visibility: np.ndarray,
    specs: Sequence[AngleSpec],
    ratios: np.ndarray | None,
    radius: int = 22,
    pulse: float = 0.0,
) -> None:
    """Circle in red every joint whose error exceeds its tolerance (ratio > 1)."""
    if ratios is None:
        return
    for spec, ratio in zip(specs, ratios, strict=True):
        if not (ratio > 1.0):
            continue
        marker = ANGLE_MARKER[spec.name]
        if min(visibility[i] for i in marker) < MIN_VISIBILITY:
            continue
        centre = points[list(marker)].mean(axis=0)
        size = radius + round(4 * pulse) + min(10, round(4 * (ratio - 1)))
        pygame.draw.circle(surface, theme.WRONG, centre, size, width=4)
