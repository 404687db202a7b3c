"""An A-B loop: a stretch of whole bars (1-based, inclusive) danced over and over at a chosen
speed, each pass judged window by window. Pure: no pygame."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from game.errors import UserError
from game.timing.beat_grid import BeatGrid

BEATS_PER_BAR = 4
MIN_SPEED = 0.25
MAX_SPEED = 1.0
SPEED_STEP = 0.05
TRY_SPEEDS = (0.5, 0.75, 1.0)  # practice and learn mode: slow, slower, the song's speed


def bar_count(grid: BeatGrid) -> int:
    """Bars the judged song covers (the last may be part of one)."""
    return max(1, math.ceil(grid.window_count * grid.beats_per_window / BEATS_PER_BAR - 1e-9))


def bar_at(grid: BeatGrid, time: float) -> int:
    """The bar (1-based) playing at `time`, kept within the song."""
    bar = math.floor(grid.time_to_beat(time) / BEATS_PER_BAR + 1e-9) + 1
    return max(1, min(bar_count(grid), bar))


@dataclass(frozen=True)
class LoopSpan:
    """Bars `first` to `last` (1-based, inclusive)."""

    first: int
    last: int

    def start_s(self, grid: BeatGrid) -> float:
        return grid.beat_to_time((self.first - 1) * BEATS_PER_BAR)

    def end_s(self, grid: BeatGrid) -> float:
        return min(grid.end_time, grid.beat_to_time(self.last * BEATS_PER_BAR))

    def windows(self, grid: BeatGrid) -> range:
        """The windows whose middle falls in the span."""
        start, end = self.start_s(grid), self.end_s(grid)
        inside = [
            w for w in range(grid.window_count) if start <= sum(grid.window_span(w)) / 2 < end
        ]
        return range(inside[0], inside[-1] + 1) if inside else range(0)

    @staticmethod
    def covering(grid: BeatGrid, start: float, end: float) -> LoopSpan:
        """The bars from `start` to `end` seconds (a segment's, say)."""
        return LoopSpan(bar_at(grid, start), max(bar_at(grid, start), bar_at(grid, end - 1e-3)))

    def with_ends(self, a: int, b: int, bars: int) -> LoopSpan:
        """The span from `a` to `b` (either order), kept within 1..`bars`."""
        low, high = sorted((max(1, min(bars, a)), max(1, min(bars, b))))
        return LoopSpan(low, high)

    def moved(self, by: int, bars: int) -> LoopSpan:
        """The same length `by` bars later (earlier if negative), kept within the song."""
        length = self.last - self.first
        first = max(1, min(bars - length, self.first + by))
        return LoopSpan(first, first + length)

    @property
    def label(self) -> str:
        return f"bar {self.first}" if self.first == self.last else f"bars {self.first}-{self.last}"


def parse_loop(text: str, bars: int) -> LoopSpan:
    """`--loop A:B` (bars, 1-based, inclusive) against a song of `bars` bars."""
    parts = text.split(":")
    try:
        if len(parts) != 2:
            raise ValueError
        first, last = int(parts[0]), int(parts[1])
    except ValueError:
        raise UserError(f"--loop {text}: give two bar numbers as A:B, e.g. --loop 5:8") from None
    if not 1 <= first <= last <= bars:
        raise UserError(f"--loop {text}: bars run 1 to {bars}, with A no later than B")
    return LoopSpan(first, last)


def parse_speed(text: str) -> float:
    """`--speed S`: 0.25 to 1 in steps of 0.05."""
    try:
        speed = float(text)
    except ValueError:
        speed = math.nan
    steps = (speed - MIN_SPEED) / SPEED_STEP
    if not (MIN_SPEED - 1e-9 <= speed <= MAX_SPEED + 1e-9) or abs(steps - round(steps)) > 1e-6:
        raise UserError(f"--speed {text}: a speed from 0.25 to 1 in steps of 0.05, e.g. 0.5")
    return round(speed, 2)


def step_speed(speed: float, steps: int) -> float:
    """`speed` moved `steps` steps of 0.05, kept within 0.25-1."""
    value = round(speed / SPEED_STEP) + steps
    low, high = round(MIN_SPEED / SPEED_STEP), round(MAX_SPEED / SPEED_STEP)
    return round(max(low, min(high, value)) * SPEED_STEP, 2)


def pass_line(number: int, counts: Iterable[tuple[str, int]]) -> str:
    """`pass N: 4 PERFECT, 0 GOOD, 0 MISS, 0 NO POSE`."""
    return f"pass {number}: " + ", ".join(f"{n} {label}" for label, n in counts)
