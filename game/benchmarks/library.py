"""A big library of small levels: `cover-dance levels` and level select's entry, timed, with
the peak memory of each (each runs in a fresh process so one's peak does not hide the other's).

The levels are written into a temp folder: the first by the level writer, the others as
copies of it with their own level.toml (title, tempo) and the same pose and song files
hard-linked (so 10,000 levels take little disk). Each is 30 s of a dancer at 15 fps, about
240 KB of pose arrays once loaded.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import tomli_w

from game.benchmarks import benchmark
from game.errors import UserError
from game.pose.frame import PoseTrack

DEFAULT_LEVELS = 10_000
SONG_S = 30.0
POSE_FPS = 15.0


def small_track(seconds: float = SONG_S, fps: float = POSE_FPS) -> PoseTrack:
    """A dancer swaying for `seconds`: a valid pose track with every joint seen."""
    times = np.arange(0.0, seconds + 1.0, 1.0 / fps)
    rng = np.random.default_rng(7)
    rest = rng.uniform(0.3, 0.7, (33, 3)).astype(np.float32)
    sway = 0.05 * np.sin(2 * np.pi * times / 2.0)[:, None, None].astype(np.float32)
    landmarks = rest[None] + sway * rng.uniform(-1, 1, (1, 33, 3)).astype(np.float32)
    visibility = np.full((len(times), 33), 0.9, np.float32)
    return PoseTrack(times, landmarks, visibility, 1.0)


def silent_wav(seconds: float, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(2 * int(seconds * rate)))
    return buffer.getvalue()


def write_library(root: Path, count: int) -> None:
    """`count` small valid levels under `root` (see the module's docstring)."""
    from game.level.model import LEVEL_FILE, POSE_FILE, LevelMeta
    from game.level.writer import write_level

    meta = LevelMeta(
        title="Level 0", audio="song.wav", bpm=120.0, offset=0.0, beats_per_window=2.0,
        duration=SONG_S, artist="Bench", rating="easy",
    )  # fmt: skip
    first = write_level(root / "level-00000", meta, small_track(), {"song.wav": silent_wav(SONG_S)})
    for i in range(1, count):
        folder = root / f"level-{i:05d}"
        folder.mkdir()
        data = meta.to_toml_dict() | {"title": f"Level {i}", "bpm": 100.0 + i % 60}
        (folder / LEVEL_FILE).write_bytes(tomli_w.dumps(data).encode("utf-8"))
        for name in (POSE_FILE, "song.wav"):
            try:
                os.link(first / name, folder / name)
            except OSError:  # a file system without hard links
                shutil.copyfile(first / name, folder / name)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _level_select_entry(root: Path) -> Callable[[], None]:
    """A headless game on a blank scene, `root` its player's levels; returns what opens
    level select over it and draws the first frame (its entry)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    import pygame

    from game.app import SCREEN_SIZE, Game, GameContext
    from game.audio.player import SilentAudio
    from game.audio.sfx import SoundEffects
    from game.config import Settings
    from game.inputs import InputPlan
    from game.progress import ProgressStore
    from game.scenes.level_select import LevelSelectScene
    from game.scenes.stack import Scene

    pygame.init()
    clock = time.perf_counter
    ctx = GameContext(
        screen=pygame.Surface(SCREEN_SIZE), now=clock, settings=Settings(),
        audio=SilentAudio(clock), sfx=SoundEffects(), plan=InputPlan("demo"),
        level_roots=(root.parent / "no-bundled-levels", root),
        progress=ProgressStore(root.parent / "progress.json"),
    )  # fmt: skip
    game = Game(ctx, Scene(ctx))

    def enter() -> None:
        ctx.stack.push(LevelSelectScene(ctx))
        game.frame([])

    return enter


def measure(phase: str, root: Path) -> dict[str, float]:
    """Run one phase in this process: its seconds, and the process's peak memory before and
    after it (MB)."""
    if phase == "levels":
        os.environ["COVER_DANCE_HOME"] = str(root.parent)
        from game.cli import build_parser, main

        build_parser()  # every command's imports (scipy...) done before the clock starts

        def run() -> None:
            with contextlib.redirect_stdout(io.StringIO()):
                main(["levels"])
    else:
        run = _level_select_entry(root)
    before = _peak_mb()
    start = time.perf_counter()
    run()
    return {"seconds": time.perf_counter() - start, "peak_mb": _peak_mb(), "before_mb": before}


def _in_fresh_process(phase: str, root: Path) -> dict[str, float] | str:
    """`measure(phase, root)` in a new Python process, or its last error line."""
    command = [sys.executable, "-m", "game.benchmarks.library", phase, str(root)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return (done.stderr.strip().splitlines() or ["failed"])[-1]
    return json.loads(done.stdout.strip().splitlines()[-1])


@benchmark("library")
def library(args: argparse.Namespace) -> list[str]:
    count = getattr(args, "levels", None) or DEFAULT_LEVELS
    if count < 1:
        raise UserError(f"--levels {count}: at least 1")
    work = Path(tempfile.mkdtemp(prefix="cover-dance-library-"))
    try:
        root = work / "levels"
        start = time.perf_counter()
        write_library(root, count)
        lines = [f"{count} levels of {SONG_S:.0f} s written in {time.perf_counter() - start:.1f} s"]
        names = {"levels": "`cover-dance levels`", "select": "level select's entry"}
        for phase, name in names.items():
            got = _in_fresh_process(phase, root)
            if isinstance(got, str):
                lines.append(f"{name}: failed ({got})")
                continue
            lines.append(
                f"{name}: {got['seconds']:.2f} s, peak memory {got['peak_mb']:.0f} MB "
                f"({got['peak_mb'] - got['before_mb']:.0f} MB over the "
                f"{got['before_mb']:.0f} MB before it)"
            )
        return lines
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":  # one phase in a fresh process: prints one JSON line
    print(json.dumps(measure(sys.argv[1], Path(sys.argv[2]))))
