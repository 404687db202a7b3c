"""Two single-player inputs (two videos, or a camera and a video) as one two-player input."""

from __future__ import annotations

import cv2
import numpy as np

from game.capture.base import PoseInput
from game.pose.frame import PoseFrame


class MergedInput:
    """Player k of the game is input k. Inputs are laid out as if the first stood on the
    camera's right, so the mirrored display shows it on the left, where P1 plays."""

    def __init__(self, inputs: list[PoseInput]) -> None:
        self._inputs = inputs
        self.players = len(inputs)
        self._key: tuple[int, ...] = ()
        self._image: np.ndarray | None = None

    def poll(self, now: float) -> list[list[PoseFrame]]:
        per_input = [source.poll(now)[0] for source in self._inputs]
        return per_input[::-1]  # capture order: left of the image first

    def latest_image(self) -> np.ndarray | None:
        images = [source.latest_image() for source in self._inputs[::-1]]
        shown = [image for image in images if image is not None]
        if not shown:
            return None
        key = tuple(id(image) for image in shown)
        if key != self._key:
            self._key, self._image = key, self._compose(shown)
        return self._image

    @staticmethod
    def _compose(shown: list[np.ndarray]) -> np.ndarray:
        """The images side by side at the smallest one's height."""
        height = min(image.shape[0] for image in shown)
        resized = [
            cv2.resize(image, (round(image.shape[1] * height / image.shape[0]), height))
            if image.shape[0] != height
            else image
            for image in shown
        ]
        return np.hstack(resized)

    def problem(self) -> str | None:
        problems = [p for source in self._inputs if (p := source.problem())]
        return "; ".join(problems) or None

    def close(self) -> None:
        for source in self._inputs:
            source.close()
