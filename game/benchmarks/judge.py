"""Judging speed: a 3-minute song (5,400 reference frames, 360 windows) judged in one go."""

from __future__ import annotations

import argparse
import time

import numpy as np

from game.benchmarks import benchmark
from game.errors import UserError
from game.level.library import bundled_levels_dir
from game.level.loader import load_level
from game.pose.frame import PoseTrack
from game.scoring.judge import Judge
from game.timing.beat_grid import BeatGrid

SONG_S = 180.0
FPS = 30.0
WINDOWS = 360
GOAL_MS = 50.0
REPEATS = 7


def three_minute_track() -> tuple[PoseTrack, str]:
    """A bundled level's dance, looped to three minutes at 30 fps."""
    folder = bundled_levels_dir()
    if folder is None or not (folder / "starlight-rush").is_dir():
        raise UserError("bundled levels not found: run `cover-dance build-levels`")
    level = load_level(folder / "starlight-rush")
    source = level.pose
    times = np.arange(0.0, SONG_S, 1.0 / FPS)
    index = np.searchsorted(source.times, times % source.duration).clip(0, len(source) - 1)
    track = PoseTrack(times, source.landmarks[index], source.visibility[index], source.aspect)
    return track, level.meta.angle_set


@benchmark("judge")
def judge_song(args: argparse.Namespace) -> list[str]:
    reference, angle_set = three_minute_track()
    grid = BeatGrid(bpm=120.0, offset=0.0, beats_per_window=1.0, window_count=WINDOWS)
    rng = np.random.default_rng(0)
    noisy = reference.landmarks + rng.normal(0, 0.004, reference.landmarks.shape).astype(np.float32)
    player = PoseTrack(reference.times + 0.12, noisy, reference.visibility, reference.aspect)
    from game.pose.skeleton import angle_set as specs_for

    specs = specs_for(angle_set)
    tolerances = np.array([s.tolerance_deg for s in specs], np.float32)
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        judge = Judge(reference, grid, specs, tolerances)
        events = judge.judge_track(player)
        timings.append((time.perf_counter() - start) * 1000.0)
    median = float(np.median(timings))
    verdict = "ok" if median < GOAL_MS else "SLOWER than the goal"
    return [
        f"judge: {len(reference)} reference frames, {len(events)} windows, {len(specs)} angles: "
        f"median {median:.1f} ms, best {min(timings):.1f} ms over {REPEATS} runs "
        f"(goal < {GOAL_MS:.0f} ms: {verdict})"
    ]
