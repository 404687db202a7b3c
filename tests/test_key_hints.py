"""Learn, practice and the A-B loop show their keys the same way, in a strip of their own off
the bodies, readable; a missed move stands out on the strip of a try's moves."""

from __future__ import annotations

import numpy as np
import pygame
import pytest

from game.render import theme
from game.render.key_hints import SIZES, KeyHint, draw_key_hints
from game.render.practice_hud import draw_window_dots
from game.scenes.song_layout import COACH_RECT, KEYS_RECT, LOOPED_TIMELINE_RECT, PLAYER_RECT
from game.scoring.rules import Judgement, WindowJudgement

SCREEN = pygame.Rect(0, 0, 1280, 720)
LOOP_KEYS = [KeyHint("[ ]", "set A / B"), KeyHint("Left/Right", "move"), KeyHint("- +", "speed"),
             KeyHint("M", "mirror", True), KeyHint("R", "replay your try"),
             KeyHint("V", "whole group"), KeyHint("Y", "see yourself"), KeyHint("P", "pause"),
             KeyHint("Esc", "back")]  # fmt: skip


def test_the_key_strip_covers_no_panel_and_stays_on_screen() -> None:
    assert SCREEN.contains(KEYS_RECT)
    for rect in (COACH_RECT, PLAYER_RECT, LOOPED_TIMELINE_RECT):
        assert not KEYS_RECT.colliderect(rect)


def test_the_longest_row_of_keys_fits_its_strip_at_a_readable_size() -> None:
    pygame.init()
    surface = pygame.Surface(SCREEN.size)
    area = draw_key_hints(surface, KEYS_RECT, LOOP_KEYS)
    assert KEYS_RECT.contains(area)
    drawn = pygame.surfarray.array3d(surface).sum(axis=2) > 0
    columns = drawn.any(axis=1).nonzero()[0]
    rows = drawn.any(axis=0).nonzero()[0]
    assert columns.min() >= KEYS_RECT.x and columns.max() < KEYS_RECT.right
    assert rows.min() >= KEYS_RECT.y and rows.max() < KEYS_RECT.bottom
    assert rows.max() - rows.min() >= 20  # key caps a finger's height, not a 17 px line
    assert not drawn[:, : KEYS_RECT.y].any()  # nothing above the strip


def test_a_row_too_long_for_its_strip_shrinks_to_the_smallest_size() -> None:
    pygame.init()
    surface = pygame.Surface(SCREEN.size)
    narrow = pygame.Rect(0, 0, 500, 36)
    area = draw_key_hints(surface, narrow, LOOP_KEYS[:3])
    assert area.width <= narrow.width - 24
    assert draw_key_hints(surface, narrow, []).width == 0
    assert SIZES[0] > SIZES[-1] >= 18


def test_a_switched_on_toggle_is_lit_gold() -> None:
    pygame.init()
    surface = pygame.Surface((400, 36))
    draw_key_hints(surface, surface.get_rect(), [KeyHint("S", "keep speed", True)])
    pixels = pygame.surfarray.array3d(surface)
    assert (np.abs(pixels - theme.GOLD).sum(axis=2) < 10).sum() > 100
    surface.fill((0, 0, 0))
    draw_key_hints(surface, surface.get_rect(), [KeyHint("S", "keep speed")])
    pixels = pygame.surfarray.array3d(surface)
    assert (np.abs(pixels - theme.GOLD).sum(axis=2) < 10).sum() == 0


def _event(window: int, judgement: Judgement) -> WindowJudgement:
    w = window
    return WindowJudgement(w, judgement, w, w + 1, 2 * w, 2 * w + 2, 0.0, 1.0, (), ())


@pytest.mark.parametrize("count", [4, 12, 40])
def test_a_missed_move_is_a_bigger_dot_with_a_white_cross_and_the_worst_ringed_gold(
    count: int,
) -> None:
    """Missed moves must catch the eye (small white rings on red dots were easy to miss)."""
    events = [_event(w, Judgement.PERFECT) for w in range(count)]
    events[1] = _event(1, Judgement.MISS)
    events[2] = worst = _event(2, Judgement.MISS)
    surface = pygame.Surface((1280, 60))
    draw_window_dots(surface, (700, 30), 1232, events, worst)
    pixels = pygame.surfarray.array3d(surface)
    red = np.abs(pixels - Judgement.MISS.tier.color).sum(axis=2) < 10
    gold = np.abs(pixels - Judgement.PERFECT.tier.color).sum(axis=2) < 10
    white = np.abs(pixels - theme.TEXT).sum(axis=2) < 10
    ring = np.abs(pixels - theme.GOLD).sum(axis=2) < 10
    hits_per_dot = gold.sum() / (count - 2)
    assert red.sum() / 2 > 1.5 * hits_per_dot  # a miss is plainly bigger than a hit
    assert white.sum() >= 2 * 5  # a cross on each miss
    assert ring.sum() > 0  # the worst one ringed
    lit = pixels.sum(axis=2).any(axis=1).nonzero()[0]
    assert lit.min() >= 700 and lit.max() <= 1232
