"""Time alignment of a cover against a reference (numpy only).

Conventions: an *offset* `d` means the cover shows at cover time `t + d` what the
reference shows at reference time `t`. A *warp* maps reference times to cover times.

- `correlate_envelopes`: global offset from two audio onset envelopes (Pearson
  correlation at every lag); the peak's correlation says how much to trust it.
- `pose_lag_costs` / `offset_candidates`: global offsets from joint angles, by the mean
  tolerance-normalised angle error at every lag (for covers without matching audio).
- `dtw_warp`: dynamic time warping of the angle sequences inside a band around the global
  offset, smoothed, so slow drift is followed but single moves are not bent into place.
- `tempo_warps`: for a cover danced at another tempo. A chance-calibrated cost matrix,
  straight lines (tempo scale x offset) through it, then DTW with slopes 1/2..2 in a band
  around the best lines; either side may start and end anywhere, and every reference
  frame left uncovered costs what chance would.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from game.pose.angles import angle_errors
from game.pose.frame import PoseTrack
from game.scoring.band import band_around, banded_dtw_path, row_medians
from game.scoring.judge import nearest_values

MISSING_COST = 1.0  # cost of a frame pair where either side shows no comparable joint
COST_CAP = 3.0  # a joint off by more than this many tolerances counts as this many
PAIR_BUDGET = 1_000_000  # frame pairs a search compares in full; longer songs: coarse to fine
COARSE_SEEDS = 8  # coarse offsets refined, level by level, to the full rate
REFINE_RATIO = 4  # each refinement level's step: the last one's / this


@dataclass(frozen=True)
class Offset:
    """A global offset (seconds) and how clearly it stood out (0 = not at all)."""

    seconds: float
    strength: float
    method: str


@dataclass(frozen=True)
class Warp:
    """A monotone map from reference time to cover time, piecewise linear.

    A `partial` warp covers only part of the reference: cover poses beyond its ends are
    dropped by `retime` instead of being extrapolated with slope 1.
    """

    ref_times: np.ndarray
    cover_times: np.ndarray
    partial: bool = False

    def to_cover(self, t: np.ndarray | float) -> np.ndarray:
        return np.interp(t, self.ref_times, self.cover_times, left=np.nan, right=np.nan)

    def to_reference(self, t: np.ndarray | float) -> np.ndarray:
        """Cover time -> reference time (extrapolated with slope 1 beyond the ends)."""
        t = np.asarray(t, np.float64)
        inside = np.interp(t, self.cover_times, self.ref_times)
        before = self.ref_times[0] + (t - self.cover_times[0])
        after = self.ref_times[-1] + (t - self.cover_times[-1])
        return np.where(
            t < self.cover_times[0], before, np.where(t > self.cover_times[-1], after, inside)
        )

    @property
    def offsets(self) -> np.ndarray:
        return self.cover_times - self.ref_times

    @property
    def tempo(self) -> float:
        """Mean slope: cover seconds per reference second (1 = same tempo)."""
        span = float(self.ref_times[-1] - self.ref_times[0])
        return float(self.cover_times[-1] - self.cover_times[0]) / span if span > 0 else 1.0

    @staticmethod
    def constant(offset: float, start: float, end: float) -> Warp:
        ref = np.array([start, max(end, start + 1e-3)])
        return Warp(ref, ref + offset)


def pearson_lags(
    reference: np.ndarray, cover: np.ndarray, min_overlap: float = 0.5
) -> tuple[np.ndarray, np.ndarray]:
    """(lags, r): Pearson correlation of `cover[i + lag]` with `reference[i]` for every lag
    whose overlap is at least `min_overlap` of the shorter signal.

    O(n log n): the cross sums by FFT, each overlap's sums and sums of squares by prefix
    sums (a 10-minute envelope has 26,000 samples: all 52,000 lags in milliseconds).
    """
    from scipy.signal import correlate

    a, b = np.asarray(reference, np.float64), np.asarray(cover, np.float64)
    need = max(2, int(np.ceil(min_overlap * min(len(a), len(b)))))
    lags = np.arange(-(len(a) - 1), len(b))
    lo, hi = np.maximum(0, -lags), np.minimum(len(a), len(b) - lags)
    keep = hi - lo >= need
    lags, lo, hi = lags[keep], lo[keep], hi[keep]
    count = (hi - lo).astype(np.float64)
    cross = correlate(b, a, mode="full", method="fft")[keep]  # sum_i a[i] b[i + lag]

    def window_sums(x: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple:
        prefix = np.concatenate([[0.0], np.cumsum(x)])
        squares = np.concatenate([[0.0], np.cumsum(x * x)])
        return prefix[end] - prefix[start], squares[end] - squares[start]

    sum_a, sq_a = window_sums(a, lo, hi)
    sum_b, sq_b = window_sums(b, lo + lags, hi + lags)
    var_a = sq_a - sum_a * sum_a / count
    var_b = sq_b - sum_b * sum_b / count
    # a flat stretch: its variance is rounding noise, as its correlation would be
    var_a[var_a <= 1e-12 * np.maximum(sq_a, 1e-300)] = 0.0
    var_b[var_b <= 1e-12 * np.maximum(sq_b, 1e-300)] = 0.0
    denom = np.sqrt(var_a * var_b)
    covariance = cross - sum_a * sum_b / count
    r = np.where(denom > 0, covariance / np.where(denom > 0, denom, 1.0), 0.0)
    return lags.astype(np.int64), np.clip(r, -1.0, 1.0)


def correlate_envelopes(
    reference: np.ndarray, cover: np.ndarray, rate: float, min_overlap: float = 0.5
) -> Offset:
    """Offset of `cover` against `reference`: two onset envelopes sampled at `rate` Hz.

    The peak is chosen by correlation times overlap share (dance music repeats: a short
    overlap can correlate well by chance); strength is the Pearson correlation there,
    about 0.75 for the same recording of a song and at most about 0.3 for unrelated
    music (measured on realdata).
    """
    lags, r = pearson_lags(reference, cover, min_overlap)
    if r.size == 0:
        return Offset(0.0, 0.0, "audio")
    overlap = np.minimum(len(reference), len(cover) - lags) - np.maximum(0, -lags)
    weighted = r * overlap / min(len(reference), len(cover))
    best = int(np.argmax(weighted))
    shift = 0.0
    if 0 < best < len(r) - 1:  # parabolic refinement of the peak
        y0, y1, y2 = weighted[best - 1 : best + 2]
        denom = y0 - 2 * y1 + y2
        shift = 0.5 * (y0 - y2) / denom if denom < 0 else 0.0
    return Offset(float((lags[best] + shift) / rate), float(r[best]), "audio")


def resample_angles(track_times: np.ndarray, angles: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Angles (N, J) at `times` by the nearest frame; NaN more than 0.2 s from any frame."""
    return nearest_values(track_times, angles, times, max_gap=0.2)


