"""Two single-player inputs (two videos, or a camera and a video) as one two-player input."""

from __future__ import annotations

import cv2
import numpy as np

from game.capture.base import PoseInput
from game.pose.frame import PoseFrame

DEFAULT_ASPECT = 16 / 9  # until an input has shown its first image


class MergedInput:
    """Single-person inputs in capture order, their images laid side by side left to right
    as if filmed by one camera; every pose is moved into that combined image."""

    def __init__(self, inputs: list[PoseInput]) -> None:
        self._inputs = list(inputs)  # left to right in the combined image
        self.players = len(inputs)
        self._aspects = [DEFAULT_ASPECT] * len(inputs)
        self._key: tuple[int, ...] = ()
        self._image: np.ndarray | None = None

    def _update_aspects(self) -> list[np.ndarray | None]:
        images = [source.latest_image() for source in self._inputs]
        for k, image in enumerate(images):
            if image is not None:
                self._aspects[k] = image.shape[1] / image.shape[0]
        return images

    def poll(self, now: float) -> list[list[PoseFrame]]:
        """Per player in capture order (left of the combined image first), shifted right by
        the width (in height units) of the images to their left."""
        self._update_aspects()
        out, offset = [], 0.0
        for source, aspect in zip(self._inputs, self._aspects, strict=True):
            out.append([_shifted(frame, offset) for frame in source.poll(now)[0]])
            offset += aspect
        return out

    def latest_image(self) -> np.ndarray | None:
        images = self._update_aspects()
        if all(image is None for image in images):
            return None
        key = tuple(id(image) for image in images)
        if key != self._key:
            self._key, self._image = key, self._compose(images)
        return self._image

    def _compose(self, images: list[np.ndarray | None]) -> np.ndarray:
        """The images side by side at the smallest one's height (black until one arrives)."""
        height = min(image.shape[0] for image in images if image is not None)
        parts = []
        for image, aspect in zip(images, self._aspects, strict=True):
            width = max(1, round(height * aspect))
            if image is None:
                parts.append(np.zeros((height, width, 3), np.uint8))
            elif image.shape[0] != height:
                parts.append(cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA))
            else:
                parts.append(image)
        return np.hstack(parts)

    def problem(self) -> str | None:
        problems = [p for source in self._inputs if (p := source.problem())]
        return "; ".join(problems) or None

    @property
    def ended(self) -> bool:
        """Every input has ended (one ended video leaves its player without poses)."""
        return all(source.ended for source in self._inputs)

    def pause(self) -> None:
        for source in self._inputs:
            source.pause()

    def resume(self) -> None:
        for source in self._inputs:
            source.resume()

    def close(self) -> None:
        for source in self._inputs:
            source.close()


def _shifted(frame: PoseFrame, dx: float) -> PoseFrame:
    if dx == 0.0:
        return frame
    landmarks = frame.landmarks.copy()
    landmarks[:, 0] += dx
    return PoseFrame(frame.time, landmarks, frame.visibility)
