"""Fuzz the level loader and the save files with random mutations of real files, and the
import options, recording targets and save files of odd kinds (tests/fuzz_odd_kinds.py).

Run by tests/test_fuzz_untrusted.py in a subprocess under an address-space limit. Each
mutation must end in the loader's own error (LevelError) or a usable result; anything
else fails. `--survey` tallies every failure instead of stopping at the first (used to
measure what the fuzzer finds on an older version of the code). Prints one JSON line.

    python tests/fuzz_untrusted.py [--examples N] [--survey] [--memory-mb M]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import re
import resource
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import fuzz_odd_kinds
import numpy as np
from fuzz_mutations import (
    BUNDLED,
    base_progress,
    make_links,
    mutate_save,
    mutate_toml,
    pose_file,
    pose_mutations,
    save_mutations,
    toml_mutations,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synthetic import tiny_song_bytes

from game.config import Settings
from game.level.loader import LevelError, load_level
from game.progress import PlayRecord, ProgressStore
from game.time_limit import time_limit

COUNTS: Counter[str] = Counter()  # mutations run, per target
OUTCOMES: Counter[str] = Counter()  # how they ended
FAILURES: Counter[str] = Counter()  # --survey: what went wrong, by kind
SURVEY = False
SLOW_S = 3.0  # one mutation taking longer than this is a failure (a hang, in the small)
HANG_S = 15.0  # one still running after this is stopped (SIGALRM) and counted as a hang
SONG = tiny_song_bytes()
WORK = Path(tempfile.mkdtemp(prefix="cover-dance-fuzz-"))

# ------------------------------------------------------------------ running one mutation


def fresh_level() -> Path:
    folder = WORK / "level"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    for name in ("level.toml", "pose.npz"):
        shutil.copyfile(BUNDLED / name, folder / name)
    (folder / "song.ogg").write_bytes(SONG)  # the loader decodes a little of it
    return folder


class Hang(Exception):
    """A mutation still running after HANG_S (a blocking open of a pipe, a deadlock...)."""


def attempt(target: str, run: Callable[[], str]) -> None:
    """Run one mutation; a failure raises (hypothesis shrinks it) or, with --survey, is
    tallied by kind."""
    COUNTS[target] += 1
    captured = io.StringIO()
    started = time.perf_counter()
    try:
        with (
            contextlib.redirect_stderr(captured),
            time_limit(HANG_S, lambda: Hang(f"still running after {HANG_S:g} s")),
        ):
            OUTCOMES[f"{target}: {run()}"] += 1
        for line in captured.getvalue().splitlines():
            assert line.startswith("cover-dance: ") and len(line) < 600, line[:200]
        took = time.perf_counter() - started
        assert took < SLOW_S, f"one mutation took {took:.1f} s"
    except Exception as exc:
        if not SURVEY:
            raise
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = re.sub(r"/\S+", "PATH", str(exc).splitlines()[0] if str(exc) else "")[:90]
        FAILURES[f"{target}: {type(exc).__name__} at {Path(where.filename).name}:"
                 f"{where.lineno}: {message}"] += 1  # fmt: skip


def check_level(folder: Path) -> str:
    try:
        level = load_level(folder)
    except LevelError as exc:
        assert exc.problems, "a LevelError with no problem"
        for line in exc.problems:
            assert line.startswith(str(folder)) and "\n" not in line and len(line) < 1000, line
            assert "MemoryError" not in line, line  # the limits must refuse it first
        return "refused"
    meta = level.meta
    text = meta.title + meta.artist + meta.credit
    assert len(meta.title) <= 200 and not any(c in text for c in "\x00\n\r\x1b"), text[:80]
    for name in filter(None, (meta.audio, meta.video)):
        resolved = (folder / name).resolve()
        assert resolved.is_relative_to(folder.resolve()) and resolved.is_file(), name
    assert 0 < level.grid.window_count <= 20_000
    assert np.isfinite(level.pose.landmarks).all() and math.isfinite(level.pose.aspect)
    assert np.isfinite(level.tolerances).all() and (level.tolerances > 0).all()
    return "loaded"


@given(st.lists(toml_mutations, min_size=1, max_size=4))
def fuzz_level_toml(mutations: list[tuple[Any, Any, Any]]) -> None:
    folder = fresh_level()
    text = (BUNDLED / "level.toml").read_text()

    toml = folder / "level.toml"
    assert not toml.is_symlink()  # written before any link is made, never through one
    toml.write_bytes(mutate_toml(text, mutations))
    make_links(mutations, folder)

    def run() -> str:
        return check_level(folder)

    attempt("level.toml", run)


@given(pose_mutations)
def fuzz_pose(mutation: tuple[str, Any]) -> None:
    folder = fresh_level()

    with warnings.catch_warnings():  # numpy's, while mutating (a complex array cast)
        warnings.simplefilter("ignore")
        (folder / "pose.npz").write_bytes(pose_file(mutation))

    def run() -> str:
        return check_level(folder)

    attempt("pose.npz", run)


def strict_json(path: Path) -> Any:
    def refuse(name: str) -> None:
        raise AssertionError(f"{path.name} holds {name}: not standard JSON")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


@given(save_mutations)
def fuzz_settings(mutation: tuple[str, Any, Any]) -> None:
    folder = WORK / "settings"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    path = folder / "settings.json"

    def run() -> str:
        path.write_bytes(mutate_save(Settings(camera=1, volume=0.5).__dict__, mutation))
        loaded = Settings.load(path)
        for f in fields(Settings):
            value = getattr(loaded, f.name)
            assert type(value) is type(getattr(Settings(), f.name)), f.name
            assert not isinstance(value, float) or math.isfinite(value), f.name
        assert 0 <= loaded.camera <= 9999 and len(loaded.difficulty) < 20
        loaded.save(folder / "again.json")
        assert Settings.load(folder / "again.json") == loaded
        strict_json(folder / "again.json")
        return "kept" if path.exists() else "set aside"

    attempt("settings.json", run)


@given(save_mutations)
def fuzz_progress(mutation: tuple[str, Any, Any]) -> None:
    folder = WORK / "progress"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    path = folder / "progress.json"

    def run() -> str:
        path.write_bytes(mutate_save(base_progress(), mutation))
        store = ProgressStore(path)
        for level_id in store.level_ids():
            best = store.best(level_id)
            assert best is None or math.isfinite(best.score), best
            assert all(len(p.grade) <= 8 for p in store.history(level_id))
        kept = "kept" if path.exists() else "set aside"
        store.record("x", PlayRecord(50.0, "D", 40.0))
        assert strict_json(path)["levels"]["x"]["history"][-1]["score"] == 50.0
        return kept

    attempt("progress.json", run)


# ------------------------------------------------------------------ main

FUZZERS = {"level.toml": fuzz_level_toml, "pose.npz": fuzz_pose,
           "settings.json": fuzz_settings, "progress.json": fuzz_progress}  # fmt: skip


def limit_memory(headroom_mb: int) -> int:
    """Cap this process's address space at what is mapped now plus `headroom_mb`."""
    status = Path("/proc/self/status").read_text()
    mapped_kb = int(re.search(r"^VmSize:\s+(\d+) kB", status, re.MULTILINE).group(1))
    cap = mapped_kb * 1024 + headroom_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (cap, resource.getrlimit(resource.RLIMIT_AS)[1]))
    return cap // 2**20


