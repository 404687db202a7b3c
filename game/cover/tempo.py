"""Alignment of a cover danced at another tempo (numpy only).

A constant offset cannot line up two takes when one is danced 1.4 times slower. Here:

1. `calibrated_costs`: every reference frame against every cover frame, as the judge's
   credit less chance, so 0 = perfect, 1 = no better than chance (and above 1 = worse).
2. `tempo_lines`: the straight lines cover = scale * reference + offset with the lowest
   mean cost, reference frames off the cover's ends counting as chance.
3. `open_dtw`: DTW with steps (1,1), (1,2), (2,1) (local tempo 1/2..2) in a band around a
   line; the path may start and end anywhere on both sides, and each reference frame it
   leaves out costs 1 (chance), so it covers what matches and no more.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from game.pose.angles import angle_errors
from game.scoring.alignment import Warp, resample_angles

RATE = 10.0  # frames a second on both sides
SMOOTH_S = 0.2  # Gaussian smoothing of the angles before matching (sigma, seconds)
SCALES = np.exp(np.arange(np.log(0.66), np.log(1.52) + 1e-9, 0.025))
LINE_STEP_S = 0.1
MIN_LINE_COVERAGE = 0.5
BAND_S = 0.5
FORBIDDEN = 1e6


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


def calibrated_costs(
    ref_angles: np.ndarray,
    cover_angles: np.ndarray,
    tolerances: np.ndarray,
    full_ratio: float = 0.5,
    zero_ratio: float = 1.5,
) -> np.ndarray:
    """(N, M): 1 - above-chance credit of each frame pair (the judge's credit rule per
    joint, less the joint's mean credit over all pairs); 1 where nothing is comparable."""
    ratios = angle_errors(cover_angles[None], ref_angles[:, None]) / tolerances
    credit = np.clip((zero_ratio - ratios) / (zero_ratio - full_ratio), 0.0, 1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        chance = np.nanmean(credit, axis=(0, 1))
    known = np.isfinite(credit) & np.isfinite(chance) & (chance < 1.0)
    gained = np.where(known, credit - chance, 0.0).sum(axis=2)
    weight = np.where(known, 1.0 - chance, 0.0).sum(axis=2)
    above = np.where(weight > 0, gained / np.maximum(weight, 1e-9), 0.0)
    return (1.0 - above).astype(np.float64)


def tempo_lines(
    costs: np.ndarray,
    ref_grid: np.ndarray,
    cover_grid: np.ndarray,
    scales: np.ndarray = SCALES,
    count: int = 3,
) -> list[TempoLine]:
    """The `count` best lines, distinct in offset (0.5 s) or scale (8 %)."""
    n, m = costs.shape
    gains = 1.0 - costs
    found: list[TempoLine] = []
    rows = np.arange(n)[None, :]
    for scale in scales:
        offsets = np.arange(
            cover_grid[0] - scale * ref_grid[-1], cover_grid[-1] - scale * ref_grid[0], LINE_STEP_S
        )
        cols = np.round((scale * ref_grid[None, :] + offsets[:, None] - cover_grid[0]) * RATE)
        cols = cols.astype(np.intp)
        inside = (cols >= 0) & (cols < m)
        values = np.where(inside, gains[rows, np.clip(cols, 0, m - 1)], 0.0).sum(axis=1) / n
        values[inside.mean(axis=1) < MIN_LINE_COVERAGE] = -np.inf
        found += [
            TempoLine(float(v), float(scale), float(d))
            for v, d in zip(values, offsets, strict=True)
        ]
    chosen: list[TempoLine] = []
    for line in sorted(found, key=lambda x: -x.gain):
        if len(chosen) >= count or not np.isfinite(line.gain):
            break
        if all(
            abs(line.offset - c.offset) > 0.5 or abs(np.log(line.scale / c.scale)) > 0.08
            for c in chosen
        ):
            chosen.append(line)
    return chosen


def open_dtw(costs: np.ndarray, skip: float = 1.0) -> tuple[float, np.ndarray]:
    """(mean cost per reference frame, path (K, 2)): steps (1,1), (1,2), (2,1); the path
    starts and ends anywhere, and each reference row it leaves out costs `skip`."""
    n, m = costs.shape
    acc = np.full((n, m), np.inf)
    back = np.zeros((n, m), np.int8)
    acc[0] = costs[0]
    back[0] = 3
    for i in range(1, n):
        diagonal = np.full(m, np.inf)
        diagonal[1:] = acc[i - 1, :-1] + costs[i, 1:]
        fast = np.full(m, np.inf)  # two cover frames for one reference frame
        fast[2:] = acc[i - 1, :-2] + 0.5 * (costs[i, 1:-1] + costs[i, 2:])
        slow = np.full(m, np.inf)  # two reference frames for one cover frame
        if i >= 2:
            slow[1:] = acc[i - 2, :-1] + costs[i - 1, 1:] + costs[i, 1:]
        start = i * skip + costs[i]
        options = np.stack([diagonal, fast, slow, start])
        back[i] = options.argmin(axis=0)
        acc[i] = options.min(axis=0)
    total = acc + (n - 1 - np.arange(n))[:, None] * skip
    i, j = np.unravel_index(int(np.argmin(total)), total.shape)
    cost = float(total[i, j])
    path = []
    while True:
        path.append((i, j))
        step = back[i, j]
        if step == 3:
            break
        if step == 0:
            i, j = i - 1, j - 1
        elif step == 1:
            path.append((i, j - 1))
            i, j = i - 1, j - 2
        else:
            path.append((i - 1, j))
            i, j = i - 2, j - 1
    return cost / n, np.array(path[::-1])


def path_to_warp(path: np.ndarray, ref_grid: np.ndarray, cover_grid: np.ndarray) -> Warp:
    """A partial warp through the path's reference rows (median cover frame per row)."""
    rows = np.unique(path[:, 0])
    if len(rows) < 2:  # a single frame: a tiny segment around it
        rows = np.array([rows[0], rows[0]])
    cols = np.array([np.median(path[path[:, 0] == i, 1]) for i in rows])
    cover = cover_grid[0] + cols / RATE
    ref = ref_grid[rows].astype(np.float64)
    for k in range(1, len(cover)):
        cover[k] = max(cover[k], cover[k - 1] + 1e-3)
        ref[k] = max(ref[k], ref[k - 1] + 1e-3)
    return Warp(ref, cover, partial=True)


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
    costs = calibrated_costs(ref, cover, tolerances)
    out = []
    for line in tempo_lines(costs, ref_grid, cover_grid, count=count):
        centre = line.scale * ref_grid + line.offset
        band = np.abs(cover_grid[None, :] - centre[:, None]) <= BAND_S
        _, path = open_dtw(np.where(band, costs, FORBIDDEN))
        out.append((line, path_to_warp(path, ref_grid, cover_grid)))
    return out
