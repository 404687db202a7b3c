"""A growing buffer of a player's pose features (angles, limb points) at song times, for
live judging."""

from __future__ import annotations

import numpy as np


class AngleBuffer:
    """Append-only (time, angles) store with amortised growth; times must not go back."""

    def __init__(self, joints: int, capacity: int = 1024) -> None:
        self._times = np.empty(capacity, np.float64)
        self._angles = np.empty((capacity, joints), np.float32)
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def append(self, time: float, angles: np.ndarray) -> None:
        if self._size and time <= self._times[self._size - 1]:
            return  # a late or duplicate pose: keep the buffer strictly increasing
        if self._size == len(self._times):
            self._times = np.resize(self._times, 2 * self._size)
            self._angles = np.resize(self._angles, (2 * self._size, self._angles.shape[1]))
        self._times[self._size] = time
        self._angles[self._size] = angles
        self._size += 1

    @property
    def times(self) -> np.ndarray:
        return self._times[: self._size]

    @property
    def angles(self) -> np.ndarray:
        return self._angles[: self._size]

    def clear(self) -> None:
        self._size = 0
