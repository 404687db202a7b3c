"""Your member in the spotlight: the group video cropped to follow them, the others dimmed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pygame

from game.pose.frame import MIN_VISIBILITY, PoseTrack
from game.render.viewport import Viewport

DIM = 165  # alpha of the shade over what is not your member
HOLE_MARGIN = 0.12  # of the member's height, around them, left unshaded


def crop_view(rect: pygame.Rect, box: tuple[float, float, float, float], mirror: bool) -> Viewport:
    """The viewport showing the crop `box` (height units of the video) inside `rect`."""
    return Viewport(rect, box, mirror)


def blit_crop(
    surface: pygame.Surface,
    rgb: np.ndarray,
    box: tuple[float, float, float, float],
    rect: pygame.Rect,
    mirror: bool,
) -> Viewport:
    """Draw the part `box` of the video frame `rgb` enlarged into `rect` (letterboxed when
    the crop is narrower than the panel); returns the viewport landmarks map through."""
    view = crop_view(rect, box, mirror)
    pixels = rgb.shape[0]  # height units -> pixels of this frame
    x0, y0, w, h = box
    left, top = max(0, int(np.floor(x0 * pixels))), max(0, int(np.floor(y0 * pixels)))
    right = min(rgb.shape[1], int(np.ceil((x0 + w) * pixels)))
    bottom = min(rgb.shape[0], int(np.ceil((y0 + h) * pixels)))
    if right - left < 2 or bottom - top < 2:
        return view
    part = np.ascontiguousarray(rgb[top:bottom, left:right])
    where = view.box_on_screen((left / pixels, top / pixels, (right - left) / pixels,
                              (bottom - top) / pixels))  # fmt: skip
    if where.width < 1 or where.height < 1:
        return view
    image = pygame.image.frombuffer(part.data, (part.shape[1], part.shape[0]), "RGB")
    if mirror:
        image = pygame.transform.flip(image, True, False)
    surface.blit(pygame.transform.smoothscale(image, where.size), where)
    return view


def member_rect(view: Viewport, tracks: Sequence[PoseTrack], t: float) -> pygame.Rect | None:
    """Where the members of `tracks` are on the screen at song time `t` (with a margin)."""
    found: pygame.Rect | None = None
    for track in tracks:
        frame = track.frame_at(t)
        seen = frame.visibility >= MIN_VISIBILITY
        if not seen.any():
            continue
        xy = frame.landmarks[seen, :2]
        low, high = xy.min(axis=0), xy.max(axis=0)
        pad = HOLE_MARGIN * float(high[1] - low[1])
        box = (float(low[0] - pad), float(low[1] - 2 * pad), float(high[0] - low[0] + 2 * pad),
               float(high[1] - low[1] + 3 * pad))  # fmt: skip
        rect = view.box_on_screen(box)
        found = rect if found is None else found.union(rect)
    return found


def shade_outside(surface: pygame.Surface, area: pygame.Rect, hole: pygame.Rect | None) -> None:
    """Darken `area` except `hole` (the others dimmed, your member lit)."""
    shade = pygame.Surface(area.size, pygame.SRCALPHA)
    shade.fill((0, 0, 0, DIM))
    if hole is not None:
        clear = hole.clip(area).move(-area.x, -area.y)
        shade.fill((0, 0, 0, 0), clear)
    surface.blit(shade, area)
