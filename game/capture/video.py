"""Decode video files into RGB images with their own timestamps (PyAV, OpenCV fallback)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import cv2
import numpy as np

from game.capture.base import CapturedFrame, CaptureError


@dataclass(frozen=True)
class VideoInfo:
    width: int
    height: int
    fps: float
    duration: float  # seconds (0 if unknown)

    @property
    def aspect(self) -> float:
        return self.width / self.height


def _not_a_video(path: Path, why: object) -> CaptureError:
    return CaptureError(f"{path}: not a video file that can be decoded ({why})")


def probe_video(path: Path | str) -> VideoInfo:
    """Size, frame rate and duration of a video file; CaptureError if it is not one."""
    path = Path(path)
    if not path.is_file():
        if path.is_dir():
            raise CaptureError(f"{path}: is a folder, not a video file")
        if path.exists():  # a device (/dev/zero) or a pipe would never end
            raise CaptureError(f"{path}: is a device or pipe, not a video file")
        raise CaptureError(f"{path}: video file not found")
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise _not_a_video(path, "no video stream")
            stream = container.streams.video[0]
            fps = float(stream.average_rate or stream.guessed_rate or 30)
            duration = float(container.duration or 0) / av.time_base
            if stream.duration and stream.time_base:
                duration = float(stream.duration * stream.time_base)
            width, height = stream.codec_context.width, stream.codec_context.height
            if width and height:
                return VideoInfo(width, height, fps, duration)
    except av.FFmpegError:
        pass
    capture = cv2.VideoCapture(str(path))
    try:
        ok, image = capture.read() if capture.isOpened() else (False, None)
        if not ok or image is None:
            raise _not_a_video(path, "neither PyAV nor OpenCV could decode it")
        fps = float(capture.get(cv2.CAP_PROP_FPS) or 30.0)
        count = float(capture.get(cv2.CAP_PROP_FRAME_COUNT) or 0.0)
        return VideoInfo(image.shape[1], image.shape[0], fps, count / fps if fps else 0.0)
    finally:
        capture.release()


def iter_video(
    path: Path | str, start: float | None = None, end: float | None = None
) -> Iterator[CapturedFrame]:
    """Every frame between `start` and `end` seconds, stamped with the video's own time."""
    path = Path(path)
    probe_video(path)  # clear error for a missing file or a non-video
    try:
        yield from _iter_pyav(path, start, end)
    except _PyAVCannot:
        yield from _iter_cv2(path, start, end)


class _PyAVCannot(Exception):
    """PyAV could not decode the first frame: try OpenCV."""


def _iter_pyav(path: Path, start: float | None, end: float | None) -> Iterator[CapturedFrame]:
    try:
        container = av.open(str(path))
    except av.FFmpegError as exc:
        raise _PyAVCannot from exc
    with contextlib.closing(container):
        if not container.streams.video:
            raise _PyAVCannot
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if start:
            with contextlib.suppress(av.FFmpegError):
                container.seek(int(start / stream.time_base), stream=stream, backward=True)
        produced = False
        last = -np.inf
        frames = container.decode(stream)
        while True:
            try:
                frame = next(frames)
            except StopIteration:
                return
            except av.FFmpegError as exc:
                if not produced:
                    raise _PyAVCannot from exc
                raise CaptureError(f"{path}: decoding failed after {last:.2f} s ({exc})") from exc
            t = float(frame.time) if frame.time is not None else (0.0 if last < 0 else last)
            if start is not None and t < start - 1e-6:
                continue
            if end is not None and t > end + 1e-6:
                return
            if t <= last:  # keep times strictly increasing
                continue
            last = t
            produced = True
            yield CapturedFrame(frame.to_ndarray(format="rgb24"), t)


def _iter_cv2(path: Path, start: float | None, end: float | None) -> Iterator[CapturedFrame]:
    capture = cv2.VideoCapture(str(path))
    try:
        if start:
            capture.set(cv2.CAP_PROP_POS_MSEC, start * 1000.0)
        fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
        last, index = -np.inf, 0
        while True:
            ok, image = capture.read()
            if not ok:
                return
            t = capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0 or index / fps
            index += 1
            if start is not None and t < start - 1e-6:
                continue
            if end is not None and t > end + 1e-6:
                return
            if t <= last:
                continue
            last = t
            yield CapturedFrame(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), t)
    finally:
        capture.release()


def iter_side_by_side(
    left: Path | str, right: Path | str, height: int | None = None
) -> Iterator[CapturedFrame]:
    """Two videos composed side by side (for two-player tests), timed by the left one.

    Both are scaled to the same height (the smaller one unless given). When one video
    ends first, its half goes black: that player has left the frame.
    """
    left_info, right_info = probe_video(left), probe_video(right)
    h = height or min(left_info.height, right_info.height)
    widths = [round(info.width * h / info.height) for info in (left_info, right_info)]
    fps = left_info.fps or 30.0
    streams = [iter_video(left), iter_video(right)]
    index = 0
    while True:
        halves = []
        for stream, w in zip(streams, widths, strict=True):
            frame = next(stream, None)
            if frame is None:
                halves.append(None)
            else:
                halves.append(cv2.resize(frame.image, (w, h), interpolation=cv2.INTER_AREA))
        if all(half is None for half in halves):
            return
        parts = [
            np.zeros((h, w, 3), np.uint8) if half is None else half
            for half, w in zip(halves, widths, strict=True)
        ]
        yield CapturedFrame(np.concatenate(parts, axis=1), index / fps)
        index += 1
