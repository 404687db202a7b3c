"""The pose estimator protocol: an RGB image in, the people in it out as BlazePose poses.

Every estimator is made by game.pose.factory.make_estimator; callers hold this protocol,
never a model class.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from game.pose.frame import PoseFrame


class PoseEstimator(Protocol):
    """Finds people in an image.

    `image` is an RGB uint8 array (H, W, 3); `timestamp` is its capture time in seconds
    (monotonic within one stream, unless the estimator detects afresh on every image).
    Returned frames carry that timestamp, the 33 BlazePose landmarks in height units and
    their visibility (see `game.pose.frame`; a model with other keypoints goes through
    `game.pose.layouts`).
    """

    def estimate_one(self, image: np.ndarray, timestamp: float) -> PoseFrame | None:
        """The most prominent person, or None."""
        ...

    def estimate_all(self, image: np.ndarray, timestamp: float) -> list[PoseFrame]:
        """Every person found (up to the estimator's `num_poses`)."""
        ...

    def reset(self) -> None:
        """Forget the person being tracked: the next image is searched afresh."""
        ...

    def close(self) -> None: ...
