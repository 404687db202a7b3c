"""Choose a button by holding a hand over it for a second: no walking back to the keyboard.

Where the hand points is pose logic (game.pose.pointing); this is the pointer on screen and
the hold that chooses.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pygame

from game.pose.frame import PoseFrame, is_stale
from game.pose.pointing import raised_hand
from game.render import theme

HOLD_S = 1.0


class HandPointer:
    """Tracks the raised hand and how long it has rested on one target."""

    def __init__(self, screen: tuple[int, int] = (1280, 720)) -> None:
        self.screen = screen
        self.position: tuple[int, int] | None = None
        self._target: int | None = None
        self._since = 0.0
        self.progress = 0.0

    def update(
        self, pose: PoseFrame | None, now: float, targets: Sequence[pygame.Rect]
    ) -> int | None:
        """The index of the target chosen by this update, if a hand rested on it long enough."""
        self.position = (
            None if pose is None or is_stale(pose, now) else raised_hand(pose, self.screen)
        )
        hit = None
        if self.position is not None:
            hit = next((i for i, r in enumerate(targets) if r.collidepoint(self.position)), None)
        if hit != self._target:
            self._target, self._since = hit, now
        self.progress = 0.0 if hit is None else min(1.0, (now - self._since) / HOLD_S)
        if hit is not None and self.progress >= 1.0:
            self._target = None  # one choice per hold
            return hit
        return None

    def draw(self, surface: pygame.Surface) -> None:
        if self.position is None:
            return
        pygame.draw.circle(surface, theme.ACCENT_2, self.position, 14, width=4)
        if self.progress > 0:
            rect = pygame.Rect(0, 0, 48, 48)
            rect.center = self.position
            end = -math.pi / 2 + 2 * math.pi * self.progress
            pygame.draw.arc(surface, theme.GOLD, rect, -math.pi / 2, end, 6)
