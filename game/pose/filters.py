"""One Euro filter for landmarks (numpy only): smooth when still, follow fast moves.

Casiez, Roussel, Vogel (CHI 2012), "1 Euro Filter: A Simple Speed-based Low-pass Filter
for Noisy Input in Interactive Systems". Positions are in height units per second.
"""

from __future__ import annotations

import math

import numpy as np

from game.pose.frame import PoseFrame


def _alpha(cutoff: np.ndarray | float, dt: float) -> np.ndarray | float:
    tau = 1.0 / (2.0 * math.pi * cutoff)
    return 1.0 / (1.0 + tau / dt)


class OneEuroFilter:
    """Element-wise One Euro filter over arrays of any fixed shape."""

    def __init__(self, min_cutoff: float = 1.0, beta: float = 5.0, d_cutoff: float = 1.0) -> None:
        self.min_cutoff = min_cutoff
        self.beta = beta
        self.d_cutoff = d_cutoff
        self.reset()

    def reset(self) -> None:
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t = 0.0

    def __call__(self, x: np.ndarray, t: float) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        if self._x is None or self._dx is None or x.shape != self._x.shape or t <= self._t:
            self._x, self._dx, self._t = x.copy(), np.zeros_like(x), t
            return x.copy()
        dt = t - self._t
        dx = (x - self._x) / dt
        self._dx = self._dx + _alpha(self.d_cutoff, dt) * (dx - self._dx)
        cutoff = self.min_cutoff + self.beta * np.abs(self._dx)
        self._x = self._x + _alpha(cutoff, dt) * (x - self._x)
        self._t = t
        return self._x.copy()


class PoseSmoother:
    """Smooths one player's PoseFrames; resets when the person disappears or after a gap."""

    def __init__(
        self,
        enabled: bool = True,
        min_cutoff: float = 1.0,
        beta: float = 5.0,
        max_gap: float = 0.5,
    ) -> None:
        self.enabled = enabled
        self.max_gap = max_gap
        self._filter = OneEuroFilter(min_cutoff, beta)
        self._last_time: float | None = None

    def reset(self) -> None:
        self._filter.reset()
        self._last_time = None

    def __call__(self, frame: PoseFrame | None) -> PoseFrame | None:
        """The smoothed frame; None (nobody found) resets the filter and returns None."""
        if frame is None:
            self.reset()
            return None
        if not self.enabled:
            return frame
        if self._last_time is not None and frame.time - self._last_time > self.max_gap:
            self._filter.reset()
        self._last_time = frame.time
        smoothed = self._filter(frame.landmarks, frame.time).astype(np.float32)
        return PoseFrame(frame.time, smoothed, frame.visibility)
