"""The pose pipeline: frame source -> estimator worker thread -> filter -> per-player queues.

Implements PoseInput. MediaPipe releases the GIL while it infers, so the worker and the
game's render loop share the CPU cores.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

import numpy as np

from game.capture.base import FrameSource
from game.pose.filters import PoseSmoother
from game.pose.frame import PoseFrame
from game.pose.players import PlayersEstimator

Clock = Callable[[], float]
MAX_QUEUED = 512  # poses kept per player if the game does not poll (oldest dropped)


class PosePipeline:
    """Tracks the poses in `source` with `estimator` on a worker thread (a PoseInput).

    `latencies` holds, per processed image, the delay from its capture time to its poses
    being available (meaningful when the source stamps with `clock`).
    """

    def __init__(
        self,
        source: FrameSource,
        estimator: PlayersEstimator,
        smooth: bool = True,
        clock: Clock = time.monotonic,
    ) -> None:
        self.source = source
        self.estimator = estimator
        self.players = estimator.players
        self.clock = clock
        self._smoothers = [PoseSmoother(enabled=smooth) for _ in range(self.players)]
        self._queues: list[deque[PoseFrame]] = [
            deque(maxlen=MAX_QUEUED) for _ in range(self.players)
        ]
        self._lock = threading.Lock()
        self._image: np.ndarray | None = None
        self._problem: str | None = None
        self._stop = threading.Event()
        self._finished = threading.Event()
        self.frames_processed = 0
        self.latencies: deque[float] = deque(maxlen=100_000)
        self._thread = threading.Thread(target=self._run, name="pose worker", daemon=True)

    def start(self) -> PosePipeline:
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                frame = self.source.next_frame(timeout=0.1)
                if frame is None:
                    if self.source.ended or self.source.problem():
                        return
                    continue
                poses = self.estimator.estimate_players(frame.image, frame.time)
                smoothed = [smooth(p) for smooth, p in zip(self._smoothers, poses, strict=True)]
                with self._lock:
                    self._image = frame.image
                    for q, pose in zip(self._queues, smoothed, strict=True):
                        if pose is not None:
                            q.append(pose)
                    self.frames_processed += 1
                self.latencies.append(self.clock() - frame.time)
        except Exception as exc:  # shown to the player instead of a silent dead thread
            self._problem = f"pose tracking failed: {exc}"
        finally:
            self._finished.set()

    @property
    def ended(self) -> bool:
        """True once the source has ended and every image has been processed."""
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the worker has finished (a finite source); True if it has."""
        return self._finished.wait(timeout)

    def poll(self, now: float) -> list[list[PoseFrame]]:
        with self._lock:
            out = [list(q) for q in self._queues]
            for q in self._queues:
                q.clear()
        return out

    def latest_image(self) -> np.ndarray | None:
        with self._lock:
            return self._image

    def problem(self) -> str | None:
        return self._problem or self.source.problem()

    def pause(self) -> None:
        """Hold a video source with the song (a live camera cannot be held)."""
        self.source.pause()

    def resume(self) -> None:
        self.source.resume()

    def close(self) -> None:
        self._stop.set()
        self.source.close()
        if self._thread.is_alive():
            self._thread.join(timeout=2.0)
        if not self._thread.is_alive():  # never close the model under a running inference
            self.estimator.close()
