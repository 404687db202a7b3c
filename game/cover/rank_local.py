"""`rank`'s local engine: covers scored in worker processes (pebble's process pool, spawn).
The reference is tracked in the pool too, beside the first covers (tracked into the pose
cache meanwhile); once it is in, every cover is scored against it. A cover past its time
limit is stopped inside its task (`game.time_limit`); one stuck where that cannot reach
(native code) is stopped by the pool, which ends that worker and starts another. The pool
counts a task's time from when a worker takes it, and a worker loads its libraries as it
starts, so a cover's clock never counts a worker's start-up."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from pebble import ProcessExpired, ProcessPool

from game.cover.inputs import Reference, load_reference
from game.cover.rank_task import (
    POLL_S,
    CoverRow,
    OnRow,
    RankSettings,
    load_libraries,
    prepare_cover,
    score_row,
    stuck_after,
    timeout_text,
)
from game.errors import UserError

MAX_ATTEMPTS = 2  # a cover whose worker died this many times gets an error row
DIED = "its worker process died (crashed or ran out of memory)"
TIMED_OUT = (TimeoutError, FutureTimeout)  # the pool ended a stuck task's worker


def default_workers() -> int:
    return os.cpu_count() or 1


class _Audition:
    """The tasks of one local rank: the reference, the first covers' tracking, the scores."""

    def __init__(
        self, pool: ProcessPool, covers: list[str], settings: RankSettings, on_row: OnRow
    ) -> None:
        self.pool, self.settings, self.on_row = pool, settings, on_row
        self.limit = stuck_after(settings.timeout_s)
        self.reference: Reference | None = None
        self.waiting = list(covers)  # to be scored once the reference is in
        self.attempts = dict.fromkeys(covers, 0)
        self.tasks: dict[Future[Any], tuple[str, str]] = {}  # future -> (kind, cover)
        self.score: Callable[[Reference, str, RankSettings], CoverRow] = score_row

    def send(self, kind: str, cover: str, function: Any, *args: Any) -> None:
        future = self.pool.schedule(function, args=args, timeout=self.limit)
        self.tasks[future] = (kind, cover)

    def start(self, reference: Path, early: int) -> None:
        future = self.pool.schedule(load_reference, args=(reference, None, self.settings.fps))
        self.tasks[future] = ("reference", str(reference))
        for cover in self.waiting[:early]:
            self.send("prepare", cover, prepare_cover, cover, self.settings)

    def score_waiting(self) -> None:
        """Send every cover whose tracking is not under way to be scored."""
        if self.reference is None:
            return
        busy = {cover for kind, cover in self.tasks.values() if kind == "prepare"}
        for cover in [c for c in self.waiting if c not in busy]:
            self.waiting.remove(cover)
            self.send("score", cover, self.score, self.reference, cover, self.settings)

    def finished(self, future: Future[Any]) -> None:
        kind, cover = self.tasks.pop(future)
        if kind == "reference":
            try:
                self.reference = future.result()  # its UserError is the command's
            except ProcessExpired:
                raise UserError(f"{cover}: tracking the reference, {DIED}") from None
        elif kind == "prepare":
            try:
                error = future.result()
            except TIMED_OUT:
                error = timeout_text(cover, self.settings.timeout_s or 0.0)
            except Exception:  # its worker died: scoring it will tell
                error = None
            if error is not None:
                self.waiting.remove(cover)
                self.on_row(CoverRow(cover, error=error))
        else:
            self.scored(future, cover)
        self.score_waiting()

    def scored(self, future: Future[CoverRow], cover: str) -> None:
        try:
            self.on_row(future.result())
        except TIMED_OUT:
            self.on_row(CoverRow(cover, error=timeout_text(cover, self.settings.timeout_s or 0)))
        except ProcessExpired:
            self.attempts[cover] += 1
            if self.attempts[cover] >= MAX_ATTEMPTS:
                self.on_row(CoverRow(cover, error=f"{cover}: {DIED}"))
            else:
                self.waiting.append(cover)


def rank_local(
    reference: Path, covers: list[str], settings: RankSettings, workers: int, on_row: OnRow
) -> None:
    """Track `reference` and score every cover against it in `workers` processes, calling
    `on_row` as each cover finishes. A reference that cannot be read raises its UserError."""
    pool = ProcessPool(
        max_workers=min(workers, len(covers) + 1),
        initializer=load_libraries,
        initargs=(settings.with_report,),
        context=multiprocessing.get_context("spawn"),  # MediaPipe is not fork-safe
    )
    audition = _Audition(pool, covers, settings, on_row)
    ended = False
    try:
        audition.start(reference, early=workers - 1)
        while audition.tasks:
            done, _ = wait(audition.tasks, timeout=POLL_S, return_when=FIRST_COMPLETED)
            for future in done:
                audition.finished(future)
        ended = True
    except RuntimeError as exc:  # pebble: the pool broke (its workers cannot start)
        raise UserError(f"the worker processes stopped: {exc}") from None
    finally:
        if ended:
            pool.close()
        else:
            pool.stop()
        pool.join()
