"""The level's reference video, read frame by frame in step with the song (OpenCV)."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

MAX_PIXELS = 3840 * 2160  # a larger coach video is not shown (the avatar dances instead)


class ReferenceVideo:
    """`frame_at(t)` returns the RGB frame showing at video time `t` (None past the end).

    Reads forward sequentially (grab without decoding skipped frames); seeks only when
    asked to go back (a practice loop or a restart).
    """

    def __init__(self, path: Path, max_height: int = 540) -> None:
        self._capture = cv2.VideoCapture(str(path))
        if not self._capture.isOpened():
            raise OSError(f"{path}: cannot open the level's video")
        width = int(self._capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(self._capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        if width * height > MAX_PIXELS:  # decoding it would stall the game's frame rate
            self._capture.release()
            raise OSError(f"{path}: {width}x{height} is larger than a coach video may be (4K)")
        self.fps = self._capture.get(cv2.CAP_PROP_FPS) or 30.0
        self._max_height = max_height
        self._index = -1  # index of the last frame read
        self._frame: np.ndarray | None = None

    def frame_at(self, time: float) -> np.ndarray | None:
        want = max(0, int(time * self.fps))
        if want < self._index or want > self._index + 3 * self.fps:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, want)
            self._index, self._frame = want - 1, None
        while self._index < want:
            if not self._capture.grab():
                return self._frame if want - self._index < self.fps else None
            self._index += 1
            if self._index == want:
                ok, bgr = self._capture.retrieve()
                if ok:
                    self._frame = self._convert(bgr)
        return self._frame

    def _convert(self, bgr: np.ndarray) -> np.ndarray:
        height, width = bgr.shape[:2]
        if height > self._max_height:
            scale = self._max_height / height
            bgr = cv2.resize(bgr, (round(width * scale), self._max_height), cv2.INTER_AREA)
        return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)

    def close(self) -> None:
        self._capture.release()


def open_reference_video(path: Path | None) -> ReferenceVideo | None:
    """A level's reference video, or None (no video, or it cannot be opened: the avatar
    dances instead)."""
    if path is None:
        return None
    try:
        return ReferenceVideo(path)
    except OSError:
        return None
