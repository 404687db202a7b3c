"""Alignment of a cover danced at another tempo (numpy only).

A constant offset cannot line up two takes when one is danced 1.4 times slower. Here:

1. `CalibratedCosts` (`game.cover.tempo_costs`): a reference frame against a cover frame,
   as the judge's credit less chance, so 0 = perfect, 1 = no better than chance.
2. `best_lines`: the straight lines cover = scale * reference + offset with the lowest mean
   cost, reference frames off the cover's ends counting as chance. A pair longer than
   PAIR_BUDGET allows is searched coarse to fine: every line on a coarser grid of both
   dances, then level by level the lines near the best ones, up to the full rate.
3. `open_dtw` (`game.cover.tempo_dtw`): DTW with steps (1,1), (1,2), (2,1) (local tempo
   1/2..2) in a band around a line; the path may start and end anywhere on both sides, and
   each reference frame it leaves out costs 1 (chance), so it covers what matches and no
   more. Only the band's cells are computed: memory linear in the song's length.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from game.cover.tempo_costs import BLOCK_PAIRS, CalibratedCosts
from game.cover.tempo_dtw import open_dtw, path_to_warp
from game.scoring.alignment import REFINE_RATIO, Warp, decimation, resample_angles
from game.scoring.band import band_around

RATE = 10.0  # frames a second on both sides
SMOOTH_S = 0.2  # Gaussian smoothing of the angles before matching (sigma, seconds)
SCALES = np.exp(np.arange(np.log(0.66), np.log(1.52) + 1e-9, 0.025))
LINE_STEP_S = 0.1
MIN_LINE_COVERAGE = 0.5
BAND_S = 0.5
COARSE_SEEDS = 8  # coarse lines refined, level by level, to the full rate

Gains = Callable[[np.ndarray, np.ndarray], np.ndarray]  # (rows, cols) -> 1 - cost


@dataclass(frozen=True)
class TempoLine:
    """cover time = scale * reference time + offset; `gain` = mean 1 - cost (0 = chance)."""

    gain: float
    scale: float
    offset: float


def smooth_angles(angles: np.ndarray, sigma_frames: float) -> np.ndarray:
    """Gaussian smoothing over time of angles (N, J) in degrees, through unit vectors so
    +179 and -179 average to 180; NaN stays NaN."""
    if sigma_frames <= 0 or len(angles) < 3:
        return angles
    radius = max(1, int(3 * sigma_frames))
    x = np.arange(-radius, radius + 1)
    kernel = np.exp(-0.5 * (x / sigma_frames) ** 2)
    known = np.isfinite(angles)
    rad = np.radians(np.where(known, angles, 0.0))

    def blur(values: np.ndarray) -> np.ndarray:
        padded = np.pad(values, ((radius, radius), (0, 0)))
        return np.apply_along_axis(lambda c: np.convolve(c, kernel, "valid"), 0, padded)

    cos = blur(np.where(known, np.cos(rad), 0.0))
    sin = blur(np.where(known, np.sin(rad), 0.0))
    return np.where(known, np.degrees(np.arctan2(sin, cos)), np.nan).astype(np.float32)


def sampled(times: np.ndarray, angles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(grid, angles): the angles at `RATE` Hz over the track, smoothed."""
    grid = np.arange(times[0], times[-1] + 1e-9, 1.0 / RATE)
    return grid, smooth_angles(resample_angles(times, angles, grid), SMOOTH_S * RATE)


def line_offsets(scale: float, ref_grid: np.ndarray, cover_grid: np.ndarray, step: float):
    """Every offset, `step` apart, of the lines at `scale` that meet the cover at all."""
    return np.arange(cover_grid[0] - scale * ref_grid[-1], cover_grid[-1] - scale * ref_grid[0],
                     step)  # fmt: skip