def main() -> int:
    global SURVEY
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=150, help="mutations per target")
    parser.add_argument("--odd-examples", type=int, default=None,
                        help="cases per odd-kind target (default: --examples)")  # fmt: skip
    parser.add_argument("--only", nargs="+", metavar="TARGET", help="run only these targets")
    parser.add_argument("--survey", action="store_true", help="tally failures, do not stop")
    parser.add_argument("--memory-mb", type=int, default=1024, help="address space headroom")
    args = parser.parse_args()
    SURVEY = args.survey
    cap = limit_memory(args.memory_mb) if Path("/proc/self/status").exists() else None
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    started = time.perf_counter()
    quiet = {"suppress_health_check": list(HealthCheck), "database": None, "deadline": None}
    odd = fuzz_odd_kinds.fuzzers(attempt, WORK)
    odd_examples = args.odd_examples if args.odd_examples is not None else args.examples
    chosen = [(name, fuzzer, args.examples) for name, fuzzer in FUZZERS.items()]
    chosen += [(name, fuzzer, odd_examples) for name, fuzzer in odd.items()]
    try:
        for name, fuzzer, examples in chosen:
            if args.only is None or name in args.only:
                settings(max_examples=examples, **quiet)(fuzzer)()
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
        report = {
            "mutations": dict(COUNTS), "total": sum(COUNTS.values()),
            "outcomes": dict(OUTCOMES), "failures": dict(FAILURES.most_common()),
            "seconds": round(time.perf_counter() - started, 1), "memory_cap_mb": cap,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "rss_before_mb": rss_before,
        }  # fmt: skip
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
