"""The pose estimator protocol: an RGB image in, zero or more poses out."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from game.pose.frame import PoseFrame


class PoseEstimator(Protocol):
    """Finds people in an image.

    `image` is an RGB uint8 array (H, W, 3); `timestamp` is its capture time in seconds
    (monotonic within one stream). Returned frames carry that timestamp and landmarks in
    height units (see `game.pose.frame`). Order: left to right in the image.
    """

    def estimate(self, image: np.ndarray, timestamp: float) -> list[PoseFrame]: ...

    def close(self) -> None: ...
