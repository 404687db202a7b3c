"""The practice screen's own read-outs: the speed ladder (0.5x, 0.75x, 1x) with CLEARED at
its end, the pass counter with the last pass's result, and the count-in and verdict."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from game.render import draw, theme
from game.scoring.rules import WindowJudgement


def draw_speed_ladder(
    surface: pygame.Surface,
    topright: tuple[int, int],
    speeds: Sequence[float],
    current: float,
    passed: set[float],
    cleared: bool,
) -> pygame.Rect:
    """Rungs left to right, joined by arrows: the current speed lit, passed ones ticked,
    and CLEARED (a tick, not a button) once 1x is passed."""
    font = theme.font(26)
    widths = [font.size(f"{s:g}x")[0] + 40 for s in speeds]
    gap = 26
    total = sum(widths) + gap * (len(speeds) - 1) + (150 if cleared else 0)
    x, y = topright[0] - total, topright[1]
    area = pygame.Rect(x, y, total, 38)
    for k, (speed, width) in enumerate(zip(speeds, widths, strict=True)):
        rung = pygame.Rect(x, y, width, 38)
        now = speed == current and not cleared
        fill = (
            theme.ACCENT
            if now
            else theme.mix(theme.PANEL, theme.GOOD_TINT, 0.35 if speed in passed else 0.0)
        )
        pygame.draw.rect(surface, fill, rung, border_radius=19)
        pygame.draw.rect(
            surface, theme.TEXT if now else theme.PANEL_EDGE, rung, 2, border_radius=19
        )
        label_x = rung.centerx + (8 if speed in passed else 0)
        draw.text(surface, f"{speed:g}x", (label_x, rung.centery), 26, theme.TEXT, "center")
        if speed in passed:
            draw.check_mark(surface, (rung.x + 17, rung.centery), 16, theme.GOOD_TINT)
        x = rung.right
        if k < len(speeds) - 1:
            mid = rung.centery
            pygame.draw.line(surface, theme.MUTED, (x + 5, mid), (x + gap - 6, mid), 2)
            pygame.draw.polygon(
                surface,
                theme.MUTED,
                [(x + gap - 4, mid), (x + gap - 11, mid - 5), (x + gap - 11, mid + 5)],
            )
            x += gap
    if cleared:
        draw.check_mark(surface, (x + 26, y + 19), 26, theme.GOLD)
        draw.text(surface, "CLEARED", (x + 44, y + 19), 30, theme.GOLD, "midleft")
    return area


def draw_pass_summary(
    surface: pygame.Surface,
    topleft: tuple[int, int],
    passes: int,
    last_speed: float | None,
    last_events: Sequence[WindowJudgement],
    last_passed: bool,
) -> None:
    """ "Pass N", and the last pass: its speed, verdict and one dot per judged window."""
    x, y = topleft
    draw.text(surface, f"Pass {passes + 1}", (x, y), 30, theme.TEXT)
    if last_speed is None:
        draw.text(surface, "every window GOOD or better passes", (x + 100, y + 6), 22, theme.MUTED)
        return
    good = sum(e.judgement.tier.hit for e in last_events)
    verdict = "passed" if last_passed else "again"
    color = theme.GOOD_TINT if last_passed else theme.WRONG
    text = f"last pass at {last_speed:g}x: {good}/{len(last_events)} windows GOOD+, {verdict}"
    rect = draw.text(surface, text, (x + 100, y + 6), 22, color)
    dot_x = rect.right + 16
    for event in last_events:
        pygame.draw.circle(surface, event.judgement.tier.color, (dot_x, rect.centery), 7)
        dot_x += 18


def draw_banner(
    surface: pygame.Surface, rect: pygame.Rect, message: str, color: theme.Color, sub: str = ""
) -> None:
    """A big word on a plate (the count-in, or a pass's verdict)."""
    draw.plate(surface, rect, color, 225)
    if sub:
        draw.outlined_text(surface, message, (rect.centerx, rect.centery - 12), 64, color, "center")
        draw.text(surface, sub, (rect.centerx, rect.bottom - 12), 24, theme.TEXT, "midbottom")
    else:
        draw.outlined_text(surface, message, rect.center, 72, color, "center")
