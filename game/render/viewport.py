"""Map pose coordinates (height units) into a screen rectangle, optionally mirrored."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pygame

from game.pose.frame import MIN_VISIBILITY, PoseTrack


@dataclass(frozen=True)
class Viewport:
    """Shows the pose-space box (x0, y0, width, height) letterboxed inside `rect`."""

    rect: pygame.Rect
    box: tuple[float, float, float, float]
    mirror: bool = False

    @property
    def scale(self) -> float:
        return min(self.rect.width / self.box[2], self.rect.height / self.box[3])

    def to_screen(self, xy: np.ndarray) -> np.ndarray:
        """(..., 2) pose points -> (..., 2) pixel positions."""
        x0, y0, w, h = self.box
        scale = self.scale
        left = self.rect.centerx - w * scale / 2
        top = self.rect.centery - h * scale / 2
        x = (np.asarray(xy)[..., 0] - x0) * scale
        if self.mirror:
            x = w * scale - x
        y = (np.asarray(xy)[..., 1] - y0) * scale
        return np.stack([left + x, top + y], axis=-1).astype(np.float64)

    def box_on_screen(self, box: tuple[float, float, float, float]) -> pygame.Rect:
        """The pixel rectangle that the pose-space box (x0, y0, width, height) covers."""
        x0, y0, width, height = box
        corners = self.to_screen(np.array([[x0, y0], [x0 + width, y0 + height]]))
        low, high = corners.min(axis=0), corners.max(axis=0)
        return pygame.Rect(round(low[0]), round(low[1]), round(high[0] - low[0]),
                           round(high[1] - low[1]))  # fmt: skip

    @staticmethod
    def for_frame(rect: pygame.Rect, aspect: float, mirror: bool = False) -> Viewport:
        """The whole camera image (0..aspect by 0..1)."""
        return Viewport(rect, (0.0, 0.0, aspect, 1.0), mirror)

    @staticmethod
    def for_track(rect: pygame.Rect, track: PoseTrack, mirror: bool = False) -> Viewport:
        """A steady box around everywhere the dancer goes in `track`."""
        cached = _BOXES.get(id(track))
        if cached is None or cached[0] is not track:
            cached = (track, dancer_box(track))
            _BOXES[id(track)] = cached
        box = cached[1]
        return (
            Viewport(rect, box, mirror) if box else Viewport.for_frame(rect, track.aspect, mirror)
        )


_BOXES: dict[int, tuple[PoseTrack, tuple[float, float, float, float] | None]] = {}


def dancer_box(track: PoseTrack, margin: float = 0.08) -> tuple[float, float, float, float] | None:
    """(x0, y0, width, height) around where the dancer goes, with room for the head."""
    return steady_box(track.landmarks, track.visibility, margin)


def steady_box(
    landmarks: np.ndarray, visibility: np.ndarray, margin: float = 0.08
) -> tuple[float, float, float, float] | None:
    """`dancer_box` of poses (frames, 33, 3) and their visibility (frames, 33): the 1st to
    99th percentile of the seen points, so a stray guess of a joint out of frame does not
    shrink the dancer."""
    seen = visibility >= MIN_VISIBILITY
    if not seen.any():
        return None
    points = landmarks[..., :2][seen]
    low = np.percentile(points, 1, axis=0)
    high = np.percentile(points, 99, axis=0)
    size = np.maximum(high - low, 0.05)
    pad = size.max() * margin
    return (
        float(low[0] - pad),
        float(low[1] - 2 * pad),
        float(size[0] + 2 * pad),
        float(size[1] + 3 * pad),
    )
