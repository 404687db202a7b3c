"""Pose tracking figures: pipeline vs bare model fps, two players fps, capture->pose latency."""

from __future__ import annotations

import argparse
import time
from itertools import islice

import numpy as np

from game.benchmarks import benchmark, clips
from game.capture.pipeline import PosePipeline
from game.capture.stream import IteratorSource, video_source
from game.capture.video import iter_side_by_side, iter_video, probe_video
from game.pose.players import PlayersEstimator

SINGLE_GOAL = 0.9  # pipeline fps / bare model fps
TWO_GOAL = 25.0  # fps with both players tracked
REPEATS = 2


def _estimator(players: int) -> PlayersEstimator:
    from game.pose.factory import make_players_estimator

    return make_players_estimator(players)


def _run_pipeline(source: IteratorSource, players: int) -> tuple[PosePipeline, float]:
    """Run a pipeline over a finite source; (pipeline, seconds from start to last pose)."""
    pipeline = PosePipeline(source, _estimator(players), smooth=True, clock=time.perf_counter)
    start = time.perf_counter()
    pipeline.start()
    pipeline.wait()
    elapsed = time.perf_counter() - start
    pipeline.close()
    return pipeline, elapsed


@benchmark("pose-single")
def single(args: argparse.Namespace) -> list[str]:
    """Per clip at native resolution: bare model fps (decoded beforehand) vs pipeline fps."""
    lines, ratios = [], []
    for clip in clips(args):
        info = probe_video(clip)
        frames = list(islice(iter_video(clip), args.frames))
        bare = fps = 0.0
        for _ in range(REPEATS):  # best of a few runs, interleaved: the machine is shared
            estimator = _estimator(1)
            start = time.perf_counter()
            found = sum(estimator.estimate_players(f.image, f.time)[0] is not None for f in frames)
            bare = max(bare, len(frames) / (time.perf_counter() - start))
            estimator.close()
            source = video_source(clip, realtime=False, end=frames[-1].time)
            pipeline, elapsed = _run_pipeline(source, 1)
            fps = max(fps, pipeline.frames_processed / elapsed)
        ratios.append(fps / bare)
        lines.append(
            f"{clip.name} {info.width}x{info.height}: pipeline {fps:.1f} fps, bare model "
            f"{bare:.1f} fps, ratio {fps / bare:.2f}; dancer found in "
            f"{100 * found / len(frames):.0f}% of {len(frames)} frames"
        )
    verdict = "ok" if min(ratios) >= SINGLE_GOAL else "below goal"
    lines.append(
        f"ratio pipeline/bare: median {np.median(ratios):.2f}, min {min(ratios):.2f} "
        f"(goal >= {SINGLE_GOAL}): {verdict}"
    )
    return lines


def _pair(args: argparse.Namespace) -> tuple[str, str]:
    found = clips(args)
    left = found[0]
    right = found[1] if len(found) > 1 else found[0]
    return str(left), str(right)


@benchmark("pose-two")
def two(args: argparse.Namespace) -> list[str]:
    """Two clips side by side in one frame, both players tracked, as fast as possible."""
    left, right = _pair(args)
    frames = islice(iter_side_by_side(left, right), args.frames)
    pipeline, elapsed = _run_pipeline(IteratorSource(frames, "pair", realtime=False), 2)
    fps = pipeline.frames_processed / elapsed
    image = pipeline.latest_image()
    size = f"{image.shape[1]}x{image.shape[0]}" if image is not None else "?"
    verdict = "ok" if fps >= TWO_GOAL else "below goal"
    return [f"two players, {size} frames: {fps:.1f} fps (goal >= {TWO_GOAL:g}): {verdict}"]


def _latency_line(label: str, pipeline: PosePipeline, elapsed: float) -> str:
    ms = 1000.0 * np.array(pipeline.latencies)
    return (
        f"{label}: capture->pose median {np.median(ms):.0f} ms, p95 {np.percentile(ms, 95):.0f} ms"
        f" ({pipeline.frames_processed} frames at {pipeline.frames_processed / elapsed:.1f} fps)"
    )


@benchmark("pose-latency")
def latency(args: argparse.Namespace) -> list[str]:
    """Clips paced in real time like a camera: delay from capture stamp to pose available."""
    left, right = _pair(args)
    seconds = args.frames / probe_video(left).fps
    single_src = video_source(left, realtime=True, clock=time.perf_counter, end=seconds)
    pipeline, elapsed = _run_pipeline(single_src, 1)
    info = probe_video(left)
    lines = [_latency_line(f"one player, {info.width}x{info.height}", pipeline, elapsed)]
    frames = islice(iter_side_by_side(left, right), args.frames)
    pair_src = IteratorSource(frames, "pair", realtime=True, clock=time.perf_counter)
    pipeline, elapsed = _run_pipeline(pair_src, 2)
    lines.append(_latency_line("two players", pipeline, elapsed))
    return lines
