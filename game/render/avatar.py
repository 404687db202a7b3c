"""A clean dancer avatar drawn from a pose: thick limbs, a torso, a head with hair."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame

from game.pose import skeleton as sk
from game.pose.frame import MIN_VISIBILITY
from game.render.theme import Color, mix
from game.render.viewport import Viewport


@dataclass(frozen=True)
class AvatarStyle:
    body: Color = (255, 92, 170)
    left: Color = (255, 140, 200)
    right: Color = (200, 70, 150)
    legs: Color = (120, 90, 220)
    skin: Color = (255, 214, 190)
    hair: Color = (40, 24, 60)
    outline: Color = (20, 10, 30)


COACH_STYLE = AvatarStyle()


def _limb(surface: pygame.Surface, a: np.ndarray, b: np.ndarray, width: int, color: Color) -> None:
    pygame.draw.line(surface, color, a, b, width)
    pygame.draw.circle(surface, color, a, width // 2)
    pygame.draw.circle(surface, color, b, width // 2)


def _outlined_limb(
    surface: pygame.Surface, a: np.ndarray, b: np.ndarray, width: int, color: Color, edge: Color
) -> None:
    _limb(surface, a, b, width + 4, edge)
    _limb(surface, a, b, width, color)


def draw_avatar(
    surface: pygame.Surface,
    landmarks: np.ndarray,
    visibility: np.ndarray,
    view: Viewport,
    style: AvatarStyle = COACH_STYLE,
    thickness: float = 0.045,
) -> None:
    """Draw one pose as a cartoon dancer; limbs whose joints are not visible are skipped."""
    p = view.to_screen(landmarks[:, :2])
    seen = visibility >= MIN_VISIBILITY
    width = max(3, round(thickness * view.scale))
    edge = style.outline
    # With a mirrored view the dancer's left side is drawn on the screen's left.
    for hip, knee, ankle, foot, color in (
        (sk.L_HIP, sk.L_KNEE, sk.L_ANKLE, sk.L_FOOT, style.legs),
        (sk.R_HIP, sk.R_KNEE, sk.R_ANKLE, sk.R_FOOT, mix(style.legs, edge, 0.25)),
    ):
        for a, b, w in (
            (hip, knee, width * 1.25),
            (knee, ankle, width * 1.1),
            (ankle, foot, width * 0.8),
        ):
            if seen[a] and seen[b]:
                _outlined_limb(surface, p[a], p[b], round(w), color, edge)
    torso = [sk.L_SHOULDER, sk.R_SHOULDER, sk.R_HIP, sk.L_HIP]
    if seen[torso].all():
        corners = p[torso]
        centre = corners.mean(axis=0)
        grown = centre + (corners - centre) * 1.12
        pygame.draw.polygon(surface, edge, grown.tolist())
        pygame.draw.polygon(surface, style.body, (centre + (corners - centre) * 1.02).tolist())
    shoulder_width = float(np.linalg.norm(p[sk.L_SHOULDER] - p[sk.R_SHOULDER]))
    for shoulder, elbow, wrist, hand, color in (
        (sk.L_SHOULDER, sk.L_ELBOW, sk.L_WRIST, sk.L_INDEX, style.left),
        (sk.R_SHOULDER, sk.R_ELBOW, sk.R_WRIST, sk.R_INDEX, style.right),
    ):
        if seen[shoulder] and seen[elbow]:
            _outlined_limb(surface, p[shoulder], p[elbow], width, color, edge)
        if seen[elbow] and seen[wrist]:
            _outlined_limb(surface, p[elbow], p[wrist], round(width * 0.85), color, edge)
        if seen[wrist]:
            tip = p[hand] if seen[hand] else p[wrist]
            centre = (p[wrist] + tip) / 2
            pygame.draw.circle(surface, edge, centre, round(width * 0.75) + 2)
            pygame.draw.circle(surface, style.skin, centre, round(width * 0.75))
    if seen[sk.NOSE]:
        neck = p[[sk.L_SHOULDER, sk.R_SHOULDER]].mean(axis=0) if seen[torso[:2]].all() else None
        radius = max(width, round(0.42 * shoulder_width)) if neck is not None else width * 2
        head = p[sk.NOSE] - np.array([0, radius * 0.25])
        if neck is not None:
            _outlined_limb(surface, neck, head, round(width * 0.8), style.skin, edge)
        pygame.draw.circle(surface, edge, head, radius + 2)
        pygame.draw.circle(surface, style.hair, head, radius)
        pygame.draw.circle(
            surface, style.skin, head + np.array([0, radius * 0.22]), round(radius * 0.8)
        )
        fringe = pygame.Rect(0, 0, radius * 2, radius * 1.2)
        fringe.midtop = (round(head[0]), round(head[1] - radius))
        pygame.draw.ellipse(surface, style.hair, fringe)
