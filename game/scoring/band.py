"""A band of a reference x cover grid, and the plain DTW path inside it (numpy only).

A long song's full cost matrix (every reference frame against every cover frame) does not
fit in memory: 10 minutes at 10 Hz on both sides is 36 million cells. DTW only ever looks
inside a band around an expected path, so a `Band` keeps, per row i, the `width` columns
`start[i] .. start[i] + width - 1`: memory O(rows x width), linear in the song's length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Band:
    """Per row `i`: columns `start[i] + k` for k < `width`, `inside[i, k]` where the band
    really holds the cell (out of the grid's `columns` or outside the band: False)."""

    start: np.ndarray  # (N,) first column of each row's strip
    inside: np.ndarray  # (N, width) bool
    columns: int  # the full grid's column count

    @property
    def width(self) -> int:
        return int(self.inside.shape[1])

    @property
    def cols(self) -> np.ndarray:
        """(N, width) global column of each strip cell (clipped into the grid)."""
        return np.clip(self.start[:, None] + np.arange(self.width)[None, :], 0, self.columns - 1)

    def neighbours(self, rows_back: int, cols_back: int) -> Neighbours:
        """For every strip cell, the cell `rows_back` rows up and `cols_back` columns left."""
        own = self.start[:, None] + np.arange(self.width)[None, :] - cols_back
        above = np.arange(len(self.start)) - rows_back
        row = np.clip(above, 0, None)
        k = own - self.start[row][:, None]
        clipped = np.clip(k, 0, self.width - 1)
        ok = (k == clipped) & (above >= 0)[:, None] & self.inside[row[:, None], clipped]
        return Neighbours(rows_back, clipped, ok)


@dataclass(frozen=True)
class Neighbours:
    """Where each strip cell's neighbour sits in its own row's strip (`Band.neighbours`)."""

    rows_back: int
    k: np.ndarray  # (N, width) the neighbour's strip index in row i - rows_back
    ok: np.ndarray  # (N, width) the neighbour is in the band

    def of(self, strip: np.ndarray, row: int, fill: float) -> np.ndarray:
        """The neighbours of row `row`'s cells, looked up in `strip`; `fill` outside."""
        return np.where(self.ok[row], strip[max(row - self.rows_back, 0), self.k[row]], fill)


def band_around(rows: np.ndarray, grid: np.ndarray, radius: float, shift: float = 0.0) -> Band:
    """The band of columns `j` with |grid[j] - rows[i] - shift| <= radius in each row `i`
    (`grid` increasing), evaluated cell by cell exactly as that expression reads."""
    centre = rows + shift
    lo = np.searchsorted(grid, centre - radius - 1e-6) - 1
    hi = np.searchsorted(grid, centre + radius + 1e-6) + 1
    lo = np.clip(lo, 0, len(grid) - 1)
    hi = np.clip(hi, 1, len(grid))
    width = max(1, int((hi - lo).max()))
    cols = lo[:, None] + np.arange(width)[None, :]
    valid = cols < len(grid)
    picked = grid[np.minimum(cols, len(grid) - 1)]
    inside = valid & (np.abs(picked - rows[:, None] - shift) <= radius)
    return Band(lo.astype(np.intp), inside, len(grid))


def banded_dtw_path(cost: np.ndarray, band: Band) -> np.ndarray:
    """Minimum-cost monotone path from (0, 0) to (N-1, M-1) through the band's cells.

    `cost` (N, width) holds the strip cells' costs. Steps (1, 0), (0, 1), (1, 1); cells
    outside the band are forbidden. Returns (K, 2) global index pairs. The same path (ties
    included) as a full-matrix DTW with out-of-band cells at infinite cost.
    """
    n, width = cost.shape
    c = np.where(band.inside, cost, np.inf)
    acc = np.full((n, width), np.inf)
    if band.start[0] == 0:
        acc[0] = np.cumsum(c[0])
    above, diagonal = band.neighbours(1, 0), band.neighbours(1, 1)
    for i in range(1, n):
        up, diag = above.of(acc, i, np.inf), diagonal.of(acc, i, np.inf)
        best = np.minimum(up, diag) + c[i]
        row = np.empty(width)
        running = np.inf
        ci = c[i]
        for k in range(width):  # a band a few dozen cells wide: a plain loop is fine
            running = min(running + ci[k], best[k])
            row[k] = running
        acc[i] = row

    def at(i: int, j: int) -> float:
        k = j - band.start[i]
        return float(acc[i, k]) if 0 <= k < width and band.inside[i, k] else np.inf

    i, j = n - 1, band.columns - 1
    path = [(i, j)]
    while i > 0 or j > 0:
        options = []
        if i > 0 and j > 0:
            options.append((at(i - 1, j - 1), i - 1, j - 1))
        if i > 0:
            options.append((at(i - 1, j), i - 1, j))
        if j > 0:
            options.append((at(i, j - 1), i, j - 1))
        _, i, j = min(options)
        path.append((i, j))
    return np.array(path[::-1])


def row_medians(path: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rows, median of `values` per row) along a path whose rows never decrease; the
    middle value (or the mean of the two middle values) of each row, as `np.median`."""
    order = np.lexsort((values, path[:, 0]))
    rows, first, count = np.unique(path[order, 0], return_index=True, return_counts=True)
    ordered = values[order]
    low, high = ordered[first + (count - 1) // 2], ordered[first + count // 2]
    return rows, np.where(count % 2 == 1, low, (low + high) / 2)
