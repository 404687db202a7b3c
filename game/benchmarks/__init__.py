"""Benchmarks printed by `cover-dance bench`: name -> function(args) -> result lines.

A module adds its benchmarks to BENCHMARKS when imported; BENCHMARK_MODULES lists them.
Shared options (see game.commands.bench): `args.clip` (list of paths or None),
`args.frames` (frames per clip), `args.levels` (levels in the library benchmark).
"""

from __future__ import annotations

import argparse
import importlib
import os
from collections.abc import Callable
from pathlib import Path

from game.errors import UserError

Benchmark = Callable[[argparse.Namespace], list[str]]
BENCHMARKS: dict[str, Benchmark] = {}
BENCHMARK_MODULES: tuple[str, ...] = (
    "game.benchmarks.pose",
    "game.benchmarks.judge",
    "game.benchmarks.render",
    "game.benchmarks.group",
    "game.benchmarks.long_song",
    "game.benchmarks.library",
    "game.benchmarks.score_long",
    "game.benchmarks.rank",
)


def benchmark(name: str) -> Callable[[Benchmark], Benchmark]:
    """Decorator registering a benchmark under `name`."""

    def register(func: Benchmark) -> Benchmark:
        BENCHMARKS[name] = func
        return func

    return register


def load_all() -> dict[str, Benchmark]:
    for module in BENCHMARK_MODULES:
        importlib.import_module(module)
    return BENCHMARKS


def select(only: str | None) -> list[str]:
    """Names to run: all, the one called `only`, or the group `only-*`."""
    names = sorted(load_all())
    if not only:
        return names
    chosen = [n for n in names if n == only or n.startswith(only + "-")]
    if not chosen:
        raise UserError(f"unknown benchmark {only!r}; known: {', '.join(names)}")
    return chosen


def default_realdata() -> Path:
    """../shared/realdata beside the repository (or $COVER_DANCE_REALDATA)."""
    repo = Path(__file__).resolve().parents[2]
    return Path(os.environ.get("COVER_DANCE_REALDATA", repo.parent / "shared" / "realdata"))


def clips(args: argparse.Namespace) -> list[Path]:
    """The clips given with --clip, else every .mp4 in the realdata folder; UserError if none."""
    given = getattr(args, "clip", None)
    if given:
        missing = [str(p) for p in given if not Path(p).is_file()]
        if missing:
            raise UserError(f"clip not found: {', '.join(missing)}")
        return [Path(p) for p in given]
    folder = default_realdata()
    found = sorted(folder.glob("*.mp4")) if folder.is_dir() else []
    if not found:
        raise UserError(f"no dance clips in {folder}: pass --clip PATH (a video of a dancer)")
    return found
