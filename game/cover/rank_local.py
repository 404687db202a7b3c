"""`rank`'s local engine: covers scored in worker processes (concurrent.futures, spawn), the
reference sent to each worker once. A cover past its time limit is stopped inside its task
(`game.time_limit`); one stuck where that cannot reach it (in native code) is stopped
by ending the workers, and the covers still to do are given to fresh ones. Each worker says
when it starts a cover (a queue), so a cover's clock never counts a worker's start-up."""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.queues import Queue

from game.cover.inputs import Reference
from game.cover.rank_task import CoverRow, RankSettings, load_libraries, score_row, timeout_text

POLL_S = 0.5
GRACE_S = 10.0  # past its time limit and this, a task is taken as stuck
MAX_ATTEMPTS = 2  # a cover whose worker died this many times gets an error row
OnRow = Callable[[CoverRow], None]

_worker_job: tuple[Reference, RankSettings, Queue[str]] | None = None


def _start_worker(reference: Reference, settings: RankSettings, started: Queue[str]) -> None:
    global _worker_job
    _worker_job = (reference, settings, started)


def _score_in_worker(cover: str) -> CoverRow:
    assert _worker_job is not None, "worker not started"
    reference, settings, started = _worker_job
    load_libraries(settings.with_report)
    started.put(cover)
    return score_row(reference, cover, settings)


def default_workers() -> int:
    return os.cpu_count() or 1


def _end_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the pool's processes (ours, started by this pool) when a task is stuck."""
    for process in list(getattr(pool, "_processes", {}).values()):
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def _deadline(settings: RankSettings) -> float | None:
    return settings.timeout_s + GRACE_S if settings.timeout_s else None


def _drain(started: Queue[str], started_at: dict[str, float]) -> None:
    """Note, at the time read, each cover a worker has started since the last look."""
    now = time.monotonic()
    while True:
        try:
            started_at.setdefault(started.get_nowait(), now)
        except queue.Empty:
            return


def _one_pool(
    reference: Reference, covers: list[str], settings: RankSettings, workers: int, on_row: OnRow
) -> tuple[list[str], list[str]]:
    """Score `covers` in one pool. Returns (covers whose worker died, covers not reached
    because a stuck task ended the pool): both to try again, only the first counted."""
    context = multiprocessing.get_context("spawn")  # MediaPipe is not fork-safe
    started = context.Queue()
    pool = ProcessPoolExecutor(
        min(workers, len(covers)), mp_context=context,
        initializer=_start_worker, initargs=(reference, settings, started),
    )  # fmt: skip
    futures: dict[Future[CoverRow], str] = {pool.submit(_score_in_worker, c): c for c in covers}
    started_at: dict[str, float] = {}
    died: list[str] = []
    not_reached: list[str] = []
    limit = _deadline(settings)
    stuck = False
    try:
        while futures and not stuck:
            done, _ = wait(futures, timeout=POLL_S, return_when=FIRST_COMPLETED)
            for future in done:
                cover = futures.pop(future)
                try:
                    on_row(future.result())
                except BrokenProcessPool:
                    died.append(cover)
            _drain(started, started_at)
            now = time.monotonic()
            for future, cover in list(futures.items()):
                if limit is not None and now - started_at.get(cover, now) > limit:
                    on_row(CoverRow(cover, error=timeout_text(cover, settings.timeout_s or 0.0)))
                    del futures[future]
                    stuck = True
    finally:
        if stuck:
            _end_workers(pool)
            not_reached.extend(futures.values())
        else:
            pool.shutdown(wait=True, cancel_futures=True)
    return died, not_reached


def rank_local(
    reference: Reference, covers: list[str], settings: RankSettings, workers: int, on_row: OnRow
) -> None:
    """Score every cover in `workers` processes, calling `on_row` as each one finishes."""
    attempts = dict.fromkeys(covers, 0)
    todo = list(covers)
    while todo:
        died, todo = _one_pool(reference, todo, settings, workers, on_row)
        for cover in died:
            attempts[cover] += 1
            if attempts[cover] >= MAX_ATTEMPTS:
                why = "its worker process died (crashed or ran out of memory)"
                on_row(CoverRow(cover, error=f"{cover}: {why}"))
            else:
                todo.append(cover)
