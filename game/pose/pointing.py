"""Pointing at the screen by hand, as pose logic (pure numpy): the box around the upper body
a hand moves a pointer in (from above the head to just above the hips), mirrored like the
camera view; hands resting by the hips point at nothing. `game.scenes.hand.HandPointer`
turns it into choosing a button by holding a hand over it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from game.pose.frame import MIN_VISIBILITY, PoseFrame
from game.pose.skeleton import L_HIP, L_SHOULDER, L_WRIST, R_HIP, R_SHOULDER, R_WRIST


def interaction_zone(pose: PoseFrame) -> tuple[float, float, float, float] | None:
    """(x0, y0, width, height) in pose units: the box around the upper body the hand moves
    in, from well above the head to just above the hips. None unless the torso is seen."""
    torso = [L_SHOULDER, R_SHOULDER, L_HIP, R_HIP]
    if pose.visibility[torso].min() < MIN_VISIBILITY:
        return None
    points = pose.landmarks[:, :2]
    shoulders = (points[L_SHOULDER] + points[R_SHOULDER]) / 2
    hips = (points[L_HIP] + points[R_HIP]) / 2
    width = max(float(np.linalg.norm(points[L_SHOULDER] - points[R_SHOULDER])), 1e-3)
    height = max(float(hips[1] - shoulders[1]), 1e-3)
    top = shoulders[1] - 1.2 * height
    return float(shoulders[0] - 2 * width), float(top), 4 * width, 2.1 * height


def raised_hand(pose: PoseFrame, screen: tuple[int, int]) -> tuple[int, int] | None:
    """Screen position of the higher wrist inside the interaction zone, mirrored like the
    camera view; None when no hand is lifted into it."""
    zone = interaction_zone(pose)
    if zone is None:
        return None
    x0, y0, width, height = zone
    best = None
    for wrist in (L_WRIST, R_WRIST):
        if pose.visibility[wrist] < MIN_VISIBILITY:
            continue
        u = (pose.landmarks[wrist, 0] - x0) / width
        v = (pose.landmarks[wrist, 1] - y0) / height
        if 0 <= u <= 1 and 0 <= v <= 1 and (best is None or v < best[1]):
            best = (u, v)
    if best is None:
        return None
    return round((1.0 - best[0]) * screen[0]), round(best[1] * screen[1])


def newest_pose(poses: Sequence[Sequence[PoseFrame]]) -> PoseFrame | None:
    """The newest pose of any player in one poll."""
    frames = [frame for player in poses for frame in player]
    return max(frames, key=lambda f: f.time) if frames else None
