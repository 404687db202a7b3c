"""The player's body: thick limbs with rounded joints, a filled torso and head, in the
player's colour; and the red circles around wrong joints."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pygame

from game.pose import skeleton as sk
from game.pose.frame import MIN_VISIBILITY
from game.pose.skeleton import ANGLE_MARKER, AngleSpec
from game.render import theme
from game.render.theme import Color
from game.render.viewport import Viewport

OUTLINE: Color = (12, 8, 24)


def body_width(view: Viewport, thickness: float = 0.05) -> int:
    """Limb thickness in pixels for a view (a share of the body's height units)."""
    return max(6, round(thickness * view.scale))


def _limb(surface: pygame.Surface, a: np.ndarray, b: np.ndarray, width: int, color: Color) -> None:
    pygame.draw.line(surface, color, a, b, width)
    pygame.draw.circle(surface, color, a, width / 2)
    pygame.draw.circle(surface, color, b, width / 2)


def draw_skeleton(
    surface: pygame.Surface,
    landmarks: np.ndarray,
    visibility: np.ndarray,
    view: Viewport,
    color: Color,
    width: int | None = None,
) -> np.ndarray:
    """One pose drawn as a body in `color` (dark outline, lighter near-side limbs, filled
    torso and head); limbs whose joints are not visible are skipped. Returns the screen
    points (33, 2)."""
    p = view.to_screen(landmarks[:, :2])
    seen = visibility >= MIN_VISIBILITY
    w = width if width is not None else body_width(view)
    light, dark = theme.mix(color, (255, 255, 255), 0.3), theme.mix(color, (0, 0, 0), 0.3)
    torso = [sk.L_SHOULDER, sk.R_SHOULDER, sk.R_HIP, sk.L_HIP]
    chains = (
        ((sk.L_HIP, sk.L_KNEE, 1.2), (sk.L_KNEE, sk.L_ANKLE, 1.05), (sk.L_ANKLE, sk.L_FOOT, 0.7)),
        ((sk.R_HIP, sk.R_KNEE, 1.2), (sk.R_KNEE, sk.R_ANKLE, 1.05), (sk.R_ANKLE, sk.R_FOOT, 0.7)),
        ((sk.L_SHOULDER, sk.L_ELBOW, 1.0), (sk.L_ELBOW, sk.L_WRIST, 0.85)),
        ((sk.R_SHOULDER, sk.R_ELBOW, 1.0), (sk.R_ELBOW, sk.R_WRIST, 0.85)),
    )
    bones = [(a, b, round(w * f)) for chain in chains for a, b, f in chain if seen[a] and seen[b]]
    for a, b, bw in bones:  # one outline under everything: the body reads as one shape
        _limb(surface, p[a], p[b], bw + 5, OUTLINE)
    if seen[torso].all():
        centre = p[torso].mean(axis=0)
        pygame.draw.polygon(surface, OUTLINE, (centre + (p[torso] - centre) * 1.18).tolist())
        pygame.draw.polygon(surface, dark, (centre + (p[torso] - centre) * 1.08).tolist())
        pygame.draw.polygon(surface, color, (centre + (p[torso] - centre) * 0.78).tolist())
    for a, b, bw in bones:
        left = a in (sk.L_HIP, sk.L_KNEE, sk.L_ANKLE, sk.L_SHOULDER, sk.L_ELBOW)
        _limb(surface, p[a], p[b], bw, light if left else color)
    for joint in (sk.L_ELBOW, sk.R_ELBOW, sk.L_KNEE, sk.R_KNEE):
        if seen[joint]:
            pygame.draw.circle(surface, (255, 255, 255), p[joint], max(2, w // 4))
    for wrist in (sk.L_WRIST, sk.R_WRIST):
        if seen[wrist]:
            pygame.draw.circle(surface, OUTLINE, p[wrist], w * 0.7 + 2.5)
            pygame.draw.circle(surface, light, p[wrist], w * 0.7)
    if seen[sk.NOSE]:
        shoulders = seen[sk.L_SHOULDER] and seen[sk.R_SHOULDER]
        span = float(np.linalg.norm(p[sk.L_SHOULDER] - p[sk.R_SHOULDER])) if shoulders else 0.0
        radius = max(w * 1.1, 0.36 * span)
        head = p[sk.NOSE] - np.array([0.0, radius * 0.3])
        if shoulders:
            neck = p[[sk.L_SHOULDER, sk.R_SHOULDER]].mean(axis=0)
            _limb(surface, neck, head, round(w * 0.8) + 5, OUTLINE)
            _limb(surface, neck, head, round(w * 0.8), dark)
        pygame.draw.circle(surface, OUTLINE, head, radius + 3)
        pygame.draw.circle(surface, color, head, radius)
        pygame.draw.circle(surface, light, head - radius * 0.25, radius * 0.35)
    return p


def draw_wrong_joints(
    surface: pygame.Surface,
    points: np.ndarray,
    visibility: np.ndarray,
    specs: Sequence[AngleSpec],
    ratios: Sequence[float] | np.ndarray | None,
    radius: int = 22,
    pulse: float = 0.0,
) -> list[str]:
    """Circle in red every joint whose error exceeds its tolerance (ratio > 1); returns the
    names of the joints circled."""
    if ratios is None:
        return []
    circled = []
    for spec, ratio in zip(specs, ratios, strict=True):
        if not (ratio > 1.0):
            continue
        marker = ANGLE_MARKER[spec.name]
        if min(visibility[i] for i in marker) < MIN_VISIBILITY:
            continue
        centre = points[list(marker)].mean(axis=0)
        size = radius + round(4 * pulse) + min(10, round(4 * (ratio - 1)))
        pygame.draw.circle(surface, OUTLINE, centre, size + 2, width=8)
        pygame.draw.circle(surface, theme.WRONG, centre, size, width=5)
        circled.append(spec.name)
    return circled


THIN_BONES = (
    (sk.L_SHOULDER, sk.R_SHOULDER), (sk.L_HIP, sk.R_HIP), (sk.L_SHOULDER, sk.L_HIP),
    (sk.R_SHOULDER, sk.R_HIP), (sk.L_SHOULDER, sk.L_ELBOW), (sk.L_ELBOW, sk.L_WRIST),
    (sk.R_SHOULDER, sk.R_ELBOW), (sk.R_ELBOW, sk.R_WRIST), (sk.L_HIP, sk.L_KNEE),
    (sk.L_KNEE, sk.L_ANKLE), (sk.R_HIP, sk.R_KNEE), (sk.R_KNEE, sk.R_ANKLE),
)  # fmt: skip


def draw_thin_skeleton(
    surface: pygame.Surface,
    landmarks: np.ndarray,
    visibility: np.ndarray,
    view: Viewport,
    color: Color,
    ratios: Sequence[float] | None,
    specs: Sequence[AngleSpec],
) -> np.ndarray:
    """See yourself: a thin skeleton in `color` over the camera image, so the player's own
    body shows through; its joints are dots, red where `ratios` say a joint is wrong.
    Returns the screen points (33, 2)."""
    p = view.to_screen(landmarks[:, :2])
    seen = visibility >= MIN_VISIBILITY
    for a, b in THIN_BONES:
        if seen[a] and seen[b]:
            pygame.draw.line(surface, OUTLINE, p[a], p[b], 6)
            pygame.draw.line(surface, color, p[a], p[b], 3)
    if seen[sk.NOSE] and seen[sk.L_SHOULDER] and seen[sk.R_SHOULDER]:  # the neck
        neck = p[[sk.L_SHOULDER, sk.R_SHOULDER]].mean(axis=0)
        pygame.draw.line(surface, OUTLINE, neck, p[sk.NOSE], 6)
        pygame.draw.line(surface, color, neck, p[sk.NOSE], 3)
    wrong: set[int] = set()
    for spec, ratio in zip(specs, ratios if ratios is not None else (), strict=False):
        if ratio > 1.0:
            wrong.update(ANGLE_MARKER[spec.name])
    joints = {j for bone in THIN_BONES for j in bone} | {sk.NOSE}
    for joint in sorted(joints):
        if not seen[joint]:
            continue
        bad = joint in wrong
        pygame.draw.circle(surface, OUTLINE, p[joint], 9 if bad else 6)
        fill = theme.WRONG if bad else (255, 255, 255)
        pygame.draw.circle(surface, fill, p[joint], 7 if bad else 4)
    return p
