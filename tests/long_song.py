"""Full-length songs for tests: a shared clip looped to 3-4 minutes with its own music.

Real K-pop songs run 3-4 minutes; the shared clips run 8-31 s. `looped_clip` plays a clip
over and over (picture and sound, each loop starting where the last ended) into an H.264 +
AAC MP4, at a reduced size so tracking it stays cheap. Nothing here is committed media: the
file is made in a temp folder when a test needs it.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

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
