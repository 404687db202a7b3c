"""A webcam read in its own thread: newest frame wins, frames stamped at capture."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import cv2

from game.capture.base import CapturedFrame, CaptureError
from game.capture.stream import LatestSlot

Clock = Callable[[], float]


@contextlib.contextmanager
def _quiet_opencv() -> Iterator[None]:
    """Silence OpenCV's own warnings while probing cameras that may not exist."""
    get, set_ = getattr(cv2, "getLogLevel", None), getattr(cv2, "setLogLevel", None)
    if get is None or set_ is None:
        yield
        return
    previous = get()
    set_(0)  # LOG_LEVEL_SILENT
    try:
        yield
    finally:
        set_(previous)


MAX_INDEX = 9999  # OpenCV camera indexes are small (a backend adds a multiple of 100)


def _open(index: int, width: int | None, height: int | None, fps: float | None) -> cv2.VideoCapture:
    if not 0 <= index <= MAX_INDEX:  # OpenCV raises OverflowError (or worse) past an int
        raise CaptureError(f"camera {index} could not be opened (indexes are 0 to {MAX_INDEX})")
    with _quiet_opencv():
        try:
            capture = cv2.VideoCapture(index)
        except (cv2.error, OverflowError, SystemError) as exc:
            raise CaptureError(f"camera {index} could not be opened ({exc})") from None
        if not capture.isOpened():
            capture.release()
            raise CaptureError(
                f"camera {index} could not be opened (not connected, or used by another program?)"
            )
        if width:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
        if height:
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        if fps:
            capture.set(cv2.CAP_PROP_FPS, fps)
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # ask the driver not to queue old frames
    return capture


class WebcamSource:
    """A FrameSource reading `cv2.VideoCapture(index)` in a thread.

    Opening waits up to `open_timeout` s for a first frame; CaptureError otherwise.
    If no frame arrives for `stall_timeout` s later on, `problem()` says so (never hangs).
    """

    def __init__(
        self,
        index: int = 0,
        width: int | None = None,
        height: int | None = None,
        fps: float | None = None,
        clock: Clock = time.monotonic,
        open_timeout: float = 5.0,
        stall_timeout: float = 2.0,
    ) -> None:
        self.index = index
        self.name = f"camera {index}"
        self.clock = clock
        self.stall_timeout = stall_timeout
        self._capture = _open(index, width, height, fps)
        self._slot = LatestSlot()
        self._stop = threading.Event()
        self._first = threading.Event()
        self._failed = False
        self._last_time = clock()
        self.frame_size: tuple[int, int] | None = None  # (width, height)
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()
        if not self._first.wait(open_timeout):
            self.close()
            raise CaptureError(f"camera {index} opened but delivered no image")

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                ok, image = self._capture.read()
            except cv2.error:
                ok, image = False, None
            if not ok or image is None:
                self._failed = True
                self._first.set()
                return
            stamp = self.clock()
            rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
            self.frame_size = (rgb.shape[1], rgb.shape[0])
            self._last_time = stamp
            self._slot.put(CapturedFrame(rgb, stamp))
            self._first.set()

    def next_frame(self, timeout: float) -> CapturedFrame | None:
        return None if self._failed else self._slot.get(timeout)

    @property
    def ended(self) -> bool:
        return False

    def problem(self) -> str | None:
        if self._failed or self.clock() - self._last_time > self.stall_timeout:
            return f"camera {self.index} stopped delivering frames"
        return None

    def pause(self) -> None:
        pass  # a live camera cannot be held

    def resume(self) -> None:
        pass

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1.0)
        if not self._thread.is_alive():  # never release under a read that is still blocked
            self._capture.release()


@dataclass(frozen=True)
class CameraInfo:
    index: int
    width: int
    height: int
    fps: float


def probe_camera(index: int, timeout: float = 3.0) -> CameraInfo | None:
    """Open camera `index`, read one image, report its size and rate; None if it fails."""
    try:
        source = WebcamSource(index, open_timeout=timeout)
    except CaptureError:
        return None
    try:
        fps = float(source._capture.get(cv2.CAP_PROP_FPS) or 0.0)
        frame = source.next_frame(timeout)
        if frame is None:
            return None
        return CameraInfo(index, frame.image.shape[1], frame.image.shape[0], fps)
    finally:
        source.close()
