"""A video used as the camera holds still while the song is paused."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from game_driver import FakeClock

from game.capture.base import CapturedFrame
from game.capture.stream import IteratorSource


def frames(count: int, step: float) -> Iterator[CapturedFrame]:
    image = np.zeros((4, 4, 3), np.uint8)
    for i in range(count):
        yield CapturedFrame(image, i * step)


def test_a_paused_video_sends_no_frames_and_resumes_where_it_was() -> None:
    clock = FakeClock(0.0)
    source = IteratorSource(frames(10, 0.1), "test", realtime=True, clock=clock)
    try:
        first = source.next_frame(timeout=1.0)
        assert first is not None and first.time == 0.0
        clock.time = 0.05
        source.pause()
        clock.time = 1.0  # without the pause, frames 1-9 would all be due by now
        assert source.next_frame(timeout=0.3) is None
        source.resume()  # 0.95 s paused: frame 1 is now due at 1.05
        assert source.next_frame(timeout=0.2) is None
        clock.time = 1.06
        second = source.next_frame(timeout=1.0)
        assert second is not None and second.time == 1.06
    finally:
        source.close()
