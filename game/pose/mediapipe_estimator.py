"""MediaPipe BlazePose behind the PoseEstimator protocol: the only module importing mediapipe
(made by game.pose.factory, the kind "mediapipe").

Everything runs through MediaPipe's Tasks API (`PoseLandmarker`): VIDEO mode tracks the person
of a stream from frame to frame (camera, video, import), IMAGE mode detects afresh on every
picture. The model is the BlazePose Full landmarker shipped with the game
(`models/blazepose_full.task`, see `scripts/build_pose_model.py`; nothing is downloaded);
`model_path` loads another bundle instead, such as an official `pose_landmarker_*.task`.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import numpy as np

from game.errors import UserError
from game.pose.frame import PoseFrame
from game.pose.models import BLAZEPOSE_FULL
from game.pose.skeleton import NUM_LANDMARKS

os.environ.setdefault("GLOG_minloglevel", "2")  # keep MediaPipe's C++ INFO logs quiet
import mediapipe as mp
from mediapipe.tasks.python import BaseOptions, vision


class PoseModelError(UserError):
    """The pose model could not be loaded (one line, shown to the user)."""


def _to_frame(landmarks: Any, width: int, height: int, timestamp: float) -> PoseFrame:
    """Normalised MediaPipe landmarks -> a PoseFrame in height units."""
    raw = np.array([(p.x, p.y, p.z, p.visibility or 0.0) for p in landmarks], dtype=np.float64)
    if raw.shape[0] != NUM_LANDMARKS:
        raise ValueError(f"expected {NUM_LANDMARKS} landmarks, got {raw.shape[0]}")
    aspect = width / height
    coords = raw[:, :3] * np.array([aspect, 1.0, aspect])  # z is scaled like x
    visibility = np.clip(raw[:, 3], 0.0, 1.0)
    return PoseFrame(timestamp, coords.astype(np.float32), visibility.astype(np.float32))


class MediaPipePose:
    """Up to `num_poses` people per image with a BlazePose landmarker; implements PoseEstimator.

    `static_image_mode=True` detects afresh on every image; otherwise the person is
    tracked from frame to frame, so feed the frames of one stream in order.
    """

    def __init__(
        self,
        static_image_mode: bool = False,
        model_path: Path | str | None = None,
        min_detection_confidence: float = 0.5,
        min_tracking_confidence: float = 0.5,
        num_poses: int = 1,
    ) -> None:
        self.static_image_mode = static_image_mode
        self.model_path = Path(model_path) if model_path is not None else BLAZEPOSE_FULL
        running_mode = vision.RunningMode.IMAGE if static_image_mode else vision.RunningMode.VIDEO
        self._options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(self.model_path)),
            running_mode=running_mode,
            num_poses=num_poses,
            min_pose_detection_confidence=min_detection_confidence,
            min_pose_presence_confidence=min_detection_confidence,
            min_tracking_confidence=min_tracking_confidence,
        )
        self._last_ms = -1
        self._landmarker: Any = self._load()

    def _load(self) -> Any:
        if not self.model_path.is_file():
            raise PoseModelError(f"pose model {self.model_path} not found")
        try:
            return vision.PoseLandmarker.create_from_options(self._options)
        except Exception as exc:  # any failure means the model did not load
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise PoseModelError(
                f"pose model {self.model_path} could not be loaded (expected a "
                f"pose_landmarker_*.task file): {first}"
            ) from exc

    def estimate_one(self, image: np.ndarray, timestamp: float) -> PoseFrame | None:
        """The pose of the (most prominent) person in an RGB uint8 image, or None."""
        found = self.estimate_all(image, timestamp)
        return found[0] if found else None

    def estimate_all(self, image: np.ndarray, timestamp: float) -> list[PoseFrame]:
        """Every person found (up to `num_poses`)."""
        height, width = image.shape[:2]
        mp_image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(image))
        if self.static_image_mode:
            result = self._landmarker.detect(mp_image)
        else:
            ms = max(round(timestamp * 1000.0), self._last_ms + 1)  # strictly increasing
            self._last_ms = ms
            result = self._landmarker.detect_for_video(mp_image, ms)
        return [_to_frame(found, width, height, timestamp) for found in result.pose_landmarks]

    def reset(self) -> None:
        """Forget the person being tracked: the next image is searched afresh."""
        if not self.static_image_mode and self._landmarker is not None:
            self._close_landmarker()
            self._landmarker = self._load()

    def _close_landmarker(self) -> None:
        with contextlib.suppress(Exception):
            self._landmarker.close()

    def close(self) -> None:
        if self._landmarker is not None:
            self._close_landmarker()
        self._landmarker = None


def library_version() -> str:
    """The installed mediapipe's version (`factory.library_version`)."""
    return str(mp.__version__)
