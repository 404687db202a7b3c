"""Beat grid: beats <-> seconds and window crossing without skips."""

from __future__ import annotations

import itertools

import pytest

from game.timing.beat_grid import BeatGrid

GRID = BeatGrid(bpm=120.0, offset=1.0, beats_per_window=2, window_count=10)


def test_beats_and_seconds_round_trip() -> None:
    assert GRID.beat_to_time(4) == pytest.approx(3.0)
    assert GRID.time_to_beat(GRID.beat_to_time(7.25)) == pytest.approx(7.25)
    assert GRID.window_span(2) == pytest.approx((3.0, 4.0))
    assert GRID.window_beats(2) == (4, 6)
    assert GRID.end_time == pytest.approx(11.0)


def test_window_at_is_none_outside_the_chart() -> None:
    assert GRID.window_at(0.5) is None
    assert GRID.window_at(1.0) == 0
    assert GRID.window_at(10.99) == 9
    assert GRID.window_at(11.0) is None


def test_a_big_jump_closes_every_window_it_crossed_once() -> None:
    closed = list(GRID.windows_closed_between(1.5, 5.2))
    assert closed == [0, 1, 2, 3]
    assert list(GRID.windows_closed_between(5.2, 5.3)) == []
    assert list(GRID.windows_closed_between(5.3, 100.0)) == list(range(4, 10))


def test_margin_delays_closing() -> None:
    assert list(GRID.windows_closed_between(1.9, 2.1, margin=0.3)) == []
    assert list(GRID.windows_closed_between(2.1, 2.3, margin=0.3)) == [0]


def test_small_steps_close_the_same_windows_as_one_big_step() -> None:
    steps = [1.0 + i * 0.0167 for i in range(700)]
    closed = [w for a, b in itertools.pairwise(steps) for w in GRID.windows_closed_between(a, b)]
    assert closed == list(GRID.windows_closed_between(steps[0], steps[-1]))


def test_fitting_counts_whole_windows() -> None:
    assert BeatGrid.fitting(120.0, 1.0, 2, 11.5).window_count == 10
    assert BeatGrid.fitting(120.0, 1.0, 2, 1.5).window_count == 0
