"""Track every dancer of a video: tiled detection, a landmarker per dancer on their own crop.

Every few frames the pose detector runs on overlapping full-height strips of the frame (the
detector alone sees only the most prominent person of a whole frame); in every frame each
tracked dancer is landmarked on a square crop around where they should be, with their own
tracking-mode landmarker. `GroupTracker` decides who is who.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict

import cv2
import numpy as np

from game.capture.base import CaptureError
from game.capture.group.appearance import color_feature
from game.capture.group.boxes import pose_box, suppress_duplicates
from game.capture.group.linking import LinkSettings
from game.capture.group.result import FORMAT, GroupTracks, assemble
from game.capture.group.tracker import GroupTracker, Observation, TrackerSettings
from game.capture.request import TrackRequest
from game.capture.stream import video_source
from game.pose.frame import PoseFrame

Progress = Callable[[float], None]
STRIP_SHARE = 1 / 2.2  # strip width as a share of the frame width (at most its height)
STRIP_STEP = 0.7  # neighbouring strips overlap by 30%
CROP_MARGIN_Y = 1.25  # crop height / the dancer's box height
CROP_MARGIN_X = 1.3  # crop width / the dancer's box width ...
CROP_MIN_WIDTH = 0.5  # ... and at least this share of the crop height
CROP_HEIGHT = 320  # crops are scaled to this many pixels high
NEUTRAL_GREY = 128
DETECT_POSES = 4  # people per strip
DETECT_CONFIDENCE = 0.3


def strips(width: int, height: int) -> list[tuple[int, int]]:
    """Column ranges [x0, x1) of the overlapping full-height strips the detector runs on."""
    side = min(height, width * STRIP_SHARE)
    count = max(1, math.ceil((width - side) / (STRIP_STEP * side)) + 1)
    starts = np.linspace(0, width - side, count) if count > 1 else [0.0]
    return [(round(x), min(width, round(x + side))) for x in starts]


def _observation(
    image: np.ndarray, points: np.ndarray, visibility: np.ndarray
) -> Observation | None:
    box = pose_box(points, visibility)
    if box is None:
        return None
    return Observation(points, visibility, box, color_feature(image, points, visibility))


class Detector:
    """Every person in a frame: the bundled model on overlapping strips, duplicates removed."""

    def __init__(self, request: TrackRequest) -> None:
        from game.pose.factory import make_estimator

        self.model = make_estimator(
            request.estimator, request.model_path, static_image_mode=True,
            num_poses=DETECT_POSES, min_detection_confidence=DETECT_CONFIDENCE,
        )  # fmt: skip

    def detect(self, image: np.ndarray, timestamp: float) -> list[Observation]:
        height, width = image.shape[:2]
        found, scores = [], []
        for x0, x1 in strips(width, height):
            for pose in self.model.estimate_all(image[:, x0:x1], timestamp):
                points = pose.landmarks.astype(np.float64) * height + np.array([x0, 0.0, 0.0])
                obs = _observation(image, points, pose.visibility)
                if obs is None:
                    continue
                cut = (obs.box[0] < x0 + 3 and x0 > 0) or (obs.box[2] > x1 - 3 and x1 < width)
                found.append(obs)
                scores.append(float(pose.visibility.mean()) * (0.5 if cut else 1.0))
        if not found:
            return []
        keep = suppress_duplicates(np.array([o.box for o in found]), np.array(scores))
        return [found[i] for i in keep]

    def close(self) -> None:
        self.model.close()


def crop_around(
    image: np.ndarray, box: np.ndarray, others: list[np.ndarray] = ()
) -> tuple[np.ndarray, float, float, float]:
    """A crop tight around one dancer's `box` (black outside the frame), scaled to CROP_HEIGHT
    pixels high: (crop, x0, y0, height of the crop in frame pixels). The parts of the
    `others`' boxes outside this dancer's box are greyed out, so the landmarker keeps to them."""
    h = max(48.0, CROP_MARGIN_Y * (box[3] - box[1]))
    w = max(CROP_MIN_WIDTH * h, CROP_MARGIN_X * (box[2] - box[0]))
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    x0, y0 = cx - w / 2, cy - h / 2
    scale = CROP_HEIGHT / h
    size = (max(16, round(w * scale)), CROP_HEIGHT)
    shift = np.array([[scale, 0, -x0 * scale], [0, scale, -y0 * scale]], np.float32)
    crop = cv2.warpAffine(image, shift, size, flags=cv2.INTER_AREA)
    if len(others):
        mask = np.zeros(crop.shape[:2], bool)
        for other in others:
            a, b, c, d = (round(v) for v in _in_crop(other, x0, y0, scale))
            mask[max(b, 0) : max(d, 0), max(a, 0) : max(c, 0)] = True
        pad = 0.05 * (box[3] - box[1]) * np.array([-1, -1, 1, 1])
        a, b, c, d = (round(v) for v in _in_crop(box + pad, x0, y0, scale))
        mask[max(b, 0) : max(d, 0), max(a, 0) : max(c, 0)] = False
        crop[mask] = NEUTRAL_GREY
    return crop, x0, y0, h


def _in_crop(box: np.ndarray, x0: float, y0: float, scale: float) -> np.ndarray:
    return (np.asarray(box, np.float64) - [x0, y0, x0, y0]) * scale


class CropLandmarker:
    """One dancer's tracking-mode landmarker, fed crops that follow the dancer."""

    def __init__(self, request: TrackRequest) -> None:
        from game.pose.factory import make_estimator

        self.model = make_estimator(request.estimator, request.model_path)

    def landmark(
        self, image: np.ndarray, box: np.ndarray, timestamp: float, others: list[np.ndarray]
    ) -> Observation | None:
        crop, x0, y0, side = crop_around(image, box, others)
        pose: PoseFrame | None = self.model.estimate_one(crop, timestamp)
        if pose is None:
            return None
        points = pose.landmarks.astype(np.float64) * side + np.array([x0, y0, 0.0])
        return _observation(image, points, pose.visibility)

    def close(self) -> None:
        self.model.close()


