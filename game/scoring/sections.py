"""Sections: a level cut into phrases a learner can hold in mind (pure, numpy only).

A section is 2-8 bars (a bar = 4 beats of the level's grid), never shorter than two
8-counts (4 bars) unless the song is, and starts on an 8-count (an even bar). Cuts go where
the coach's choreography changes most: a novelty curve of the coach's limb directions per
beat, compared bar against bar either side of each 8-count boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.pose.frame import MIN_VISIBILITY, PoseTrack
from game.pose.skeleton import (
    L_ANKLE,
    L_ELBOW,
    L_HIP,
    L_KNEE,
    L_SHOULDER,
    L_WRIST,
    R_ANKLE,
    R_ELBOW,
    R_HIP,
    R_KNEE,
    R_SHOULDER,
    R_WRIST,
)
from game.timing.beat_grid import BeatGrid
from game.timing.loop import BEATS_PER_BAR, bar_count

MIN_BARS = 4  # two 8-counts
MAX_BARS = 8
STEP_BARS = 2  # sections start on an 8-count
LIMBS = (
    (L_SHOULDER, L_ELBOW), (L_ELBOW, L_WRIST), (R_SHOULDER, R_ELBOW), (R_ELBOW, R_WRIST),
    (L_HIP, L_KNEE), (L_KNEE, L_ANKLE), (R_HIP, R_KNEE), (R_KNEE, R_ANKLE),
)  # fmt: skip


@dataclass(frozen=True)
class Section:
    """Bars `start` (0-based) up to `end` (exclusive) of the song."""

    start: int
    end: int

    @property
    def bars(self) -> int:
        return self.end - self.start

    def label(self) -> str:
        """`bars A-B`, 1-based and inclusive, as the player reads it."""
        return f"bars {self.start + 1}-{self.end}"

    def span(self, grid: BeatGrid) -> tuple[float, float]:
        """(start, end) in song seconds."""
        return bar_time(grid, self.start), bar_time(grid, self.end)

    def windows(self, grid: BeatGrid) -> list[int]:
        """The judged windows that start inside this section."""
        first = self.start * BEATS_PER_BAR / grid.beats_per_window
        last = self.end * BEATS_PER_BAR / grid.beats_per_window
        return [w for w in range(grid.window_count) if first - 1e-9 <= w < last - 1e-9]


def bar_time(grid: BeatGrid, bar: int) -> float:
    return grid.beat_to_time(bar * BEATS_PER_BAR)


def beat_features(track: PoseTrack, grid: BeatGrid, bars: int) -> np.ndarray:
    """(bars * 4, 16): the coach's limb directions (unit x, y) on each beat; 0 where unseen."""
    beats = bars * BEATS_PER_BAR
    times = np.array([grid.beat_to_time(b + 0.5) for b in range(beats)])
    out = np.zeros((beats, 2 * len(LIMBS)))
    if len(track) == 0:
        return out
    idx = np.clip(np.searchsorted(track.times, times), 0, len(track) - 1)
    for k, (a, b) in enumerate(LIMBS):
        vec = track.landmarks[idx, b, :2] - track.landmarks[idx, a, :2]
        norm = np.linalg.norm(vec, axis=1, keepdims=True)
        seen = (track.visibility[idx][:, [a, b]] >= MIN_VISIBILITY).all(axis=1, keepdims=True)
        unit = np.where(seen & (norm > 1e-6), vec / np.maximum(norm, 1e-6), 0.0)
        out[:, 2 * k : 2 * k + 2] = unit
    return out


def novelty(features: np.ndarray, bars: int) -> np.ndarray:
    """(bars + 1,): how much the moves change at each bar boundary: the two bars before
    against the two after, beat for beat (0 at the song's ends)."""
    per_bar = features.reshape(bars, -1)
    out = np.zeros(bars + 1)
    for k in range(1, bars):
        before = per_bar[max(0, k - 2) : k]
        after = per_bar[k : min(bars, k + 2)]
        n = min(len(before), len(after))
        out[k] = float(np.mean(np.linalg.norm(before[-n:] - after[:n], axis=1)))
    return out


def cut(strength: np.ndarray, bars: int) -> list[Section]:
    """The sections of `bars` bars whose cuts are the strongest changes (dynamic
    programming over 8-count boundaries; a cut is worth its strength above the median)."""
    if bars <= MIN_BARS:
        return [Section(0, bars)]
    points = sorted({*range(0, bars, STEP_BARS), bars})
    gain = strength - float(np.median(strength[1:bars])) if bars > 1 else strength
    best: dict[int, tuple[float, int]] = {0: (0.0, -1)}
    for q in points[1:]:
        options = [
            (best[p][0] + (gain[q] if q < bars else 0.0), p)
            for p in points
            if p in best and MIN_BARS <= q - p <= MAX_BARS and (q == bars or bars - q >= MIN_BARS)
        ]
        if options:
            best[q] = max(options, key=lambda o: (round(o[0], 9), -o[1]))
    if bars not in best:  # cannot happen for bars > MIN_BARS; kept as a plain fallback
        return [Section(s, min(s + MAX_BARS, bars)) for s in range(0, bars, MAX_BARS)]
    ends = [bars]
    while best[ends[-1]][1] > 0:
        ends.append(best[ends[-1]][1])
    ends = ends[::-1]
    return [Section(a, b) for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def sections(track: PoseTrack, grid: BeatGrid) -> list[Section]:
    """The level's sections, in order, covering every bar once (deterministic)."""
    bars = bar_count(grid)
    return cut(novelty(beat_features(track, grid, bars), bars), bars)
