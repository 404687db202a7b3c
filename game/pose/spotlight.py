"""Where to look in a group video: a smooth crop that follows one member (or a duet's two).

For each frame, the box around the member's seen landmarks (with room for the hair); frames
where the member is unseen take their neighbours' box. The box's size is held at its largest
over a second either side (a raised arm does not make the picture pump), then the centre and
size are smoothed over about half a second, and the crop is made as wide as the panel shows
(never wider than the video, never more than MAX_ZOOM times enlarged). Numpy only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.pose.frame import MIN_VISIBILITY, PoseTrack

SMOOTH_S = 0.5  # the centre and size are averaged over about this long
HOLD_S = 1.0  # the size is held at its largest over this long either side
MARGIN = 0.12  # of the body's size, on every side
HAIR = 0.1  # of the body's height, above the highest landmark
MAX_ZOOM = 3.0  # the crop is at least a third of the video's height


@dataclass(frozen=True)
class Spotlight:
    """`boxes` (N, 4): the crop at each of `times`, (x0, y0, width, height) in height units
    of the video frame (as landmarks are)."""

    times: np.ndarray
    boxes: np.ndarray

    def box_at(self, t: float) -> tuple[float, float, float, float]:
        x0, y0, w, h = (float(np.interp(t, self.times, self.boxes[:, k])) for k in range(4))
        return x0, y0, w, h


def body_boxes(track: PoseTrack) -> np.ndarray:
    """(N, 4) x0, y0, x1, y1 around each frame's seen landmarks; NaN where none is seen."""
    seen = track.visibility >= MIN_VISIBILITY
    xy = track.landmarks[..., :2].astype(np.float64)
    low = np.where(seen[..., None], xy, np.inf).min(axis=1)
    high = np.where(seen[..., None], xy, -np.inf).max(axis=1)
    boxes = np.concatenate([low, high], axis=1)
    boxes[~seen.any(axis=1)] = np.nan
    return boxes


def _smooth(values: np.ndarray, width: int) -> np.ndarray:
    """A Gaussian running mean over about `width` samples (edges held)."""
    if width < 2 or len(values) < 2:
        return values
    sigma = width / 2.0
    k = np.arange(-2 * width, 2 * width + 1)
    kernel = np.exp(-0.5 * (k / sigma) ** 2)
    kernel /= kernel.sum()
    padded = np.pad(values, 2 * width, mode="edge")
    return np.convolve(padded, kernel, mode="valid")


def _running_max(values: np.ndarray, half: int) -> np.ndarray:
    if half < 1:
        return values
    padded = np.pad(values, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    return windows.max(axis=1)


def spotlight(
    tracks: Sequence[PoseTrack], view_aspect: float, frame_aspect: float
) -> Spotlight | None:
    """The crop following `tracks` (their union, frame by frame; the first one's times) in a
    video of `frame_aspect` shown in a panel of `view_aspect`; None if they are never seen."""
    if not tracks or len(tracks[0]) == 0:
        return None
    times = tracks[0].times
    boxes = [body_boxes(tracks[0])]
    for other in tracks[1:]:
        picked = np.clip(np.searchsorted(other.times, times), 0, max(len(other) - 1, 0))
        boxes.append(body_boxes(other)[picked] if len(other) else np.full((len(times), 4), np.nan))
    stack = np.stack(boxes)
    with np.errstate(all="ignore"):
        union = np.concatenate(
            [np.nanmin(stack[..., :2], axis=0), np.nanmax(stack[..., 2:], axis=0)], axis=1
        )
    seen = np.isfinite(union).all(axis=1)
    if not seen.any():
        return None
    filled = np.stack([np.interp(times, times[seen], union[seen, k]) for k in range(4)], axis=1)
    x0, y0, x1, y1 = filled.T
    height = (y1 - y0) * (1 + HAIR)
    top = y0 - HAIR * (y1 - y0)
    width = x1 - x0
    step = float(np.median(np.diff(times))) if len(times) > 1 else 1.0 / 30
    hold, smooth = max(0, round(HOLD_S / step)), max(1, round(SMOOTH_S / step))
    cx = _smooth((x0 + x1) / 2, smooth)
    cy = _smooth(top + height / 2, smooth)
    height = _smooth(_running_max(height, hold), smooth)
    width = _smooth(_running_max(width, hold), smooth)
    crop_h = np.maximum(height * (1 + 2 * MARGIN), width * (1 + 2 * MARGIN) / view_aspect)
    crop_h = np.clip(crop_h, 1.0 / MAX_ZOOM, 1.0)
    crop_w = np.minimum(crop_h * view_aspect, frame_aspect)
    left = np.clip(cx - crop_w / 2, 0.0, frame_aspect - crop_w)
    up = np.clip(cy - crop_h / 2, 0.0, 1.0 - crop_h)
    return Spotlight(times, np.stack([left, up, crop_w, crop_h], axis=1))
