"""Numpy RGB images (camera, reference video) to pygame surfaces, scaled to fit."""

from __future__ import annotations

import numpy as np
import pygame


def fit_rect(size: tuple[int, int], box: pygame.Rect, cover: bool = False) -> pygame.Rect:
    """The rect of `size` scaled to fit inside `box` (or to cover it), centred."""
    scale = (max if cover else min)(box.width / size[0], box.height / size[1])
    rect = pygame.Rect(0, 0, round(size[0] * scale), round(size[1] * scale))
    rect.center = box.center
    return rect


class ImageBlitter:
    """Converts each new image once (the same array object is not converted twice)."""

    def __init__(self) -> None:
        self._source: np.ndarray | None = None
        self._key: tuple[int, int, int, bool] | None = None
        self._surface: pygame.Surface | None = None

    def surface(self, rgb: np.ndarray, target: tuple[int, int], mirror: bool) -> pygame.Surface:
        key = (id(rgb), target[0], target[1], mirror)
        if self._surface is None or self._key != key or self._source is not rgb:
            height, width = rgb.shape[:2]
            image = pygame.image.frombuffer(np.ascontiguousarray(rgb).data, (width, height), "RGB")
            if mirror:
                image = pygame.transform.flip(image, True, False)
            self._surface = pygame.transform.smoothscale(image, target)
            self._source, self._key = rgb, key
        return self._surface


def blit_image(
    surface: pygame.Surface,
    blitter: ImageBlitter,
    rgb: np.ndarray,
    box: pygame.Rect,
    mirror: bool,
    dim: float = 0.0,
) -> pygame.Rect:
    """Draw `rgb` fitted in `box`; returns where it went. `dim` darkens it (0..1)."""
    rect = fit_rect((rgb.shape[1], rgb.shape[0]), box)
    surface.blit(blitter.surface(rgb, rect.size, mirror), rect)
    if dim > 0:
        shade = pygame.Surface(rect.size, pygame.SRCALPHA)
        shade.fill((0, 0, 0, round(255 * dim)))
        surface.blit(shade, rect)
    return rect
