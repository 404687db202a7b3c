"""MediaPipe BlazePose behind the PoseEstimator protocol: the only module importing mediapipe
(made by game.pose.factory, the kind "mediapipe").

By default it runs the legacy `mp.solutions.pose` graph on the BlazePose models bundled in
the mediapipe 0.10.21 wheel (nothing is downloaded): tracking mode for video, image mode for
single pictures. `model_path` instead loads an official `pose_landmarker_*.task` bundle with
the Tasks API.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from game.errors import UserError
from game.pose.frame import PoseFrame
from game.pose.skeleton import NUM_LANDMARKS

os.environ.setdefault("GLOG_minloglevel", "2")  # keep MediaPipe's C++ INFO logs quiet
import mediapipe as mp


class PoseModelError(UserError):
    """The pose model could not be loaded (one line, shown to the user)."""


def _to_frame(landmarks: Any, width: int, height: int, timestamp: float) -> PoseFrame:
    """Normalised MediaPipe landmarks -> a PoseFrame in height units."""
    raw = np.array([(p.x, p.y, p.z, p.visibility) for p in landmarks], dtype=np.float64)
    if raw.shape[0] != NUM_LANDMARKS:
        raise ValueError(f"expected {NUM_LANDMARKS} landmarks, got {raw.shape[0]}")
    aspect = width / height
    coords = raw[:, :3] * np.array([aspect, 1.0, aspect])  # z is scaled like x
    visibility = np.clip(raw[:, 3], 0.0, 1.0)
    return PoseFrame(timestamp, coords.astype(np.float32), visibility.astype(np.float32))


class MediaPipePose:
    """One person per image with BlazePose (full model); implements PoseEstimator.

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
        self._last_ms = -1
        self._pose: Any = None
        self._landmarker: Any = None
        if model_path is None:
            self._pose = _load_legacy(static_image_mode, min_detection_confidence,
                                      min_tracking_confidence)  # fmt: skip
        else:
            self._landmarker = _load_task(
                Path(model_path), static_image_mode, min_detection_confidence,
                min_tracking_confidence, num_poses,
            )  # fmt: skip

    def estimate_one(self, image: np.ndarray, timestamp: float) -> PoseFrame | None:
        """The pose of the (most prominent) person in an RGB uint8 image, or None."""
        if self._pose is not None:
            result = self._pose.process(np.ascontiguousarray(image))
            if result.pose_landmarks is None:
                return None
            height, width = image.shape[:2]
            return _to_frame(result.pose_landmarks.landmark, width, height, timestamp)
        found = self.estimate_all(image, timestamp)
        return found[0] if found else None

    def estimate_all(self, image: np.ndarray, timestamp: float) -> list[PoseFrame]:
        """Every person found (up to `num_poses`; a `model_path` bundle only)."""
        if self._landmarker is None:
            frame = self.estimate_one(image, timestamp)
            return [] if frame is None else [frame]
        height, width = image.shape[:2]
        image = np.ascontiguousarray(image)
        mp_image = mp.Image(image_format=mp.ImageFormat.SRGB, data=image)
        if self.static_image_mode:
            result = self._landmarker.detect(mp_image)
        else:
            ms = max(round(timestamp * 1000.0), self._last_ms + 1)  # strictly increasing
            self._last_ms = ms
            result = self._landmarker.detect_for_video(mp_image, ms)
        return [_to_frame(found, width, height, timestamp) for found in result.pose_landmarks]

    def reset(self) -> None:
        """Forget the person being tracked: the next image is searched afresh (legacy graph)."""
        if self._pose is not None:
            self._pose.reset()

    def close(self) -> None:
        for graph in (self._pose, self._landmarker):
            if graph is not None:
                with contextlib.suppress(Exception):
                    graph.close()
        self._pose = self._landmarker = None


def _load_legacy(static: bool, detection: float, tracking: float) -> Any:
    try:
        return mp.solutions.pose.Pose(
            static_image_mode=static,
            model_complexity=1,  # the only landmark model bundled in the wheel
            smooth_landmarks=False,  # our own One Euro filter smooths (switchable)
            min_detection_confidence=detection,
            min_tracking_confidence=tracking,
        )
    except Exception as exc:  # any failure means the model did not load
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PoseModelError(
            f"the bundled BlazePose model (mediapipe {mp.__version__}) could not be loaded: {first}"
        ) from exc


def _load_task(
    path: Path, static: bool, detection: float, tracking: float, num_poses: int = 1
) -> Any:
    from mediapipe.tasks.python import BaseOptions, vision

    if not path.is_file():
        raise PoseModelError(f"pose model {path} not found")
    mode = vision.RunningMode.IMAGE if static else vision.RunningMode.VIDEO
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(path)),
        running_mode=mode,
        num_poses=num_poses,
        min_pose_detection_confidence=detection,
        min_pose_presence_confidence=detection,
        min_tracking_confidence=tracking,
    )
    try:
        return vision.PoseLandmarker.create_from_options(options)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PoseModelError(
            f"pose model {path} could not be loaded (expected a pose_landmarker_*.task "
            f"file): {first}"
        ) from exc


def write_bundled_task(path: Path | str) -> Path:
    """Zip the wheel's two BlazePose models into a Tasks API `.task` bundle at `path`.

    The Tasks API needs TFLite metadata the bundled models lack: an image input
    normalised with mean 127.5 / std 127.5 (detector) and 0 / 255 (landmarks).
    """
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    modules = Path(mp.__file__).parent / "modules"
    parts = {
        "pose_detector.tflite": (modules / "pose_detection/pose_detection.tflite", 127.5, 127.5, 2),
        "pose_landmarks_detector.tflite": (
            modules / "pose_landmark/pose_landmark_full.tflite", 0.0, 255.0, 5,
        ),
    }  # fmt: skip
    path = Path(path)
    with zipfile.ZipFile(path, "w") as bundle:
        for name, (model, mean, std, outputs) in parts.items():
            writer = metadata_writer.MetadataWriter.create(bytearray(model.read_bytes()))
            writer.add_image_input([mean], [std])
            for i in range(outputs):
                writer.add_feature_output(name=f"output_{i}")
            bundle.writestr(name, bytes(writer.populate()[0]))
    return path


def mediapipe_version() -> str:
    return str(mp.__version__)
