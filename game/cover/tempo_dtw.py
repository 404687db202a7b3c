"""The tempo search's open DTW, inside a band around a tempo line (numpy only).

Steps (1,1), (1,2), (2,1): a local tempo of 1/2..2. The path starts and ends anywhere,
and each reference frame it leaves out costs `skip` (chance), so it covers what matches
and no more. Only the band's cells are held (`game.scoring.band`): memory O(rows x band).
"""

from __future__ import annotations

import numpy as np

from game.scoring.alignment import Warp
from game.scoring.band import Band, row_medians

FORBIDDEN = 1e6  # the cost of a cell outside the band


def open_dtw(costs: np.ndarray, band: Band, skip: float = 1.0) -> tuple[float, np.ndarray]:
    """(mean cost per reference frame, path (K, 2) of global cells) through the band's
    cells, whose costs are `costs` (N, width) in the band's strips."""
    n, width = costs.shape
    c = np.where(band.inside, costs, FORBIDDEN)
    acc = np.full((n, width), np.inf)
    back = np.zeros((n, width), np.int8)
    acc[0] = c[0]
    back[0] = 3
    left = band.neighbours(0, 1)
    diagonal_of, fast_of = band.neighbours(1, 1), band.neighbours(1, 2)
    slow_of, up = band.neighbours(2, 1), band.neighbours(1, 0)
    for i in range(1, n):
        before = left.of(c, i, FORBIDDEN)
        diagonal = diagonal_of.of(acc, i, np.inf) + c[i]
        # two cover frames for one reference frame
        fast = fast_of.of(acc, i, np.inf) + 0.5 * (before + c[i])
        slow = np.full(width, np.inf)  # two reference frames for one cover frame
        if i >= 2:
            slow = slow_of.of(acc, i, np.inf) + up.of(c, i, FORBIDDEN) + c[i]
        start = i * skip + c[i]
        options = np.stack([diagonal, fast, slow, start])
        back[i] = options.argmin(axis=0)
        acc[i] = options.min(axis=0)
    total = np.where(band.inside, acc + (n - 1 - np.arange(n))[:, None] * skip, np.inf)
    i, k = np.unravel_index(int(np.argmin(total)), total.shape)
    cost = float(total[i, k])
    j = int(band.start[i] + k)
    path = []
    while True:
        path.append((i, j))
        step = back[i, j - band.start[i]]
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


def path_to_warp(
    path: np.ndarray, ref_grid: np.ndarray, cover_grid: np.ndarray, rate: float
) -> Warp:
    """A partial warp through the path's reference rows (median cover frame per row), on
    grids of `rate` frames a second."""
    rows, cols = row_medians(path, path[:, 1])
    if len(rows) < 2:  # a single frame: a tiny segment around it
        rows, cols = np.array([rows[0], rows[0]]), np.array([cols[0], cols[0]])
    cover = cover_grid[0] + cols / rate
    ref = ref_grid[rows].astype(np.float64)
    for k in range(1, len(cover)):
        cover[k] = max(cover[k], cover[k - 1] + 1e-3)
        ref[k] = max(ref[k], ref[k - 1] + 1e-3)
    return Warp(ref, cover, partial=True)
