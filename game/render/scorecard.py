"""The scorecard's missed segments: a picture of the move, when, which joints, the coaching
words, and a Practice button or a CLEARED tick."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pygame

from game.level.model import Level
from game.render import draw, theme
from game.render.timeline import coach_thumbnail
from game.scoring.score import MissedSegment

ROW_TOP = 40
ROW_HEIGHT = 54
SCROLLBAR_W = 4
Coaching = Callable[[int, MissedSegment], str | None]  # (player, segment) -> words, or None


def clock_text(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def visible_rows(panel: pygame.Rect) -> int:
    """How many segment rows fit in `panel` (the rest scroll)."""
    return max(1, (panel.height - ROW_TOP) // ROW_HEIGHT)


def first_row_showing(first: int, focus: int, total: int, rows: int) -> int:
    """The first row to show so that row `focus` is in view (`focus` -1: keep `first`)."""
    if 0 <= focus < first:
        first = focus
    elif focus >= first + rows:
        first = focus - rows + 1
    return max(0, min(first, total - rows))


def segment_row(panel: pygame.Rect, row: int) -> pygame.Rect:
    return pygame.Rect(panel.x + 10, panel.y + ROW_TOP + row * ROW_HEIGHT, panel.width - 20,
                       ROW_HEIGHT - 4)  # fmt: skip


def practice_button(panel: pygame.Rect, row: int) -> pygame.Rect:
    """The row's Practice button (also what a mouse or a raised hand selects)."""
    line = segment_row(panel, row)
    button = pygame.Rect(0, 0, 112, 36)
    button.midright = (line.right - 4, line.centery)
    return button


def default_words(segment: MissedSegment) -> str:
    """Until the coach's words are given: which joints to watch."""
    if not segment.joints:
        return "watch the timing"
    return "watch your " + " and ".join(j.replace("_", " ") for j in segment.joints[:2])


def draw_segments(
    surface: pygame.Surface,
    panel: pygame.Rect,
    levels: Sequence[Level],
    mirror: bool,
    segments: Sequence[tuple[int, MissedSegment]],
    passed_at: Mapping[tuple[int, int], float],
    focus: int,
    two_players: bool,
    coaching: Coaching | None = None,
    first: int = 0,
) -> None:
    """One row per (player, segment), pictured from `levels[player]` (each player's part),
    from row `first` on as many as fit, with a scroll bar when they do not all fit; `focus`
    is the focused row (or -1). A segment practised and passed at 1x (`passed_at`, by player
    and first window) is CLEARED; passed slower, its best speed stands by its time."""
    draw.panel(surface, panel)
    draw.text(surface, "Missed segments", (panel.x + 14, panel.y + 10), 24, theme.MUTED)
    if not segments:
        draw.check_mark(surface, (panel.centerx - 110, panel.centery), 28, theme.GOLD)
        draw.text(surface, "None - clean run!", (panel.centerx - 86, panel.centery), 32,
                  theme.GOLD, "midleft")  # fmt: skip
        return
    rows = visible_rows(panel)
    shown = segments[first : first + rows]
    if len(segments) > rows:
        where = f"{first + 1}-{first + len(shown)} of {len(segments)}"
        draw.text(surface, where, (panel.right - 14, panel.y + 12), 20, theme.MUTED, "topright")
        _draw_scrollbar(surface, panel, first, rows, len(segments))
    for row, (player, segment) in enumerate(shown):
        line = segment_row(panel, row)
        color = theme.PLAYER_COLORS[player] if two_players else theme.TEXT
        if first + row == focus:
            pygame.draw.rect(surface, theme.mix(theme.PANEL, theme.ACCENT, 0.25), line, 0, 10)
        thumb = pygame.Rect(line.x + 2, line.y + 1, 40, line.height - 2)
        pygame.draw.rect(surface, theme.mix(theme.PANEL, theme.BACKGROUND, 0.5), thumb, 0, 6)
        middle = (segment.start_s + segment.end_s) / 2
        surface.blit(coach_thumbnail(levels[player], middle, thumb.size, mirror), thumb)
        when = f"{clock_text(segment.start_s)}-{clock_text(segment.end_s)}"
        tag = f"P{player + 1}  " if two_players else ""
        time_rect = draw.text(surface, tag + when, (thumb.right + 10, line.y + 4), 24, color)
        best = passed_at.get((player, segment.first_window), 0.0)
        words = (coaching(player, segment) if coaching else None) or default_words(segment)
        button = practice_button(panel, row)
        width = button.x - thumb.right - 18
        if theme.font(18).size(words)[0] <= width:
            draw.text(surface, words, (thumb.right + 10, line.y + 28), 18, theme.MUTED)
        else:  # the cue and its counts on two smaller lines rather than cut
            for k, text in enumerate(draw.wrap(words, 16, width)):
                draw.text(surface, text, (thumb.right + 10, line.y + 23 + 13 * k), 16, theme.MUTED)
        if 0.0 < best < 1.0:  # passed slower than the song: how far practice got
            note = f"passed {best:g}x"
            if time_rect.right + 10 + theme.font(18).size(note)[0] <= button.x - 6:
                draw.text(surface, note, (time_rect.right + 10, time_rect.centery), 18,
                          theme.GOLD, "midleft")  # fmt: skip
        if best >= 1.0:
            draw.check_mark(surface, (button.x + 14, button.centery), 20, theme.GOLD)
            draw.text(surface, "CLEARED", (button.x + 28, button.centery), 24, theme.GOLD,
                      "midleft")  # fmt: skip
        else:
            draw.button(surface, button, "Practice", first + row == focus, 24)


def _draw_scrollbar(
    surface: pygame.Surface, panel: pygame.Rect, first: int, rows: int, total: int
) -> None:
    """A thin bar down the rows' right edge: where the shown rows sit in the whole list."""
    track = pygame.Rect(panel.right - 8, panel.y + ROW_TOP, SCROLLBAR_W, rows * ROW_HEIGHT - 4)
    pygame.draw.rect(surface, theme.mix(theme.PANEL, theme.BACKGROUND, 0.5), track, 0, 2)
    height = max(12, round(track.height * rows / total))
    top = track.y + round((track.height - height) * first / max(1, total - rows))
    pygame.draw.rect(surface, theme.MUTED, (track.x, top, SCROLLBAR_W, height), 0, 2)
