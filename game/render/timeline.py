"""The beat timeline: windows slide left past a 'now' line. Counts (1-8) and bar numbers run
along the top; every tile where the coach dances shows the coach's pose; judged tiles are
labelled with their judgement (one row per player, labelled P1 / P2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pygame

from game.level.model import Level
from game.pose import skeleton as sk
from game.pose.frame import MIN_VISIBILITY
from game.render import draw, theme
from game.render.avatar import COACH_STYLE, draw_avatar
from game.render.viewport import Viewport
from game.scoring.rules import Judgement

PIXELS_PER_SECOND = 170.0
NOW_X_FRACTION = 0.16
COUNT_STRIP = 20  # the counts and bar numbers along the top
_THUMBS: dict[tuple[int, int, int, int, bool, bool], pygame.Surface] = {}


def coach_thumbnail(
    level: Level, time: float, size: tuple[int, int], mirror: bool, faded: bool = False
) -> pygame.Surface:
    """The coach's pose at `time`, filling the height of `size` (cached per window)."""
    key = (id(level.pose), round(time * 1000), size[0], size[1], mirror, faded)
    if key in _THUMBS:
        return _THUMBS[key]
    if len(_THUMBS) > 400:
        _THUMBS.clear()
    surface = pygame.Surface(size, pygame.SRCALPHA)
    frame = level.pose.frame_at(time)
    x0, y0, width, height = Viewport.for_track(pygame.Rect(0, 0, 1, 1), level.pose).box
    hips = frame.landmarks[[sk.L_HIP, sk.R_HIP], 0]
    hips_seen = (frame.visibility[[sk.L_HIP, sk.R_HIP]] >= MIN_VISIBILITY).all()
    centre = float(np.mean(hips)) if hips_seen else x0 + width / 2
    span = height * size[0] / size[1]  # as wide as the tile, at the height of the steady box
    view = Viewport(surface.get_rect(), (centre - span / 2, y0, span, height), mirror)
    draw_avatar(surface, frame.landmarks, frame.visibility, view, COACH_STYLE, 0.055)
    if faded:
        surface.set_alpha(110)
    _THUMBS[key] = surface
    return surface


def _draw_counts(
    surface: pygame.Surface, rect: pygame.Rect, level: Level, song_time: float, now_x: float
) -> None:
    """Beat lines with the dance count (1-8) at the top, and the bar number at each bar."""
    grid = level.grid
    first_beat = int(grid.time_to_beat(song_time - 2.0)) - 1
    last_beat = int(grid.time_to_beat(song_time + rect.width / PIXELS_PER_SECOND)) + 1
    for beat in range(max(0, first_beat), last_beat):
        x = now_x + (grid.beat_to_time(beat) - song_time) * PIXELS_PER_SECOND
        bar_start = beat % 4 == 0
        pygame.draw.line(
            surface,
            theme.PANEL_EDGE if bar_start else theme.mix(theme.PANEL, theme.PANEL_EDGE, 0.4),
            (x, rect.y + COUNT_STRIP),
            (x, rect.bottom - 6),
            2 if bar_start else 1,
        )
        count = beat % 8 + 1
        color = theme.TEXT if count == 1 else (theme.GOLD if bar_start else theme.MUTED)
        draw.text(surface, str(count), (x, rect.y + 3), 20 if bar_start else 17, color, "midtop")
        if bar_start:
            draw.text(surface, f"bar {beat // 4 + 1}", (x + 10, rect.y + 5), 16, theme.ACCENT)


def draw_timeline(
    surface: pygame.Surface,
    rect: pygame.Rect,
    level: Level,
    song_time: float,
    judged: Sequence[Mapping[int, Judgement]],
    charted: set[int],
    mirror: bool,
    windows: range | None = None,
    parts: Sequence[Level] = (),
) -> None:
    """`judged` holds, per player, window -> judgement; a judged window is split into one
    labelled row per player. A coming tile shows the coach's pose of each of `parts` side by
    side (the members of a duet), else of `level`."""
    shown_parts = parts or [level]
    grid = level.grid
    pygame.draw.rect(surface, theme.PANEL, rect, border_radius=14)
    now_x = rect.x + rect.width * NOW_X_FRACTION
    clip = surface.get_clip()
    surface.set_clip(rect.inflate(-4, -4))
    _draw_counts(surface, rect, level, song_time, now_x)
    shown = windows if windows is not None else range(grid.window_count)
    top = rect.y + COUNT_STRIP + 4
    for w in shown:
        start, end = grid.window_span(w)
        x0 = now_x + (start - song_time) * PIXELS_PER_SECOND
        x1 = now_x + (end - song_time) * PIXELS_PER_SECOND
        if x1 < rect.x or x0 > rect.right:
            continue
        block = pygame.Rect(round(x0) + 3, top, max(6, round(x1 - x0) - 6), rect.bottom - 8 - top)
        if w not in charted:
            pygame.draw.rect(surface, theme.mix(theme.PANEL, theme.BACKGROUND, 0.5), block, 0, 10)
            continue
        verdicts = [player.get(w) for player in judged]
        if verdicts and all(v is not None for v in verdicts):
            labelled = block.x >= rect.x + 4  # a tile sliding out: its label would be cut
            _draw_judged(surface, block, level, end, mirror, verdicts, labelled)  # type: ignore[arg-type]
            continue
        current = start <= song_time < end
        fill = theme.mix(theme.PANEL, theme.ACCENT, 0.35 if current else 0.15)
        pygame.draw.rect(surface, fill, block, border_radius=10)
        pygame.draw.rect(surface, theme.ACCENT if current else theme.PANEL_EDGE, block, 2, 10)
        thumb = block.inflate(-6, -6)
        thumb.width //= len(shown_parts)
        if thumb.width > 8 and thumb.height > 8:
            for k, part in enumerate(shown_parts):
                place = thumb.move(k * thumb.width, 0)
                surface.blit(coach_thumbnail(part, end, thumb.size, mirror), place)
    surface.set_clip(clip)
    if len(judged) > 1:  # name the rows of the judged tiles, in a gutter at the left
        gutter = pygame.Rect(rect.x, top - 2, 48, rect.bottom - 4 - top)
        pygame.draw.rect(surface, theme.PANEL, gutter, border_bottom_left_radius=14)
        band = (rect.bottom - 8 - top) / len(judged)
        for k in range(len(judged)):
            y = round(top + (k + 0.5) * band)
            draw.tag(surface, f"P{k + 1}", (rect.x + 8, y), 20, theme.PLAYER_COLORS[k], "midleft")
    pygame.draw.line(surface, theme.TEXT, (now_x, rect.y + 4), (now_x, rect.bottom - 4), 3)


