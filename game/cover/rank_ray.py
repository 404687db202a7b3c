"""`rank --engine ray`: the same per-cover task (`rank_task.score_row`) as Ray tasks of one
CPU each, on a running cluster (`--address HOST:PORT`) or a Ray instance started here. The
reference is put in Ray's object store once; workers read the covers at the paths given
(shared storage on a cluster) and keep pose tracks in the same cache folder as here."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from game.config import cache_root
from game.cover.inputs import Reference
from game.cover.rank_task import (
    POLL_S,
    CoverRow,
    OnRow,
    RankSettings,
    one_line,
    score_row,
    stuck_after,
    timeout_text,
)
from game.errors import UserError

INSTALL_HINT = 'pip install -e ".[cluster]" (or: pip install "ray>=2.9")'
START_UP_S = 30.0  # a task's clock starts when it is sent: its worker's start-up is allowed for


def import_ray() -> Any:
    """The ray module, or a one-line UserError saying how to install it."""
    try:
        import ray
    except ImportError:
        raise UserError(f"--engine ray: Ray is not installed; {INSTALL_HINT}") from None
    return ray


def _connect(ray: Any, address: str | None) -> bool:
    """Join the cluster at `address` (or start a local instance); True if we started it."""
    if ray.is_initialized():
        return False
    env = {"env_vars": {"COVER_DANCE_CACHE": str(cache_root())}}
    try:
        ray.init(address=address, include_dashboard=False, runtime_env=env,
                 log_to_driver=False, configure_logging=False)  # fmt: skip
    except (ConnectionError, RuntimeError, ValueError) as exc:
        why = one_line(str(exc))
        if address:
            raise UserError(f"--address {address}: cannot reach the Ray cluster ({why})") from None
        raise UserError(f"--engine ray: could not start a local Ray instance ({why})") from None
    return True


def rank_ray(
    reference: Reference,
    covers: list[str],
    settings: RankSettings,
    address: str | None,
    on_row: OnRow,
) -> None:
    """Score every cover as a Ray task, calling `on_row` as each one finishes. As many tasks
    are in flight as the cluster has CPUs, so each one's clock starts when it is sent."""
    ray = import_ray()
    started_here = _connect(ray, address)
    try:
        task = ray.remote(num_cpus=1, max_retries=1)(score_row)
        shared_reference = ray.put(reference)
        slots = max(1, int(ray.cluster_resources().get("CPU", 1)))
        limit = stuck_after(settings.timeout_s, START_UP_S)
        todo = list(reversed(covers))
        pending: dict[Any, tuple[str, float]] = {}
        while todo or pending:
            while todo and len(pending) < slots:
                cover = todo.pop()
                ref = task.remote(shared_reference, str(Path(cover).resolve()), settings)
                pending[ref] = (cover, time.monotonic())
            done, _ = ray.wait(list(pending), num_returns=1, timeout=POLL_S)
            for ref in done:
                on_row(_row(ray, ref, pending.pop(ref)[0]))
            for ref, (cover, sent) in list(pending.items()):
                if limit is not None and time.monotonic() - sent > limit:
                    ray.cancel(ref, force=True)
                    on_row(CoverRow(cover, error=timeout_text(cover, settings.timeout_s or 0.0)))
                    del pending[ref]
    finally:
        if started_here:
            ray.shutdown()


def _row(ray: Any, ref: Any, cover: str) -> CoverRow:
    """A finished task's row, under the cover's name as given (its error too)."""
    try:
        row = ray.get(ref)
        error = row.error.replace(row.cover, cover) if row.error else None
        return replace(row, cover=cover, error=error)
    except Exception as exc:  # the task's worker died, or Ray failed the task
        return CoverRow(cover, error=one_line(f"{cover}: Ray task failed: {exc}"))