KEYED_AS = {"color_gate": "colour_gate", "color_margin": "colour_margin"}
"""Settings spelled in the cache key as when it was first written (tracks cached already
stay valid)."""


def settings_text(settings: TrackerSettings, every: int) -> str:
    """The settings that decide the result: part of the cache key."""
    crop = f"{CROP_MARGIN_Y}/{CROP_MARGIN_X}/{CROP_MIN_WIDTH}/{CROP_HEIGHT}/masked"
    layout = f"strips={STRIP_SHARE:.3f}/{STRIP_STEP};crop={crop}"
    named = {KEYED_AS.get(name, name): value for name, value in asdict(settings).items()}
    linking = f"format={FORMAT};linking={asdict(LinkSettings())}"
    return f"every={every};{layout};{named};{linking}"


class GroupRun:
    """The per-frame loop: landmark each dancer's crop, detect now and then, update the tracker."""

    def __init__(
        self, request: TrackRequest, settings: TrackerSettings, pool: ThreadPoolExecutor
    ) -> None:
        self.request = request
        self.tracker = GroupTracker(settings)
        self.detector = Detector(request)
        self.pool = pool
        self.landmarkers: dict[int, CropLandmarker] = {}
        self.times: list[float] = []
        self.records: dict[int, dict[int, Observation]] = {}

    def step(self, image: np.ndarray, t: float) -> None:
        frame = len(self.times)
        boxes = self.tracker.crop_boxes(frame)
        ids = list(boxes)
        for i in ids:
            if i not in self.landmarkers:
                self.landmarkers[i] = CropLandmarker(self.request)
        models = [self.landmarkers[i] for i in ids]
        n = len(ids)
        others = [[boxes[j] for j in ids if j != i] for i in ids]
        found = self.pool.map(
            CropLandmarker.landmark, models, [image] * n, [boxes[i] for i in ids], [t] * n, others
        )
        detections = self.detector.detect(image, t) if self.tracker.needs_detection(frame) else None
        step = self.tracker.update(frame, dict(zip(ids, found, strict=True)), detections)
        for track_id in step.reset:
            self.landmarkers[track_id].model.reset()
        for track in self.tracker.tracks:
            if track.lost and track.id in self.landmarkers:
                self.landmarkers.pop(track.id).close()
        for track_id, obs in step.observed.items():
            self.records.setdefault(track_id, {})[frame] = obs
        self.times.append(t)

    def result(self, height: int, aspect: float, settings: str) -> GroupTracks:
        return assemble(np.array(self.times, np.float64), self.records, height, aspect, settings)

    def close(self) -> None:
        self.detector.close()
        for landmarker in self.landmarkers.values():
            landmarker.close()
        self.landmarkers.clear()


def track_group(
    request: TrackRequest,
    on_progress: Progress | None = None,
    settings: TrackerSettings | None = None,
    end: float | None = None,
) -> GroupTracks:
    """Every dancer of the request's video (up to `end` seconds), numbered left to right."""
    settings = settings or TrackerSettings()
    info, every = request.info, request.every
    stop = end if end is not None else info.duration
    source = video_source(request.video, realtime=False, end=end)
    index = 0
    with ThreadPoolExecutor(max_workers=2) as pool:
        run = GroupRun(request, settings, pool)
        try:
            while not source.ended:
                captured = source.next_frame(timeout=1.0)
                if captured is None:
                    if problem := source.problem():
                        raise CaptureError(problem)
                    continue
                index += 1
                if (index - 1) % every == 0:
                    run.step(captured.image, captured.time)
                    if on_progress and stop > 0:
                        on_progress(min(1.0, captured.time / stop))
            if problem := source.problem():
                raise CaptureError(problem)
        finally:
            source.close()
            run.close()
    if on_progress:
        on_progress(1.0)
    return run.result(info.height, info.aspect, settings_text(settings, every))
