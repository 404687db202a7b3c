"""Poses per player: a fixed slot per player, so identities stay stable (numpy + threads).

Several players stand side by side: the image is cut into vertical strips with a little
overlap, player k owns strip k (0 = leftmost), and each strip is tracked by its own
single-person estimator. A pose whose body centre lies outside its owner's strip is
dropped, so when one person leaves, the other never takes over their slot.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

import numpy as np

from game.pose.estimator import PoseEstimator
from game.pose.frame import PoseFrame
from game.pose.skeleton import L_HIP, L_SHOULDER, R_HIP, R_SHOULDER

TORSO = (L_SHOULDER, R_SHOULDER, L_HIP, R_HIP)
STRIP_OVERLAP = 0.1  # each strip reaches this fraction of a strip width into its neighbours


class PlayersEstimator(Protocol):
    """Finds each player's pose: `estimate_players` returns one entry per player slot."""

    players: int

    def estimate_players(self, image: np.ndarray, timestamp: float) -> list[PoseFrame | None]: ...

    def close(self) -> None: ...


class SinglePlayer:
    """One player: the whole image."""

    players = 1

    def __init__(self, estimator: PoseEstimator) -> None:
        self.estimator = estimator

    def estimate_players(self, image: np.ndarray, timestamp: float) -> list[PoseFrame | None]:
        return [self.estimator.estimate_one(image, timestamp)]

    def close(self) -> None:
        self.estimator.close()


def strip_bounds(width: int, players: int, overlap: float = STRIP_OVERLAP) -> list[tuple[int, int]]:
    """Pixel column ranges [x0, x1) of each player's strip, left to right."""
    step = width / players
    pad = step * overlap
    return [
        (max(0, round(k * step - pad)), min(width, round((k + 1) * step + pad)))
        for k in range(players)
    ]


def body_centre_x(frame: PoseFrame, min_visibility: float = 0.3) -> float:
    """Mean x of the visible torso landmarks (all torso landmarks if none is visible)."""
    seen = [i for i in TORSO if frame.visibility[i] >= min_visibility]
    return float(np.mean(frame.landmarks[list(seen or TORSO), 0]))


class SplitPlayers:
    """`players` people side by side, one estimator per strip (its most prominent person), in
    parallel."""

    def __init__(self, estimators: Sequence[PoseEstimator]) -> None:
        if len(estimators) < 2:
            raise ValueError("SplitPlayers needs at least two estimators")
        self.estimators = list(estimators)
        self.players = len(estimators)
        self._pool = ThreadPoolExecutor(self.players - 1, thread_name_prefix="pose-strip")

    def estimate_players(self, image: np.ndarray, timestamp: float) -> list[PoseFrame | None]:
        height, width = image.shape[:2]
        bounds = strip_bounds(width, self.players)
        jobs = [
            self._pool.submit(self._one, k, image, x0, x1, height, timestamp)
            for k, (x0, x1) in enumerate(bounds[1:], start=1)
        ]
        x0, x1 = bounds[0]
        first = self._one(0, image, x0, x1, height, timestamp)
        return [first, *(job.result() for job in jobs)]

    def _one(
        self, k: int, image: np.ndarray, x0: int, x1: int, height: int, timestamp: float
    ) -> PoseFrame | None:
        crop = np.ascontiguousarray(image[:, x0:x1])
        frame = self.estimators[k].estimate_one(crop, timestamp)
        if frame is None:
            return None
        landmarks = frame.landmarks.copy()
        landmarks[:, 0] += x0 / height
        placed = PoseFrame(frame.time, landmarks, frame.visibility)
        width = image.shape[1]
        lo, hi = k * width / self.players / height, (k + 1) * width / self.players / height
        return placed if lo <= body_centre_x(placed) < hi else None

    def close(self) -> None:
        self._pool.shutdown(wait=True)
        for estimator in self.estimators:
            estimator.close()
