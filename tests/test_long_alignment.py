"""A 10-minute pair is aligned in bounded memory: offset, drift and tempo on synthetic angles.

The full reference x cover matrices of a 10-minute pair (6,000 x 6,000 cells at 10 Hz, times
the joints) took 6.7 GB; the banded DTW and the coarse-to-fine searches must stay far below.
"""

from __future__ import annotations

import tracemalloc

import numpy as np

from game.cover.tempo import tempo_warps
from game.pose.skeleton import DIRECTION_ANGLES
from game.scoring.alignment import dtw_warp, offset_candidates, pose_lag_costs

FPS = 15.0  # the analysis rate of `cover-dance score`
SONG_S = 600.0
MEMORY_BOUND_MB = 300.0  # peak Python allocations while aligning a 10-minute pair
TOLERANCES = np.array([s.tolerance_deg for s in DIRECTION_ANGLES], np.float32)


def dance(seconds: float, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """(times at 100 Hz, angles (N, J)): smooth, never-repeating joint angles in degrees."""
    rng = np.random.default_rng(seed)
    times = np.arange(0.0, seconds, 0.01)
    noise = rng.normal(size=(len(times), len(DIRECTION_ANGLES)))
    kernel = np.exp(-0.5 * (np.arange(-60, 61) / 20.0) ** 2)  # sigma 0.2 s
    smooth = np.stack([np.convolve(c, kernel, "same") for c in noise.T], axis=1)
    return times, (120.0 * smooth / smooth.std()).clip(-179.0, 179.0)


def seen_at(moments: np.ndarray, dance_times: np.ndarray, dance_angles: np.ndarray):
    """The dance's angles at `moments` (reference seconds)."""
    return np.stack([np.interp(moments, dance_times, c) for c in dance_angles.T], axis=1).astype(
        np.float32
    )


def peak_mb(work):
    """(result of `work()`, peak traced allocations in MB while it ran)."""
    tracemalloc.start()
    try:
        result = work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak / 1e6


def test_a_ten_minute_cover_with_an_offset_and_drift_is_found_in_bounded_memory() -> None:
    dance_times, dance_angles = dance(SONG_S + 20.0)
    ref_times = np.arange(0.0, SONG_S, 1 / FPS)
    ref = seen_at(ref_times, dance_times, dance_angles)
    # cover time = 1.001 x reference time + 7: the offset drifts from 7.0 s to 7.6 s
    cover_times = np.arange(7.0, 1.001 * SONG_S + 7.0, 1 / FPS)
    cover = seen_at((cover_times - 7.0) / 1.001, dance_times, dance_angles)

    def align():
        offsets, costs = pose_lag_costs(ref_times, ref, cover_times, cover, TOLERANCES)
        best = offset_candidates(offsets, costs)[0].seconds
        return best, dtw_warp(ref_times, ref, cover_times, cover, TOLERANCES, best)

    (offset, warp), peak = peak_mb(align)
    assert 7.0 <= offset <= 7.6
    expected = 1.001 * warp.ref_times + 7.0
    middle = slice(len(expected) // 10, -len(expected) // 10)
    assert np.max(np.abs(warp.cover_times[middle] - expected[middle])) < 0.15
    assert peak < MEMORY_BOUND_MB, f"aligning 10 minutes peaked at {peak:.0f} MB"


def test_a_ten_minute_take_danced_slower_is_found_by_its_tempo_in_bounded_memory() -> None:
    dance_times, dance_angles = dance(SONG_S + 5.0, seed=11)
    ref_times = np.arange(0.0, SONG_S, 1 / FPS)
    ref = seen_at(ref_times, dance_times, dance_angles)
    cover_times = np.arange(3.0, 3.0 + 1.25 * SONG_S, 1 / FPS)  # 1.25x slower, 3 s late
    cover = seen_at((cover_times - 3.0) / 1.25, dance_times, dance_angles)

    warps, peak = peak_mb(lambda: tempo_warps(ref_times, ref, cover_times, cover, TOLERANCES))
    line, warp = warps[0]
    assert abs(np.log(line.scale / 1.25)) < 0.03
    assert abs(warp.tempo - 1.25) < 0.02
    middle = SONG_S / 2
    assert abs(float(warp.to_cover(middle)) - (3.0 + 1.25 * middle)) < 0.3
    assert peak < MEMORY_BOUND_MB, f"the tempo search over 10 minutes peaked at {peak:.0f} MB"


def test_the_coarse_to_fine_searches_agree_with_the_full_ones(monkeypatch) -> None:
    """A 40-second pair searched in full and, with a tiny pair budget, coarse to fine
    (steps of 4 frames, then 1): the same best offset, the same best tempo line."""
    import game.scoring.alignment as alignment
    from game.cover.tempo import best_lines, sampled
    from game.cover.tempo_costs import CalibratedCosts

    dance_times, dance_angles = dance(60.0, seed=5)
    ref_times = np.arange(0.0, 40.0, 1 / FPS)
    ref = seen_at(ref_times, dance_times, dance_angles)
    cover_times = np.arange(2.3, 2.3 + 1.1 * 45.0, 1 / FPS)
    cover = seen_at((cover_times - 2.3) / 1.1, dance_times, dance_angles)

    def searched() -> tuple[float, tuple[float, float]]:
        offsets, costs = pose_lag_costs(ref_times, ref, cover_times, cover, TOLERANCES)
        ref_grid, ref_sampled = sampled(ref_times, ref)
        cover_grid, cover_sampled = sampled(cover_times, cover)
        costs_of = CalibratedCosts.of(ref_sampled, cover_sampled, TOLERANCES)
        line = best_lines(costs_of, ref_grid, cover_grid, count=1)[0]
        return offset_candidates(offsets, costs)[0].seconds, (line.scale, line.offset)

    full = searched()
    monkeypatch.setattr(alignment, "PAIR_BUDGET", 20_000)  # 400 x 450 frames: steps of 4
    assert alignment.decimation(400, 450) == 4
    assert searched() == full
    assert abs(full[1][0] - 1.1) < 0.03 and abs(full[1][1] - 2.3) < 0.3
