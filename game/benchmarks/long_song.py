"""Full-length songs for benchmarks and tests: a short clip looped to 3-4 minutes with its
own music.

Real K-pop songs run 3-4 minutes; the shared clips run 8-31 s. `looped_clip` plays a clip
over and over (picture and sound, each loop starting where the last ended) into an H.264 +
AAC MP4 (the tests make it small, so tracking it stays cheap). Nothing here is committed
media: the file is made in a temp folder when needed.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from game.benchmarks import benchmark, clips, default_realdata
from game.capture.video import probe_video
from game.leftovers import scratch_folder
from game.pose.frame import PoseTrack

AUDIO_RATE = 44100


def _frames(source: Path, height: int) -> tuple[list[np.ndarray], Fraction]:
    """Every frame of `source` as RGB scaled to `height` rows (even sizes), and its rate."""
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        rate = Fraction(stream.average_rate or 30).limit_denominator(1001)
        width = round(stream.codec_context.width * height / stream.codec_context.height / 2) * 2
        frames = [
            frame.to_ndarray(width=width, height=height, format="rgb24")
            for frame in container.decode(stream)
        ]
    return frames, rate


def _sound(source: Path) -> np.ndarray:
    """The clip's sound as stereo float32 (2, samples) at AUDIO_RATE."""
    resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE)
    chunks: list[np.ndarray] = []
    with av.open(str(source)) as container:
        for decoded in container.decode(audio=0):
            chunks.extend(out.to_ndarray() for out in resampler.resample(decoded))
        chunks.extend(out.to_ndarray() for out in resampler.resample(None))
    return np.concatenate(chunks, axis=1).astype(np.float32)


def looped_clip(source: Path, target: Path, seconds: float, height: int = 360) -> Path:
    """`source` (video and music) looped until `seconds` long, written to `target` (.mp4)."""
    frames, rate = _frames(source, height)
    sound = _sound(source)
    loop_s = len(frames) / float(rate)
    with av.open(str(target), "w") as out:
        video = out.add_stream("libx264", rate=rate)
        video.height, video.width = frames[0].shape[:2]
        video.pix_fmt = "yuv420p"
        video.options = {"preset": "ultrafast", "crf": "28"}
        audio = out.add_stream("aac", rate=AUDIO_RATE)
        audio.layout = "stereo"
        total = round(seconds * float(rate))
        for index in range(total):
            frame = av.VideoFrame.from_ndarray(frames[index % len(frames)], "rgb24")
            frame.pts = index
            frame.time_base = 1 / rate
            out.mux(video.encode(frame))
        out.mux(video.encode())
        # the sound loops on the same period as the picture, so the two stay in step
        period = round(loop_s * AUDIO_RATE)
        written, samples = 0, round(seconds * AUDIO_RATE)
        block = 1024
        while written < samples:
            index = (np.arange(written, min(written + block, samples)) % period) % sound.shape[1]
            chunk = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(sound[:, index]), "fltp", "stereo"
            )
            chunk.sample_rate, chunk.pts = AUDIO_RATE, written
            chunk.time_base = Fraction(1, AUDIO_RATE)
            out.mux(audio.encode(chunk))
            written += len(index)
        out.mux(audio.encode(None))
    return target


def looped_track(track: PoseTrack, seconds: float, fps: float = 15.0) -> PoseTrack:
    """`track` played over and over for `seconds` at `fps` (each loop where the last ended)."""
    period = float(track.times[-1] - track.times[0]) + 1.0 / fps
    times = np.arange(0.0, seconds, 1.0 / fps)
    index = np.searchsorted(track.times - track.times[0], times % period)
    index = index.clip(0, len(track) - 1)
    return PoseTrack(times, track.landmarks[index], track.visibility[index], track.aspect)


LONG_SONG_S = 229.0  # 3:49, a real K-pop song
LONG_HEIGHT = 720
IMPORT_GOAL = 1.2  # import time / the bare model's decode + infer on the same frames


@benchmark("import-long")
def import_long(args: argparse.Namespace) -> list[str]:
    """A 3.8-minute dance video with its music (a shared clip looped, 720 rows): the whole
    `cover-dance import` (every frame) against the bare model's decode+infer on it."""
    from game.benchmarks.group import bare_single

    source = clips(args)[0] if getattr(args, "clip", None) else _default_source()
    with scratch_folder("bench") as scratch:
        clip = looped_clip(source, Path(scratch) / "long-song.mp4", LONG_SONG_S, LONG_HEIGHT)
        info = probe_video(clip)
        bare, frames = bare_single(clip, info.duration + 1.0)
        command = [sys.executable, "-m", "game", "import", str(clip), "--quiet",
                   "--out", str(Path(scratch) / "level")]  # fmt: skip
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        wall = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if done.returncode != 0:
        return [f"import failed ({done.returncode}): {done.stderr.strip()[-300:]}"]
    ratio = wall / bare
    verdict = "ok" if ratio <= IMPORT_GOAL else "above goal"
    return [
        f"{source.name} looped to {info.duration:.0f} s, {info.width}x{info.height}, {frames} "
        f"frames: bare decode+infer {bare:.0f} s ({1000 * bare / frames:.0f} ms/frame)",
        f"import (every frame, music, beat, level written) {wall:.0f} s, peak memory "
        f"{peak_mb:.0f} MB",
        f"ratio import/bare {ratio:.2f} (goal <= {IMPORT_GOAL:g}): {verdict}",
    ]


def _default_source() -> Path:
    """A full-body shared clip with its music (mruchus_nat2.mp4), else the first clip."""
    preferred = default_realdata() / "mruchus_nat2.mp4"
    return preferred if preferred.is_file() else clips(argparse.Namespace(clip=None))[0]
