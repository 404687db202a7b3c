"""Frame sources fed by a decoding thread: a video file used as the camera.

Paced (`realtime=True`): frames are released at the video's own rate and stamped with the
injected clock when released, exactly like a camera; a slow consumer gets the newest frame
and older ones are dropped. Scheduled (paced by a `Schedule`, e.g. the song clock): each
frame is released when the schedule says it is due and stamped with that moment, so a video
lined up with a song lands at its song time even when decoding falls behind. Unpaced: every
frame, in order, as fast as the consumer takes them, stamped with the video's own timestamps
(decoding runs ahead by a few frames).
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from game.capture.base import CapturedFrame, CaptureError
from game.capture.video import iter_side_by_side, iter_video, probe_video

Clock = Callable[[], float]
Schedule = Callable[[float], float]
"""Video time -> the clock's time at which that frame is due (inf: held, e.g. paused)."""
READ_AHEAD = 4


class LatestSlot:
    """Holds only the newest frame; a reader waits for one it has not seen yet."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: CapturedFrame | None = None
        self._seq = 0
        self._read = 0

    def put(self, frame: CapturedFrame) -> None:
        with self._cond:
            self._frame = frame
            self._seq += 1
            self._cond.notify_all()

    def get(self, timeout: float) -> CapturedFrame | None:
        with self._cond:
            if not self._cond.wait_for(lambda: self._seq > self._read, timeout):
                return None
            self._read = self._seq
            return self._frame

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()


class IteratorSource:
    """A FrameSource decoding `frames` in its own thread (see the module docstring)."""

    def __init__(
        self,
        frames: Iterator[CapturedFrame],
        name: str,
        realtime: bool = True,
        clock: Clock = time.monotonic,
        schedule: Schedule | None = None,
    ) -> None:
        """`schedule` (with `realtime`) paces the frames instead of the video's own rate
        from the first one; holding them is then the schedule's job, not `pause`'s."""
        self.name = name
        self.realtime = realtime
        self.clock = clock
        self.schedule = schedule
        self._frames = frames
        self._slot = LatestSlot()
        self._queue: queue.Queue[CapturedFrame] = queue.Queue(READ_AHEAD)
        self._stop = threading.Event()
        self._done = threading.Event()  # the decoder has produced its last frame
        self._ended = False
        self._problem: str | None = None
        self._paused_at: float | None = None
        self._paused_total = 0.0
        self._thread = threading.Thread(target=self._run, name=f"decode {name}", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            start_wall: float | None = None
            first_time = 0.0
            for frame in self._frames:
                if self._stop.is_set():
                    return
                if not self.realtime:
                    while not self._stop.is_set():
                        try:
                            self._queue.put(frame, timeout=0.1)
                            break
                        except queue.Full:
                            continue
                    continue
                if start_wall is None:
                    start_wall, first_time = self.clock(), frame.time
                while not self._stop.is_set():
                    if self.schedule is not None:
                        due = self.schedule(frame.time)
                    else:
                        due = start_wall + self._paused_total + frame.time - first_time
                    held = self._paused_at is not None and self.schedule is None
                    wait = 0.05 if held else due - self.clock()
                    if wait <= 0:
                        break
                    time.sleep(min(wait, 0.05))
                if self._stop.is_set():
                    return
                now = self.clock()
                stamp = min(due, now) if self.schedule is not None else now
                self._slot.put(CapturedFrame(frame.image, stamp))
        except CaptureError as exc:
            self._problem = str(exc)
        except Exception as exc:  # a decoder failure must not kill the game silently
            self._problem = f"{self.name}: decoding failed ({exc})"
        finally:
            self._done.set()  # after the last frame is queued: done and empty means ended
            self._slot.wake()

    def pause(self) -> None:
        """Hold a real-time video (the song is paused); `resume` carries on from there."""
        if self._paused_at is None:
            self._paused_at = self.clock()

    def resume(self) -> None:
        if self._paused_at is not None:
            self._paused_total += self.clock() - self._paused_at
            self._paused_at = None

    def next_frame(self, timeout: float) -> CapturedFrame | None:
        if self._ended:
            return None
        if not self.realtime:
            # Done before the wait: every frame is already queued, so an empty queue is the
            # end, however long the consumer took over each frame.
            done = self._done.is_set()
            try:
                return self._queue.get_nowait() if done else self._queue.get(timeout=timeout)
            except queue.Empty:
                self._ended = done
                return None
        frame = self._slot.get(0.0 if self._done.is_set() else timeout)
        if frame is None and self._done.is_set():
            self._ended = True
        return frame

    @property
    def ended(self) -> bool:
        return self._ended

    def problem(self) -> str | None:
        return self._problem

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2.0)


def video_source(
    path: Path | str,
    realtime: bool = True,
    clock: Clock = time.monotonic,
    start: float | None = None,
    end: float | None = None,
    schedule: Schedule | None = None,
) -> IteratorSource:
    """A video file as the camera, from `start` to `end` seconds (paced by `schedule` if
    given); CaptureError naming the file if it cannot be decoded."""
    path = Path(path)
    probe_video(path)
    return IteratorSource(iter_video(path, start, end), path.name, realtime, clock, schedule)


def side_by_side_source(
    left: Path | str, right: Path | str, realtime: bool = True, clock: Clock = time.monotonic
) -> IteratorSource:
    """Two videos side by side as one camera (two players)."""
    frames = iter_side_by_side(left, right)
    return IteratorSource(frames, f"{Path(left).name} + {Path(right).name}", realtime, clock)