def _draw_judged(
    surface: pygame.Surface,
    block: pygame.Rect,
    level: Level,
    end: float,
    mirror: bool,
    verdicts: Sequence[Judgement],
    labelled: bool = True,
) -> None:
    """A past tile: the coach's pose faded behind one row per player, each tinted and
    (when `labelled`) labelled with that player's judgement."""
    band = block.height / len(verdicts)
    for k, verdict in enumerate(verdicts):
        part = pygame.Rect(block.x, round(block.y + k * band), block.width, round(band))
        color = verdict.tier.color
        pygame.draw.rect(surface, theme.mix(theme.PANEL, color, 0.3), part.inflate(0, -2), 0, 8)
        pygame.draw.rect(surface, theme.mix(theme.PANEL, color, 0.8), part.inflate(0, -2), 2, 8)
    if len(verdicts) == 1:
        thumb = block.inflate(-6, -6)
        if thumb.width > 8:
            surface.blit(coach_thumbnail(level, end, thumb.size, mirror, faded=True), thumb)
    for k, verdict in enumerate(verdicts if labelled else ()):
        part = pygame.Rect(block.x, round(block.y + k * band), block.width, round(band))
        size = 22 if len(verdicts) == 1 else 19
        label = verdict.label
        if theme.font(size).size(label)[0] > part.width - 6:
            label = verdict.tier.short
        where = part.midbottom if len(verdicts) == 1 else part.center
        anchor = "midbottom" if len(verdicts) == 1 else "center"
        offset = -4 if len(verdicts) == 1 else 0
        draw.outlined_text(surface, label, (where[0], where[1] + offset), size,
                           verdict.tier.color, anchor)  # fmt: skip


def bar_at_x(rect: pygame.Rect, bars: int, x: float) -> int:
    """The bar (1-based) under `x` on a bar strip drawn in `rect` (kept within 1..bars)."""
    return max(1, min(bars, int((x - rect.x) / max(1.0, rect.width / bars)) + 1))


def draw_bar_strip(
    surface: pygame.Surface,
    rect: pygame.Rect,
    bars: int,
    first: int,
    last: int,
    now_bar: int | None,
    results: Mapping[int, bool] | None = None,
) -> None:
    """The whole song as a row of bars to pick a loop from (click, or drag from A to B):
    bars `first`-`last` lit with A and B flags, the bar playing outlined; `results` colours
    a bar of the loop green or red by the last pass's windows there."""
    pygame.draw.rect(surface, theme.PANEL, rect, border_radius=8)
    cell = rect.width / bars
    label_every = next(n for n in (1, 2, 4, 8, 16, 32, 64, 1 << 30) if cell * n >= 26)
    for bar in range(1, bars + 1):
        x0 = rect.x + round((bar - 1) * cell)
        x1 = rect.x + round(bar * cell)
        box = pygame.Rect(x0 + 1, rect.y + 3, max(1, x1 - x0 - 2), rect.height - 6)
        inside = first <= bar <= last
        fill = theme.mix(theme.PANEL, theme.ACCENT, 0.55) if inside else theme.PANEL_EDGE
        if inside and results is not None and bar in results:
            fill = theme.mix(theme.PANEL, theme.GOOD_TINT if results[bar] else theme.WRONG, 0.6)
        pygame.draw.rect(surface, fill, box, border_radius=3)
        if (bar - 1) % label_every == 0 or bar in (first, last):
            color = theme.TEXT if inside else theme.MUTED
            draw.text(surface, str(bar), box.center, 15, color, "center")
    if now_bar is not None:
        x0 = rect.x + round((now_bar - 1) * cell)
        now = pygame.Rect(x0, rect.y, max(3, round(cell)), rect.height)
        pygame.draw.rect(surface, theme.TEXT, now, 2, border_radius=3)
    for bar, tag, left in ((first, "A", True), (last, "B", False)):
        x = rect.x + round((bar - 1 if left else bar) * cell)
        pygame.draw.line(surface, theme.GOLD, (x, rect.y - 4), (x, rect.bottom + 2), 3)
        draw.tag(surface, tag, (x, rect.bottom + 2), 16, theme.GOLD, "midtop")