def line_gains(
    gains: Gains,
    ref_grid: np.ndarray,
    cover_grid: np.ndarray,
    scale: float,
    offsets: np.ndarray,
    rate: float = RATE,
) -> np.ndarray:
    """Mean gain (1 - cost) along each line (`scale`, offset), -inf for a line that meets
    the cover on less than MIN_LINE_COVERAGE of the reference."""
    n, m = len(ref_grid), len(cover_grid)
    rows = np.arange(n)[None, :]
    values = np.empty(len(offsets))
    block = max(1, BLOCK_PAIRS // max(n, 1))
    for lo in range(0, len(offsets), block):
        part = offsets[lo : lo + block]
        cols = np.round((scale * ref_grid[None, :] + part[:, None] - cover_grid[0]) * rate)
        cols = cols.astype(np.intp)
        inside = (cols >= 0) & (cols < m)
        found = np.where(inside, gains(rows, np.clip(cols, 0, m - 1)), 0.0).sum(axis=1) / n
        found[inside.mean(axis=1) < MIN_LINE_COVERAGE] = -np.inf
        values[lo : lo + block] = found
    return values


def distinct_best(found: list[TempoLine], count: int, apart_s: float = 0.5) -> list[TempoLine]:
    """The `count` best lines, distinct in offset (`apart_s`) or scale (8 %)."""
    chosen: list[TempoLine] = []
    for line in sorted(found, key=lambda x: -x.gain):
        if len(chosen) >= count or not np.isfinite(line.gain):
            break
        if all(
            abs(line.offset - c.offset) > apart_s or abs(np.log(line.scale / c.scale)) > 0.08
            for c in chosen
        ):
            chosen.append(line)
    return chosen


def tempo_lines(
    gains: Gains,
    ref_grid: np.ndarray,
    cover_grid: np.ndarray,
    count: int = 3,
    rate: float = RATE,
    apart_s: float = 0.5,
) -> list[TempoLine]:
    """The `count` best lines over every scale of SCALES and every offset."""
    step = LINE_STEP_S * RATE / rate
    found: list[TempoLine] = []
    for scale in SCALES:
        offsets = line_offsets(scale, ref_grid, cover_grid, step)
        values = line_gains(gains, ref_grid, cover_grid, scale, offsets, rate)
        found += [TempoLine(float(v), float(scale), float(d))
                  for v, d in zip(values, offsets, strict=True)]  # fmt: skip
    return distinct_best(found, count, apart_s)


def best_lines(
    costs: CalibratedCosts, ref_grid: np.ndarray, cover_grid: np.ndarray, count: int = 3
) -> list[TempoLine]:
    """The `count` best lines: over the whole cost matrix when it fits PAIR_BUDGET, else
    coarse to fine: every line on every `thin`-th frame of both (smoothed), then, level by
    level (REFINE_RATIO times finer each), the lines near the COARSE_SEEDS best ones."""
    thin = decimation(len(ref_grid), len(cover_grid))
    if thin == 1:
        full = 1.0 - costs.full()
        return tempo_lines(lambda r, c: full[r, c], ref_grid, cover_grid, count)
    level = thinned(costs, thin)
    level_full = 1.0 - level.full()
    seeds = tempo_lines(
        lambda r, c: level_full[r, c], ref_grid[::thin], cover_grid[::thin], COARSE_SEEDS,
        RATE / thin, apart_s=2 * thin * LINE_STEP_S,
    )  # fmt: skip
    while thin > 1:
        finer = max(1, thin // REFINE_RATIO)
        level = thinned(costs, finer)
        found = lines_near(seeds, level, ref_grid[::finer], cover_grid[::finer], finer,
                           thin * LINE_STEP_S)  # fmt: skip
        last = finer == 1
        seeds = distinct_best(found, count if last else COARSE_SEEDS,
                              0.5 if last else 2 * finer * LINE_STEP_S)  # fmt: skip
        thin = finer
    return seeds


def thinned(costs: CalibratedCosts, thin: int) -> CalibratedCosts:
    """The costs on every `thin`-th frame of both dances, smoothed over `thin` frames first."""
    if thin == 1:
        return costs
    return costs.with_angles(
        smooth_angles(costs.ref, thin / 2)[::thin], smooth_angles(costs.cover, thin / 2)[::thin]
    )


def lines_near(
    seeds: list[TempoLine],
    costs: CalibratedCosts,
    ref_grid: np.ndarray,
    cover_grid: np.ndarray,
    thin: int,
    radius_s: float,
) -> list[TempoLine]:
    """The lines on the grid of `thin`-th frames near a seed: its scale or the next one
    either side, the offset within `radius_s` of the seed line's at mid-song; scale by
    scale and offsets in order (so ties fall as in the full search)."""
    middle = float(ref_grid[len(ref_grid) // 2])
    found: list[TempoLine] = []
    for index, scale in enumerate(SCALES):
        near = [s.offset + (s.scale - scale) * middle for s in seeds
                if abs(np.searchsorted(SCALES, s.scale - 1e-12) - index) <= 1]  # fmt: skip
        if not near:
            continue
        offsets = line_offsets(scale, ref_grid, cover_grid, thin * LINE_STEP_S)
        close = np.abs(offsets[:, None] - np.array(near)[None, :]).min(axis=1)
        offsets = offsets[close <= radius_s + 1e-9]
        values = line_gains(lambda r, c: 1.0 - costs.at(r, c), ref_grid, cover_grid, scale,
                            offsets, RATE / thin)  # fmt: skip
        found += [TempoLine(float(v), float(scale), float(d))
                  for v, d in zip(values, offsets, strict=True)]  # fmt: skip
    return found


def tempo_warps(
    ref_times: np.ndarray,
    ref_angles: np.ndarray,
    cover_times: np.ndarray,
    cover_angles: np.ndarray,
    tolerances: np.ndarray,
    count: int = 3,
) -> list[tuple[TempoLine, Warp]]:
    """Up to `count` candidate warps, each the banded open DTW around a best tempo line."""
    if len(ref_times) < 2 or len(cover_times) < 2:
        return []
    ref_grid, ref = sampled(ref_times, ref_angles)
    cover_grid, cover = sampled(cover_times, cover_angles)
    costs = CalibratedCosts.of(ref, cover, tolerances)
    rows = np.arange(len(ref_grid))[:, None]
    out = []
    for line in best_lines(costs, ref_grid, cover_grid, count):
        band = band_around(line.scale * ref_grid + line.offset, cover_grid, BAND_S)
        _, path = open_dtw(costs.at(rows, band.cols), band)
        out.append((line, path_to_warp(path, ref_grid, cover_grid, RATE)))
    return out
