"""The beat timeline: judged windows slide left past a 'now' line; upcoming ones preview
the coach's pose at their end."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pygame

from game.level.model import Level
from game.render import theme
from game.render.avatar import COACH_STYLE, draw_avatar
from game.render.viewport import Viewport
from game.scoring.judge import Judgement

PIXELS_PER_SECOND = 170.0
NOW_X_FRACTION = 0.16


def draw_timeline(
    surface: pygame.Surface,
    rect: pygame.Rect,
    level: Level,
    song_time: float,
    judged: Sequence[Mapping[int, Judgement]],
    charted: set[int],
    mirror: bool,
    windows: range | None = None,
) -> None:
    """`judged` holds, per player, window -> judgement; a judged window is split into one
    band per player."""
    grid = level.grid
    pygame.draw.rect(surface, theme.PANEL, rect, border_radius=14)
    now_x = rect.x + rect.width * NOW_X_FRACTION
    clip = surface.get_clip()
    surface.set_clip(rect.inflate(-4, -4))
    first_beat = int(grid.time_to_beat(song_time - 2.0)) - 1
    last_beat = int(grid.time_to_beat(song_time + rect.width / PIXELS_PER_SECOND)) + 1
    for beat in range(max(0, first_beat), last_beat):
        x = now_x + (grid.beat_to_time(beat) - song_time) * PIXELS_PER_SECOND
        strong = beat % 4 == 0
        pygame.draw.line(
            surface,
            theme.PANEL_EDGE if strong else theme.mix(theme.PANEL, theme.PANEL_EDGE, 0.4),
            (x, rect.y + 8),
            (x, rect.bottom - 8),
            2 if strong else 1,
        )
    shown = windows if windows is not None else range(grid.window_count)
    previews = 0
    for w in shown:
        start, end = grid.window_span(w)
        x0 = now_x + (start - song_time) * PIXELS_PER_SECOND
        x1 = now_x + (end - song_time) * PIXELS_PER_SECOND
        if x1 < rect.x or x0 > rect.right:
            continue
        block = pygame.Rect(
            round(x0) + 3, rect.y + 10, max(6, round(x1 - x0) - 6), rect.height - 20
        )
        if w not in charted:
            pygame.draw.rect(surface, theme.mix(theme.PANEL, theme.BACKGROUND, 0.5), block, 0, 10)
            continue
        verdicts = [player.get(w) for player in judged]
        if verdicts and all(v is not None for v in verdicts):
            band = block.height / len(verdicts)
            for k, verdict in enumerate(verdicts):
                part = pygame.Rect(block.x, round(block.y + k * band), block.width, round(band))
                color = theme.mix(theme.PANEL, theme.JUDGEMENT_COLORS[verdict], 0.55)
                pygame.draw.rect(surface, color, part.inflate(0, -2), border_radius=8)
            continue
        current = start <= song_time < end
        fill = theme.mix(theme.PANEL, theme.ACCENT, 0.35 if current else 0.15)
        pygame.draw.rect(surface, fill, block, border_radius=10)
        pygame.draw.rect(surface, theme.ACCENT if current else theme.PANEL_EDGE, block, 2, 10)
        if end > song_time and previews < 4:
            previews += 1
            thumb = pygame.Rect(0, 0, min(block.width - 8, 70), block.height - 8)
            thumb.center = block.center
            frame = level.pose.frame_at(end)
            view = Viewport.for_track(thumb, level.pose, mirror)
            draw_avatar(surface, frame.landmarks, frame.visibility, view, COACH_STYLE, 0.05)
    surface.set_clip(clip)
    pygame.draw.line(surface, theme.TEXT, (now_x, rect.y + 4), (now_x, rect.bottom - 4), 3)
