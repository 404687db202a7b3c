"""Colours and fonts: one place for the look of the game (judgements and grades keep their
colours beside their rules, in game.scoring)."""

from __future__ import annotations

from functools import cache

import pygame

Color = tuple[int, int, int]

BACKGROUND: Color = (18, 14, 34)
PANEL: Color = (30, 24, 54)
PANEL_EDGE: Color = (70, 56, 120)
TEXT: Color = (240, 236, 255)
MUTED: Color = (150, 140, 190)
ACCENT: Color = (255, 92, 170)  # hot pink
ACCENT_2: Color = (80, 220, 255)  # cyan
GOLD: Color = (255, 210, 90)
WRONG: Color = (255, 60, 60)
GOOD_TINT: Color = (110, 235, 140)
PLAYER_COLORS: tuple[Color, ...] = ((80, 220, 255), (255, 170, 60))

# A judgement's colour is its tier's (game.scoring.rules.TIERS), a grade's is in
# game.scoring.score.GRADE_COLORS: one source for the game and the HTML report.


@cache
def font(size: int) -> pygame.font.Font:
    """pygame's bundled font (no system fonts needed)."""
    if not pygame.font.get_init():
        pygame.font.init()
    return pygame.font.Font(None, size)


def mix(a: Color, b: Color, t: float) -> Color:
    t = max(0.0, min(1.0, t))
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )
