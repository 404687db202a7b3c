"""Heads-up display: score, combo, judgement pop-ups and the song progress bar.

Every piece is drawn on a backing plate or with an outline, so it reads over a video; the
caller chooses where (see render/layout.py), these functions only draw."""

from __future__ import annotations

import pygame

from game.render import draw, theme
from game.scoring.rules import Judgement
from game.timing.axis import clock_label

POPUP_SECONDS = 0.8
POPUP_FONT = 60


def popup_size(judgement: Judgement, font_size: int = POPUP_FONT) -> tuple[int, int]:
    """The plate a pop-up needs at its full size."""
    width, height = theme.font(font_size).size(judgement.label)
    return width + 36, height + 16


def draw_popup(
    surface: pygame.Surface,
    rect: pygame.Rect,
    judgement: Judgement,
    age: float,
    font_size: int = POPUP_FONT,
) -> None:
    """A judgement word on a plate in `rect` that pops (grows, then fades) for POPUP_SECONDS."""
    if not 0.0 <= age < POPUP_SECONDS:
        return
    grow = 0.8 + 0.2 * min(1.0, age / 0.12)
    alpha = 255 if age < 0.5 else round(255 * (POPUP_SECONDS - age) / (POPUP_SECONDS - 0.5))
    color = judgement.tier.color
    body = pygame.Rect(0, 0, round(rect.width * grow), round(rect.height * grow))
    body.center = rect.center
    draw.plate(surface, body, color, round(alpha * 0.85))
    size = round(font_size * grow)
    draw.outlined_text(surface, judgement.label, body.center, size, color, "center", alpha)


def draw_player_stats(
    surface: pygame.Surface,
    anchor: tuple[int, int],
    score: float,
    combo: int,
    color: theme.Color,
    label: str | None = None,
    align: str = "topright",
) -> pygame.Rect:
    """Score (big) and combo under it, aligned at `anchor`, outlined; returns the area used."""
    x, y = anchor
    rects = []
    if label:
        rects.append(draw.outlined_text(surface, label, (x, y), 24, color, align))
        y += 22
    rects.append(draw.outlined_text(surface, f"{score:5.1f}", (x, y), 56, theme.TEXT, align))
    if combo >= 2:
        rects.append(draw.outlined_text(surface, f"{combo} COMBO", (x, y + 46), 30, color, align))
    return rects[0].unionall(rects[1:])


def draw_progress(surface: pygame.Surface, rect: pygame.Rect, fraction: float) -> None:
    draw.bar(surface, rect, fraction, theme.ACCENT)


def song_time_text(position: float, length: float) -> str:
    """'1:51 / 3:42': where the song is and how long it runs (whole seconds)."""
    return f"{clock_label(min(position, length))} / {clock_label(length)}"
