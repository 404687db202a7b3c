"""A video used as the camera holds still while the song is paused."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from game.capture.base import CapturedFrame
from game.capture.stream import IteratorSource


class ManualClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def frames(count: int, step: float) -> Iterator[CapturedFrame]:
    image = np.zeros((4, 4, 3), np.uint8)
    for i in range(count):
        yield CapturedFrame(image, i * step)


def test_a_paused_video_sends_no_frames_and_resumes_where_it_was() -> None:
    clock = ManualClock()
    source = IteratorSource(frames(10, 0.1), "test", realtime=True, clock=clock)
    try:
        first = source.next_frame(timeout=1.0)
        assert first is not None and first.time == 0.0
        clock.now = 0.05
        source.pause()
        clock.now = 1.0  # without the pause, frames 1-9 would all be due by now
        assert source.next_frame(timeout=0.3) is None
        source.resume()  # 0.95 s paused: frame 1 is now due at 1.05
        assert source.next_frame(timeout=0.2) is None
        clock.now = 1.06
        second = source.next_frame(timeout=1.0)
        assert second is not None and second.time == 1.06
    finally:
        source.close()
