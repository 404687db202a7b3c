"""`bench score-long`: `cover-dance score` of full-length pairs, its time and peak memory.

Two shared clips of one routine (renegade_a as the reference, renegade_b as the cover):
- 4 minutes of video: both looped with their music (`looped_clip`), tracked once into a
  scratch pose cache, then scored (shared music: the audio offset, the tempo near 1);
- 4 and 10 minutes of pose tracks: the clips' tracks looped (.npz, no music: the offset
  searched from the movement, the drift warp and the full tempo search, the worst case).
Each score runs in a child process: its wall time and its own peak resident memory.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from game.benchmarks import benchmark, default_realdata
from game.benchmarks.long_song import looped_clip, looped_track
from game.errors import UserError
from game.leftovers import scratch_folder

REFERENCE, COVER = "renegade_a.mp4", "renegade_b.mp4"
VIDEO_S = 240.0
TRACK_SIZES_S = (240.0, 600.0)
COVER_SHORTER_S = 3.0  # the cover's recording stops a little before the reference's
VIDEO_HEIGHT = 360


def measured(command: list[str], env: dict[str, str]) -> tuple[int, float, float, str]:
    """(exit code, wall seconds, peak resident MB, stderr tail) of one child process."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        tail = err.read().decode(errors="replace").strip()[-300:]
    return child.returncode, wall, usage.ru_maxrss / 1024, tail


def score_line(label: str, reference: Path, cover: Path, scratch: Path, cache: Path) -> str:
    """One `cover-dance score` in a child process, as a line of figures."""
    out = scratch / "score.json"
    command = [sys.executable, "-m", "game", "score", str(reference), str(cover), "--quiet",
               "--json", str(out)]  # fmt: skip
    env = {**os.environ, "COVER_DANCE_CACHE": str(cache)}
    code, wall, peak, tail = measured(command, env)
    if code != 0:
        return f"{label}: score failed ({code}): {tail}"
    result = json.loads(out.read_text())
    align = result["timings_s"].get("align", 0.0)
    return (
        f"{label}: {wall:.0f} s ({align:.0f} s aligning), peak memory {peak:.0f} MB; "
        f"score {result['score']} {result['grade']}, offset {result['offset_s']:+.2f} s "
        f"({result['alignment']['method']})"
    )


@benchmark("score-long")
def score_long(args: argparse.Namespace) -> list[str]:
    from game.capture.cache import cached_video_track
    from game.capture.request import TrackRequest
    from game.level.writer import save_pose_track

    folder = default_realdata()
    reference, cover = folder / REFERENCE, folder / COVER
    if not reference.is_file() or not cover.is_file():
        raise UserError(f"{folder}: the shared clips {REFERENCE} and {COVER} are not there")
    lines = []
    with scratch_folder("bench") as scratch_name:
        scratch = Path(scratch_name)
        cache = scratch / "cache"
        tracks = [cached_video_track(TrackRequest.of(p, 15.0)) for p in (reference, cover)]
        for seconds in TRACK_SIZES_S:
            ref_file, cover_file = scratch / "reference.npz", scratch / "cover.npz"
            save_pose_track(ref_file, looped_track(tracks[0], seconds))
            save_pose_track(cover_file, looped_track(tracks[1], seconds - COVER_SHORTER_S))
            label = f"{seconds / 60:.0f} min pose tracks (no music)"
            lines.append(score_line(label, ref_file, cover_file, scratch, cache))
        videos = [scratch / "reference.mp4", scratch / "cover.mp4"]
        looped_clip(reference, videos[0], VIDEO_S, VIDEO_HEIGHT)
        looped_clip(cover, videos[1], VIDEO_S - COVER_SHORTER_S, VIDEO_HEIGHT)
        started = time.perf_counter()
        for video in videos:
            cached_video_track(TrackRequest.of(video, 15.0), cache_dir=cache / "poses")
        tracked = time.perf_counter() - started
        label = f"{VIDEO_S / 60:.0f} min videos with music (tracked first: {tracked:.0f} s)"
        lines.append(score_line(label, videos[0], videos[1], scratch, cache))
    return lines
