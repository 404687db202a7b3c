"""Beat grid: beats <-> seconds and judged windows (pure)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class BeatGrid:
    """A constant-tempo grid: beat 0 falls at `offset` seconds, one window spans
    `beats_per_window` beats, and `window_count` windows are judged."""

    bpm: float
    offset: float
    beats_per_window: float
    window_count: int

    @property
    def seconds_per_beat(self) -> float:
        return 60.0 / self.bpm

    @property
    def window_seconds(self) -> float:
        return self.beats_per_window * self.seconds_per_beat

    @property
    def end_time(self) -> float:
        return self.window_start(self.window_count)

    def beat_to_time(self, beat: float) -> float:
        return self.offset + beat * self.seconds_per_beat

    def time_to_beat(self, time: float) -> float:
        return (time - self.offset) / self.seconds_per_beat

    def window_start(self, i: int) -> float:
        return self.beat_to_time(i * self.beats_per_window)

    def window_span(self, i: int) -> tuple[float, float]:
        """(start, end) of window `i` in seconds."""
        return self.window_start(i), self.window_start(i + 1)

    def window_beats(self, i: int) -> tuple[float, float]:
        return i * self.beats_per_window, (i + 1) * self.beats_per_window

    def window_at(self, time: float) -> int | None:
        """Index of the window containing `time`, or None outside the chart."""
        i = math.floor(self.time_to_beat(time) / self.beats_per_window)
        return i if 0 <= i < self.window_count else None

    @staticmethod
    def fitting(bpm: float, offset: float, beats_per_window: float, duration: float) -> BeatGrid:
        """The grid with as many whole windows as fit between `offset` and `duration`."""
        window = beats_per_window * 60.0 / bpm
        count = max(0, math.floor((duration - offset) / window + 1e-9))
        return BeatGrid(bpm, offset, beats_per_window, count)
