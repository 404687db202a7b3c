"""Joint angles from landmarks (numpy only). Missing keypoints give NaN, never zero."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from game.pose.frame import MIN_VISIBILITY
from game.pose.skeleton import (
    ABOVE_MID_HIP,
    L_HIP,
    L_SHOULDER,
    MID_HIP,
    MID_SHOULDER,
    NUM_LANDMARKS,
    R_HIP,
    R_SHOULDER,
    UP_FROM,
    VIRTUAL_COUNT,
    AngleSpec,
)

DEFAULT_MIN_VISIBILITY = MIN_VISIBILITY


def _with_virtual_points(xy: np.ndarray, visibility: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Append mid-shoulder, mid-hip, a point above mid-hip and the points above `UP_FROM`
    (skeleton.ABOVE) to (..., 33, 2) points."""
    mid_shoulder = (xy[..., L_SHOULDER, :] + xy[..., R_SHOULDER, :]) / 2
    mid_hip = (xy[..., L_HIP, :] + xy[..., R_HIP, :]) / 2
    above = mid_hip.copy()
    above[..., 1] -= 1.0
    points = np.concatenate(
        [xy, mid_shoulder[..., None, :], mid_hip[..., None, :], above[..., None, :]], axis=-2
    )
    vis_shoulder = np.minimum(visibility[..., L_SHOULDER], visibility[..., R_SHOULDER])
    vis_hip = np.minimum(visibility[..., L_HIP], visibility[..., R_HIP])
    vis = np.concatenate(
        [visibility, vis_shoulder[..., None], vis_hip[..., None], vis_hip[..., None]], axis=-1
    )
    assert points.shape[-2] == ABOVE_MID_HIP + 1 and MID_SHOULDER < MID_HIP
    up = points[..., list(UP_FROM), :].copy()
    up[..., 1] -= 1.0
    points = np.concatenate([points, up], axis=-2)
    vis = np.concatenate([vis, vis[..., list(UP_FROM)]], axis=-1)
    assert points.shape[-2] == NUM_LANDMARKS + VIRTUAL_COUNT
    return points, vis


def joint_angles(
    landmarks: np.ndarray,
    visibility: np.ndarray,
    specs: Sequence[AngleSpec],
    min_visibility: float = DEFAULT_MIN_VISIBILITY,
) -> np.ndarray:
    """Angles in degrees for (..., 33, 3) landmarks; shape (..., len(specs)).

    0..180 for a plain joint angle; -180..180 for a signed one (which side the limb bends to).

    An angle is NaN when any of its three points has visibility below `min_visibility`.
    Angles use x and y only: BlazePose depth is too noisy to judge a dance by.
    """
    points, vis = _with_virtual_points(np.asarray(landmarks)[..., :2], np.asarray(visibility))
    a = np.array([s.a for s in specs])
    b = np.array([s.vertex for s in specs])
    c = np.array([s.c for s in specs])
    ray1 = points[..., a, :] - points[..., b, :]
    ray2 = points[..., c, :] - points[..., b, :]
    cross = ray1[..., 0] * ray2[..., 1] - ray1[..., 1] * ray2[..., 0]
    dot = (ray1 * ray2).sum(axis=-1)
    angles = np.degrees(np.arctan2(cross, dot))
    signed = np.array([s.signed for s in specs])
    angles = np.where(signed, angles, np.abs(angles))
    seen = (vis[..., a] >= min_visibility) & (vis[..., b] >= min_visibility)
    seen &= vis[..., c] >= min_visibility
    degenerate = (np.hypot(*np.moveaxis(ray1, -1, 0)) < 1e-9) | (
        np.hypot(*np.moveaxis(ray2, -1, 0)) < 1e-9
    )
    return np.where(seen & ~degenerate, angles, np.nan).astype(np.float32)


def angle_errors(player: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Absolute angle difference in degrees (0..180, the short way round for signed
    angles); NaN where either side is missing."""
    gap = np.abs(np.asarray(player, np.float32) - np.asarray(reference, np.float32))
    return np.minimum(gap, 360.0 - gap)


def signed_angle_errors(player: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Player minus reference in degrees, the short way round (-180..180); NaN where either
    side is missing. `abs` of it is `angle_errors`."""
    gap = np.asarray(player, np.float32) - np.asarray(reference, np.float32)
    return (gap + 180.0) % 360.0 - 180.0


def circular_mean(angles: np.ndarray, axis: int | tuple[int, ...]) -> np.ndarray:
    """Mean direction of angles in degrees along `axis`, ignoring NaN (NaN where all are):
    the mean of 179 and -179 is 180, not 0."""
    radians = np.radians(np.asarray(angles, np.float64))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        sin = np.nanmean(np.sin(radians), axis=axis)
        cos = np.nanmean(np.cos(radians), axis=axis)
    return np.degrees(np.arctan2(sin, cos)).astype(np.float32)
