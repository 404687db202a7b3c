"""Alignment maths on synthetic data: audio offsets, pose offsets, DTW drift."""

from __future__ import annotations

import numpy as np
from synthetic import dancer_track

from game.pose.angles import joint_angles
from game.pose.frame import PoseTrack
from game.pose.skeleton import SEED_ANGLES
from game.scoring.alignment import (
    Warp,
    correlate_envelopes,
    dtw_warp,
    offset_candidates,
    pose_lag_costs,
    retime,
)

TOL = np.array([s.tolerance_deg for s in SEED_ANGLES], np.float32)


def test_envelope_correlation_finds_the_offset_and_trusts_only_real_matches() -> None:
    rng = np.random.default_rng(1)
    rate = 43.0
    song = rng.gamma(1.0, size=900)
    cover = np.concatenate([rng.gamma(1.0, size=40), song])[:880]  # starts 40 frames later
    found = correlate_envelopes(song, cover, rate)
    assert abs(found.seconds - 40 / rate) < 0.03
    assert found.strength > 0.9
    unrelated = correlate_envelopes(song, rng.gamma(1.0, size=900), rate)
    assert unrelated.strength < 0.3


def _angles(track: PoseTrack) -> np.ndarray:
    return joint_angles(track.landmarks, track.visibility, SEED_ANGLES)


def irregular_dance(duration: float = 12.0) -> PoseTrack:
    """The synthetic dancer with an uneven tempo, so the dance never repeats exactly."""
    base = dancer_track(duration=duration + 4.0, bpm=100.0, seed=3)
    times = np.arange(0.0, duration, 1 / 30)
    source = times + 0.6 * np.sin(times / 1.7) + 0.6  # a smooth, non-periodic time map
    index = np.clip(np.round(source * 30).astype(int), 0, len(base) - 1)
    return PoseTrack(times, base.landmarks[index], base.visibility[index], base.aspect)


def test_pose_costs_find_a_shift_of_the_same_dance() -> None:
    ref = irregular_dance()
    cover = ref.shifted(1.5)
    offsets, costs = pose_lag_costs(ref.times, _angles(ref), cover.times, _angles(cover), TOL)
    best = offset_candidates(offsets, costs)[0]
    assert abs(best.seconds - 1.5) <= 0.1
    assert best.strength > 3


def test_dtw_follows_a_slow_drift() -> None:
    ref = dancer_track(duration=16.0, bpm=96.0, seed=5)
    stretched = PoseTrack(ref.times * 1.04 + 0.3, ref.landmarks, ref.visibility, ref.aspect)
    warp = dtw_warp(
        ref.times, _angles(ref), stretched.times, _angles(stretched), TOL, offset=0.3, band_s=1.0
    )
    expected = warp.ref_times * 1.04 + 0.3
    middle = slice(len(expected) // 5, -len(expected) // 5)
    assert np.max(np.abs(warp.cover_times[middle] - expected[middle])) < 0.2
    back = retime(stretched, warp)
    assert np.all(np.diff(back.times) > 0)


def test_constant_warp_round_trips() -> None:
    warp = Warp.constant(0.56, 0.0, 20.0)
    assert float(warp.to_cover(10.0)) == 10.56
    assert np.allclose(warp.to_reference(np.array([-1.0, 5.56, 30.0])), [-1.56, 5.0, 29.44])


def test_a_take_danced_slower_is_found_by_its_tempo() -> None:
    """The same dance 1.4x slower, starting 2 s into the cover: the best tempo warp follows it."""
    from synthetic import dancer_track

    from game.cover.tempo import tempo_warps
    from game.pose.angles import joint_angles
    from game.pose.skeleton import DIRECTION_ANGLES

    reference = dancer_track(duration=16.0, bpm=100.0, seed=3)
    angles = joint_angles(reference.landmarks, reference.visibility, DIRECTION_ANGLES)
    cover_times = 2.0 + 1.4 * reference.times
    tolerances = np.array([s.tolerance_deg for s in DIRECTION_ANGLES], np.float32)
    warps = tempo_warps(reference.times, angles, cover_times, angles, tolerances)
    assert warps
    line, warp = warps[0]
    assert abs(line.scale - 1.4) < 0.08
    assert abs(warp.tempo - 1.4) < 0.1
    middle = float(reference.times[len(reference) // 2])
    assert abs(float(warp.to_cover(middle)) - (2.0 + 1.4 * middle)) < 0.3
