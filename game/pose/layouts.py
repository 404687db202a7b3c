"""Keypoint layouts: the seam for a pose model with other keypoints than BlazePose's (e.g.
COCO-17): its poses as BlazePose's 33 landmarks, the layout every part of the game reads. Such
a model is one entry in the factory's ESTIMATORS, making a LayoutEstimator of it (as
tests/test_estimator_factory.py does with a fake COCO-17 model). Landmarks the other model
does not have are marked unseen (visibility 0), so the judge leaves them out, as it does any
joint a player does not show. Pure numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from game.pose.frame import PoseFrame, PoseTrack
from game.pose.skeleton import INDEX, NUM_LANDMARKS


@dataclass(frozen=True)
class KeypointLayout:
    """A model's keypoints in its own order, each named as the BlazePose landmark it is."""

    name: str
    keypoints: tuple[str, ...]

    def __post_init__(self) -> None:
        unknown = [k for k in self.keypoints if k not in INDEX]
        if unknown:
            raise ValueError(f"{self.name}: not BlazePose landmarks: {', '.join(unknown)}")

    @property
    def landmark_indices(self) -> np.ndarray:
        """(K,) the BlazePose landmark of each keypoint."""
        return np.array([INDEX[k] for k in self.keypoints], np.intp)

    def to_landmarks(self, points: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Keypoints (..., K, 2 or 3) in height units (x and y are pixels divided by the image
        height) with their confidences (..., K) in 0..1 -> BlazePose landmarks (..., 33, 3)
        and visibility (..., 33): zero, and unseen, where this layout has no keypoint."""
        points = np.asarray(points, np.float32)
        scores = np.asarray(scores, np.float32)
        k = len(self.keypoints)
        if points.shape[-2:-1] != (k,) or points.shape[-1] not in (2, 3):
            raise ValueError(f"{self.name}: expected (..., {k}, 2 or 3) points, got {points.shape}")
        if scores.shape != points.shape[:-1]:
            raise ValueError(
                f"{self.name}: expected scores {points.shape[:-1]}, got {scores.shape}"
            )
        batch = points.shape[:-2]
        landmarks = np.zeros((*batch, NUM_LANDMARKS, 3), np.float32)
        visibility = np.zeros((*batch, NUM_LANDMARKS), np.float32)
        where = self.landmark_indices
        landmarks[..., where, : points.shape[-1]] = points
        visibility[..., where] = np.clip(np.nan_to_num(scores), 0.0, 1.0)
        return landmarks, visibility

    def frame(self, time: float, points: np.ndarray, scores: np.ndarray) -> PoseFrame:
        """One pose (K, 2 or 3) of this layout as a BlazePose PoseFrame at `time`."""
        landmarks, visibility = self.to_landmarks(points, scores)
        return PoseFrame(time, landmarks, visibility)

    def track(
        self, times: np.ndarray, points: np.ndarray, scores: np.ndarray, aspect: float
    ) -> PoseTrack:
        """A whole track (N, K, 2 or 3) of this layout as a BlazePose PoseTrack."""
        landmarks, visibility = self.to_landmarks(points, scores)
        return PoseTrack(np.asarray(times, np.float64), landmarks, visibility, aspect)


BLAZEPOSE_33 = KeypointLayout("blazepose-33", tuple(INDEX))


class KeypointModel(Protocol):
    """A pose model with keypoints of its own `layout`: for each person found, most
    prominent first, keypoints (K, 2 or 3) in height units and their confidences (K,)."""

    layout: KeypointLayout

    def keypoints(
        self, image: np.ndarray, timestamp: float
    ) -> list[tuple[np.ndarray, np.ndarray]]: ...

    def close(self) -> None: ...


class LayoutEstimator:
    """A KeypointModel behind the PoseEstimator protocol: BlazePose frames out, the
    landmarks its layout lacks unseen."""

    def __init__(self, model: KeypointModel) -> None:
        self.model = model

    def estimate_all(self, image: np.ndarray, timestamp: float) -> list[PoseFrame]:
        layout = self.model.layout
        return [layout.frame(timestamp, p, s) for p, s in self.model.keypoints(image, timestamp)]

    def estimate_one(self, image: np.ndarray, timestamp: float) -> PoseFrame | None:
        found = self.estimate_all(image, timestamp)
        return found[0] if found else None

    def reset(self) -> None:
        reset = getattr(self.model, "reset", None)
        if reset is not None:
            reset()

    def close(self) -> None:
        self.model.close()
