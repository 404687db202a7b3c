"""Group tracking vs the bare single-person model, decode included, on the same frames."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from game.benchmarks import benchmark, clips
from game.capture.video import iter_video, probe_video
from game.leftovers import scratch_folder

GOAL = 6.0  # group tracking / bare single-pose time


def _group_clips(args: argparse.Namespace) -> list[Path]:
    found = clips(args)
    if getattr(args, "clip", None):
        return found
    return [p for p in found if p.stem.startswith("group")] or found[:1]


def bare_single(clip: Path, end: float) -> tuple[float, int]:
    """Seconds to decode the clip up to `end` and run the single-person model on every frame."""
    from game.pose.factory import make_players_estimator

    estimator = make_players_estimator(1)
    start = time.perf_counter()
    frames = 0
    for frame in iter_video(clip, end=end):
        estimator.estimate_players(frame.image, frame.time)
        frames += 1
    elapsed = time.perf_counter() - start
    estimator.close()
    return elapsed, frames


def group_tracking(clip: Path, end: float, models: Path) -> tuple[float, int]:
    """Seconds to track every dancer up to `end` (the tracker's own decode included)."""
    from game.capture.group.runner import track_group

    start = time.perf_counter()
    group = track_group(clip, models, end=end)
    return time.perf_counter() - start, group.count


@benchmark("group-import")
def group_import(args: argparse.Namespace) -> list[str]:
    """Per clip: tracking every dancer vs the bare single-person model over the same frames."""
    lines, ratios = [], []
    with scratch_folder("bench") as scratch:
        for clip in _group_clips(args):
            info = probe_video(clip)
            end = min(info.duration, args.frames / info.fps)
            bare, frames = bare_single(clip, end)
            group, dancers = group_tracking(clip, end, Path(scratch))
            ratios.append(group / bare)
            lines.append(
                f"{clip.name} {info.width}x{info.height}, {frames} frames: bare single-pose "
                f"{1000 * bare / frames:.0f} ms/frame, group tracking {1000 * group / frames:.0f} "
                f"ms/frame ({dancers} dancers), ratio {group / bare:.1f}"
            )
    verdict = "ok" if max(ratios) <= GOAL else "above goal"
    lines.append(f"ratio group/bare: max {max(ratios):.1f} (goal <= {GOAL:g}): {verdict}")
    return lines
