"""Beat grid: beats <-> seconds and window crossing without skips."""

from __future__ import annotations

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


def test_fitting_counts_whole_windows() -> None:
    assert BeatGrid.fitting(120.0, 1.0, 2, 11.5).window_count == 10
    assert BeatGrid.fitting(120.0, 1.0, 2, 1.5).window_count == 0
