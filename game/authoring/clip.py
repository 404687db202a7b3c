"""Cut a span out of a video with PyAV (H.264, video only), so its time 0 is the span's start."""

from __future__ import annotations

import contextlib
from fractions import Fraction
from pathlib import Path

import av

from game.errors import UserError

MAX_HEIGHT = 720  # the game shows the dancer in a panel; no need for more


def transcode_span(source: Path, target: Path, start: float, end: float | None) -> None:
    """Write `source` from `start` to `end` seconds to `target` (.mp4), times starting at 0."""
    try:
        src = av.open(str(source))
    except av.FFmpegError as exc:
        raise UserError(f"{source}: cannot be read to copy its video ({exc})") from exc
    with contextlib.closing(src):
        stream = src.streams.video[0]
        stream.thread_type = "AUTO"
        rate = stream.average_rate or Fraction(30)
        width, height = stream.codec_context.width, stream.codec_context.height
        if height > MAX_HEIGHT:
            width, height = round(width * MAX_HEIGHT / height / 2) * 2, MAX_HEIGHT
        width, height = width - width % 2, height - height % 2
        if start > 0:
            with contextlib.suppress(av.FFmpegError):
                src.seek(int(start / stream.time_base), stream=stream, backward=True)
        with av.open(str(target), "w", format="mp4") as out:
            encoder = out.add_stream("libx264", rate=rate)
            encoder.width, encoder.height, encoder.pix_fmt = width, height, "yuv420p"
            encoder.options = {"preset": "veryfast", "crf": "23"}
            encoder.codec_context.time_base = Fraction(1, 1000)
            last = -1
            for frame in src.decode(stream):
                t = float(frame.time) if frame.time is not None else 0.0
                if t < start - 1e-6:
                    continue
                if end is not None and t > end + 1e-6:
                    break
                pts = round((t - start) * 1000)
                if pts <= last:
                    continue
                last = pts
                image = frame.reformat(width=width, height=height, format="yuv420p")
                image.pts, image.time_base = pts, Fraction(1, 1000)
                for packet in encoder.encode(image):
                    out.mux(packet)
            for packet in encoder.encode():
                out.mux(packet)
