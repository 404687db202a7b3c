"""Heads-up display: score, combo, judgement pop-ups and the song progress bar."""

from __future__ import annotations

import pygame

from game.render import draw, theme
from game.scoring.judge import Judgement

POPUP_SECONDS = 0.8


def draw_popup(
    surface: pygame.Surface, centre: tuple[int, int], judgement: Judgement, age: float
) -> None:
    """A judgement word that pops (grows, then fades) for POPUP_SECONDS after `age` 0."""
    if not 0.0 <= age < POPUP_SECONDS:
        return
    grow = min(1.0, age / 0.12)
    size = round(44 + 26 * grow - 10 * max(0.0, age - 0.12))
    image = theme.font(size).render(judgement.label, True, theme.JUDGEMENT_COLORS[judgement])
    alpha = 255 if age < 0.5 else round(255 * (POPUP_SECONDS - age) / (POPUP_SECONDS - 0.5))
    image.set_alpha(alpha)
    rect = image.get_rect(center=(centre[0], centre[1] - round(18 * age)))
    shadow = theme.font(size).render(judgement.label, True, (0, 0, 0))
    shadow.set_alpha(alpha // 2)
    surface.blit(shadow, rect.move(3, 4))
    surface.blit(image, rect)


def draw_player_stats(
    surface: pygame.Surface,
    anchor: tuple[int, int],
    score: float,
    combo: int,
    color: theme.Color,
    label: str | None = None,
    align: str = "topright",
) -> None:
    """Score (big) and combo under it, aligned at `anchor`."""
    x, y = anchor
    if label:
        draw.text(surface, label, (x, y), 24, color, anchor=align)
        y += 22
    draw.text(surface, f"{score:5.1f}", (x, y), 56, theme.TEXT, anchor=align, shadow=True)
    if combo >= 2:
        draw.text(surface, f"{combo} COMBO", (x, y + 48), 30, color, anchor=align)


def draw_progress(surface: pygame.Surface, rect: pygame.Rect, fraction: float) -> None:
    draw.bar(surface, rect, fraction, theme.ACCENT)
