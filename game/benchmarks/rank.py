"""`bench rank`: an audition's pace, in covers a minute, with 1 and 2 local worker processes
and with Ray tasks on a local instance of 2 CPUs, on the same covers. Each run starts from an
empty pose cache, so every cover is tracked; the local engine tracks the reference too, in its
pool (Ray is given it tracked beforehand, as `rank --engine ray` tracks it first)."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from game.benchmarks import benchmark, clips, default_realdata
from game.cover.inputs import Reference, load_reference
from game.cover.rank_task import CoverRow, RankSettings
from game.errors import UserError

REFERENCE = "funfun_reference.mp4"
GROUP_CLIPS = ("group",)  # several dancers: not covers of a solo
WORKERS = (1, 2)


@contextmanager
def fresh_cache() -> Iterator[Path]:
    """COVER_DANCE_CACHE pointed at a new empty folder for the duration."""
    previous = os.environ.get("COVER_DANCE_CACHE")
    with tempfile.TemporaryDirectory(prefix="rank-bench-") as folder:
        os.environ["COVER_DANCE_CACHE"] = folder
        try:
            yield Path(folder)
        finally:
            if previous is None:
                os.environ.pop("COVER_DANCE_CACHE", None)
            else:
                os.environ["COVER_DANCE_CACHE"] = previous


def audition_covers(args: argparse.Namespace, reference: Path) -> list[str]:
    """The --clip videos, else every solo clip of the realdata folder but the reference."""
    chosen = [p for p in clips(args) if p != reference]
    if not getattr(args, "clip", None):
        chosen = [p for p in chosen if not p.name.startswith(GROUP_CLIPS)]
    return [str(p) for p in chosen]


def timed_run(engine: Callable[[Callable[[CoverRow], None]], None]) -> tuple[float, list[CoverRow]]:
    rows: list[CoverRow] = []
    start = time.perf_counter()
    engine(rows.append)
    return time.perf_counter() - start, rows


def pace(label: str, seconds: float, rows: list[CoverRow]) -> str:
    failed = sum(r.score is None for r in rows)
    note = f", {failed} failed" if failed else ""
    return (f"{label}: {len(rows)} covers in {seconds:.1f} s = "
            f"{len(rows) / seconds * 60:.1f} covers/min{note}")  # fmt: skip


def ray_lines(reference: Reference, covers: list[str], settings: RankSettings) -> list[str]:
    """Ray tasks on a local instance of 2 CPUs (its start-up timed apart)."""
    try:
        import ray
    except ImportError:
        return ['ray: not installed (pip install -e ".[cluster]"): skipped']
    from game.cover.rank_ray import rank_ray

    with fresh_cache():  # before ray.init: its workers take this environment
        start = time.perf_counter()
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        started = time.perf_counter() - start
        try:
            seconds, rows = timed_run(
                lambda on_row: rank_ray(reference, covers, settings, None, on_row)
            )
        finally:
            ray.shutdown()
    return [pace("ray, 2 CPUs", seconds, rows), f"(ray.init took {started:.1f} s more)"]


@benchmark("rank")
def rank_pace(args: argparse.Namespace) -> list[str]:
    from game.cover.rank_local import rank_local

    reference_path = default_realdata() / REFERENCE
    if not reference_path.is_file():
        raise UserError(f"{reference_path}: not found (the audition's reference)")
    covers = audition_covers(args, reference_path)
    settings = RankSettings()
    lines = [f"{len(covers)} covers against {REFERENCE}, tracked at {settings.fps:g} fps"]
    paces = {}
    for workers in WORKERS:
        with fresh_cache():
            seconds, rows = timed_run(
                lambda on_row, n=workers: rank_local(reference_path, covers, settings, n, on_row)
            )
        paces[workers] = len(rows) / seconds
        lines.append(pace(f"local, {workers} worker{'s' if workers > 1 else ''}", seconds, rows))
    lines.append(f"speed-up with 2 workers: {paces[2] / paces[1]:.2f}x ({os.cpu_count()} cores)")
    lines += ray_lines(load_reference(reference_path), covers, settings)
    return lines
