"""Group tracking vs the bare single-person model, decode included, on the same frames: on
each group clip, and on a five-dancer 1280x720 clip made of two of them side by side (the
three of group3_studio beside the two of group2_wall, as a five-member practice video)."""

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


def five_dancers(clips_found: list[Path], out: Path, seconds: float) -> Path | None:
    """The five-dancer 720p clip (video only), or None without its two source clips."""
    import cv2
    import numpy as np

    by_name = {p.stem: p for p in clips_found}
    if "group3_studio" not in by_name or "group2_wall" not in by_name:
        return None
    writer = cv2.VideoWriter(str(out), cv2.VideoWriter_fourcc(*"mp4v"), 30.0, (1280, 720))
    left = iter_video(by_name["group3_studio"], end=seconds)
    right = iter_video(by_name["group2_wall"], end=seconds)
    for a, b in zip(left, right, strict=False):
        canvas = np.full((720, 1280, 3), 90, np.uint8)
        canvas[:, 100:505] = cv2.resize(a.image, (405, 720), interpolation=cv2.INTER_AREA)
        canvas[:, 620:1140] = cv2.resize(b.image[:, 140:400], (520, 720))
        writer.write(cv2.cvtColor(canvas, cv2.COLOR_RGB2BGR))
    writer.release()
    return out


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


def group_tracking(clip: Path, end: float) -> tuple[float, int]:
    """Seconds to track every dancer up to `end` (the tracker's own decode included)."""
    from game.capture.group.runner import track_group
    from game.capture.request import TrackRequest

    start = time.perf_counter()
    group = track_group(TrackRequest.of(clip), end=end)
    return time.perf_counter() - start, group.count


@benchmark("group-import")
def group_import(args: argparse.Namespace) -> list[str]:
    """Per clip: tracking every dancer vs the bare single-person model over the same frames."""
    lines, ratios = [], []
    with scratch_folder("bench") as scratch:
        chosen = _group_clips(args)
        if not getattr(args, "clip", None):
            five = five_dancers(chosen, Path(scratch) / "five-dancers.mp4", args.frames / 30 + 0.1)
            chosen += [five] if five is not None else []
        for clip in chosen:
            info = probe_video(clip)
            end = min(info.duration, args.frames / info.fps)
            bare, frames = bare_single(clip, end)
            group, dancers = group_tracking(clip, end)
            ratios.append(group / bare)
            lines.append(
                f"{clip.name} {info.width}x{info.height}, {frames} frames: bare single-pose "
                f"{1000 * bare / frames:.0f} ms/frame, group tracking {1000 * group / frames:.0f} "
                f"ms/frame ({dancers} dancers), ratio {group / bare:.1f}"
            )
    verdict = "ok" if max(ratios) <= GOAL else "above goal"
    lines.append(f"ratio group/bare: max {max(ratios):.1f} (goal <= {GOAL:g}): {verdict}")
    return lines
