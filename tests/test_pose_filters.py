"""One Euro filter and per-player smoother (pure numpy)."""

from __future__ import annotations

import numpy as np

from game.pose.filters import OneEuroFilter, PoseSmoother
from game.pose.frame import PoseFrame

FPS = 30.0


def run(filt: OneEuroFilter, values: np.ndarray) -> np.ndarray:
    return np.array([filt(np.array([v]), i / FPS)[0] for i, v in enumerate(values)])


def test_one_euro_reduces_jitter_on_a_still_point() -> None:
    rng = np.random.default_rng(1)
    noisy = 0.5 + rng.normal(0.0, 0.005, 300)
    smooth = run(OneEuroFilter(), noisy)
    assert np.std(smooth[30:]) < 0.4 * np.std(noisy[30:])
    assert abs(np.mean(smooth[30:]) - 0.5) < 0.003


def test_one_euro_passes_a_step_quickly() -> None:
    values = np.r_[np.zeros(30), np.full(30, 0.3)]  # a wrist jumping 0.3 height units
    out = run(OneEuroFilter(), values)
    assert out[29] == 0.0
    assert abs(out[30 + 5] - 0.3) < 0.03  # within ~170 ms
    assert abs(out[-1] - 0.3) < 0.003


def test_one_euro_filters_each_element_and_restarts_after_reset() -> None:
    filt = OneEuroFilter()
    filt(np.zeros((33, 3)), 0.0)
    moved = filt(np.ones((33, 3)), 1 / FPS)
    assert moved.shape == (33, 3) and 0 < moved[0, 0] < 1
    filt.reset()
    np.testing.assert_array_equal(filt(np.ones((33, 3)), 2 / FPS), np.ones((33, 3)))


def frame(t: float, value: float) -> PoseFrame:
    return PoseFrame(t, np.full((33, 3), value, np.float32), np.ones(33, np.float32))


def test_smoother_resets_when_the_person_disappears() -> None:
    smoother = PoseSmoother()
    smoother(frame(0.0, 0.0))
    assert smoother(frame(1 / FPS, 1.0)).landmarks[0, 0] < 1.0  # smoothed
    assert smoother(None) is None
    after = smoother(frame(2 / FPS, 0.5))  # a fresh start: no memory of the old pose
    assert after.landmarks[0, 0] == 0.5


def test_smoother_resets_after_a_gap_and_can_be_switched_off() -> None:
    smoother = PoseSmoother(max_gap=0.5)
    smoother(frame(0.0, 0.0))
    assert smoother(frame(2.0, 1.0)).landmarks[0, 0] == 1.0
    off = PoseSmoother(enabled=False)
    off(frame(0.0, 0.0))
    raw = frame(1 / FPS, 1.0)
    assert off(raw) is raw