def _pair_cost(a: np.ndarray, b: np.ndarray, tolerances: np.ndarray) -> np.ndarray:
    """Mean capped normalised error over joints both show; NaN if none is shared."""
    ratios = np.minimum(angle_errors(a, b) / tolerances, COST_CAP)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        return np.nanmean(ratios, axis=-1)


def pose_lag_costs(
    ref_times: np.ndarray,
    ref_angles: np.ndarray,
    cover_times: np.ndarray,
    cover_angles: np.ndarray,
    tolerances: np.ndarray,
    rate: float = 10.0,
    min_overlap: float = 0.6,
) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, costs): the mean normalised angle error over the overlap at every offset.

    Both sides are sampled at `rate` Hz. Offsets leaving less than `min_overlap` of the
    reference's seen frames covered by the cover get cost NaN. A pair longer than
    PAIR_BUDGET allows is searched coarse to fine: every lag on every `thin`-th frame of
    both sides, then, level by level (REFINE_RATIO times finer each), the lags near the
    best ones, up to `rate`: time and memory linear in the length. Lags not refined stay NaN.
    """
    step = 1.0 / rate
    rt = np.arange(ref_times[0], ref_times[-1] + 1e-9, step)
    ct = np.arange(cover_times[0], cover_times[-1] + 1e-9, step)
    ra = resample_angles(ref_times, ref_angles, rt)
    ca = resample_angles(cover_times, cover_angles, ct)
    lags = np.arange(-(len(rt) - 1), len(ct))  # reference index i meets cover index i + lag
    offsets = ct[0] - rt[0] + lags * step
    thin = decimation(len(rt), len(ct))
    if thin == 1:
        return offsets, _lag_costs(ra, ca, lags, tolerances, min_overlap)
    coarse_lags = np.arange(-((len(rt) - 1) // thin), (len(ct) - 1) // thin + 1)
    coarse = _lag_costs(ra[::thin], ca[::thin], coarse_lags, tolerances, min_overlap)
    seeds = _best_lags(coarse_lags * thin, coarse, thin)  # in fine lags: L meets L * thin
    while True:  # each level 4 times finer, around the last level's best lags
        finer = max(1, thin // REFINE_RATIO)
        near = np.unique(
            [s + finer * k for s in seeds for k in range(-REFINE_RATIO, REFINE_RATIO + 1)]
        )
        near = near[(near >= lags[0]) & (near <= lags[-1])].astype(np.int64)
        found = _lag_costs(ra[::finer], ca[::finer], near // finer, tolerances, min_overlap)
        if finer == 1:
            costs = np.full(len(lags), np.nan)
            costs[near - lags[0]] = found
            return offsets, costs
        seeds, thin = _best_lags(near, found, finer), finer


def _best_lags(lags: np.ndarray, costs: np.ndarray, thin: int) -> list[int]:
    """The COARSE_SEEDS lowest-cost lags, two steps of `thin` apart."""
    seeds = offset_candidates(lags.astype(np.float64), costs, COARSE_SEEDS, 2 * thin)
    return [round(s.seconds) for s in seeds]


def decimation(rows: int, cols: int) -> int:
    """1 when `rows` x `cols` frame pairs fit PAIR_BUDGET, else the power of two frame step
    that fits them."""
    ratio = np.sqrt(rows * cols / PAIR_BUDGET)
    return 1 if ratio <= 1 else int(2 ** np.ceil(np.log2(ratio)))


def _lag_costs(
    ra: np.ndarray, ca: np.ndarray, lags: np.ndarray, tolerances: np.ndarray, min_overlap: float
) -> np.ndarray:
    """The mean pair cost over the overlap at each lag (see `pose_lag_costs`)."""
    total_seen = max(int(np.isfinite(ra).any(axis=1).sum()), 1)
    costs = np.full(len(lags), np.nan)
    for k, lag in enumerate(lags):
        lo, hi = max(0, -lag), min(len(ra), len(ca) - lag)
        if hi - lo < min_overlap * total_seen:
            continue
        cost = _pair_cost(ra[lo:hi], ca[lo + lag : hi + lag], tolerances)
        covered = np.isfinite(cost)
        if covered.sum() >= min_overlap * total_seen:
            costs[k] = float(cost[covered].mean())
    return costs


def offset_candidates(
    offsets: np.ndarray, costs: np.ndarray, count: int = 4, separation_s: float = 0.5
) -> list[Offset]:
    """The `count` lowest local minima of a cost curve, at least `separation_s` apart.

    Strength is how far each lies below the curve's median, in robust spreads.
    """
    valid = np.isfinite(costs)
    if not valid.any():
        return []
    median = float(np.median(costs[valid]))
    spread = float(np.median(np.abs(costs[valid] - median)) * 1.4826) + 1e-9
    chosen: list[Offset] = []
    for k in np.argsort(np.where(valid, costs, np.inf)):
        if not valid[k] or len(chosen) >= count:
            break
        if all(abs(offsets[k] - c.seconds) >= separation_s for c in chosen):
            chosen.append(Offset(float(offsets[k]), (median - float(costs[k])) / spread, "pose"))
    return chosen


def dtw_warp(
    ref_times: np.ndarray,
    ref_angles: np.ndarray,
    cover_times: np.ndarray,
    cover_angles: np.ndarray,
    tolerances: np.ndarray,
    offset: float,
    band_s: float = 1.0,
    rate: float = 10.0,
    smooth_s: float = 4.0,
    max_slope_error: float = 0.15,
) -> Warp:
    """A warp following slow drift around `offset` (cover = reference + offset).

    DTW runs on the angle sequences at `rate` Hz inside a band of +/- `band_s` around the
    offset; the path's local offset is then smoothed over `smooth_s` seconds and kept
    within the band, and the warp's slope within 1 +/- `max_slope_error`.
    """
    step = 1.0 / rate
    rt = np.arange(ref_times[0], ref_times[-1] + 1e-9, step)
    ct = np.arange(rt[0] + offset - band_s, rt[-1] + offset + band_s + 1e-9, step)
    ra = resample_angles(ref_times, ref_angles, rt)
    ca = resample_angles(cover_times, cover_angles, ct)
    band = band_around(rt, ct, band_s + 1e-9, shift=offset)
    cost = _pair_cost(ra[:, None, :], ca[band.cols], tolerances)
    cost = np.where(np.isfinite(cost), cost, MISSING_COST)
    path = banded_dtw_path(cost, band)
    _, off = row_medians(path, ct[path[:, 1]] - rt[path[:, 0]])  # the path visits every row
    off = _smooth(off, max(1, round(smooth_s * rate)))
    off = np.clip(off, offset - band_s, offset + band_s)
    cover = rt + off
    slope_lo, slope_hi = (1 - max_slope_error) * step, (1 + max_slope_error) * step
    for i in range(1, len(cover)):  # keep it monotone with a bounded slope
        cover[i] = np.clip(cover[i], cover[i - 1] + slope_lo, cover[i - 1] + slope_hi)
    return Warp(rt, cover)


def _smooth(x: np.ndarray, width: int) -> np.ndarray:
    """Moving median then moving mean over `width` samples (edges use what exists)."""
    if width <= 1 or len(x) < 3:
        return x
    half = width // 2
    padded = np.pad(x, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    med = np.median(windows, axis=1)
    padded = np.pad(med, half, mode="edge")
    return np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1).mean(axis=1)


def retime(track: PoseTrack, warp: Warp) -> PoseTrack:
    """The cover track with its times mapped into reference time (order kept)."""
    inside = np.ones(len(track), bool)
    if warp.partial:
        step = float(np.median(np.diff(track.times))) if len(track) > 1 else 0.0
        lo, hi = warp.cover_times[0] - step, warp.cover_times[-1] + step
        inside = (track.times >= lo) & (track.times <= hi)
    times = warp.to_reference(track.times[inside])
    keep = np.concatenate([[True], np.diff(times) > 1e-6])[: len(times)]
    picked = np.flatnonzero(inside)[keep]
    return PoseTrack(times[keep], track.landmarks[picked], track.visibility[picked], track.aspect)
