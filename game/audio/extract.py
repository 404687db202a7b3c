"""Decode the sound track of a video (or any media file) with PyAV, and write it as OGG."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from game.audio.ogg import ogg_vorbis_bytes
from game.errors import UserError

SEEK_MARGIN_S = 1.0  # decode from this long before `start` and stop this long after `end`


class NoAudioError(UserError):
    """The file has no audio stream."""


@dataclass(frozen=True)
class Audio:
    """Samples (frames, channels) in -1..1 at `rate` Hz; `start`: media time of sample 0."""

    samples: np.ndarray
    rate: int
    start: float = 0.0

    @property
    def duration(self) -> float:
        return self.samples.shape[0] / self.rate

    def mono(self) -> np.ndarray:
        return self.samples.mean(axis=1).astype(np.float32)


def has_audio(path: Path | str) -> bool:
    """True if PyAV finds an audio stream in `path` (False for unreadable files too)."""
    try:
        with av.open(str(path)) as container:
            return bool(container.streams.audio)
    except (av.FFmpegError, OSError):
        return False


def decode_audio(
    path: Path | str,
    rate: int | None = None,
    mono: bool = False,
    start: float | None = None,
    end: float | None = None,
) -> Audio:
    """The first audio stream of `path`, resampled to `rate` (None keeps the source rate).

    `start`/`end` trim in media seconds. Raises NoAudioError if there is no audio stream and
    UserError if the file cannot be decoded.
    """
    path = Path(path)
    try:
        container = av.open(str(path))
    except (av.FFmpegError, OSError) as exc:
        raise UserError(f"{path}: not a media file that can be decoded ({exc})") from exc
    with container:
        if not container.streams.audio:
            raise NoAudioError(f"{path}: has no audio track")
        stream = container.streams.audio[0]
        out_rate = int(rate or stream.codec_context.sample_rate or 44100)
        layout = (
            "mono" if mono else ("stereo" if (stream.codec_context.channels or 2) > 1 else "mono")
        )
        resampler = av.AudioResampler(format="fltp", layout=layout, rate=out_rate)
        chunks: list[np.ndarray] = []
        first_time: float | None = None
        try:
            if start is not None and start > SEEK_MARGIN_S and stream.time_base:
                # decode only what is kept: seek near the start (to a packet before it)
                target = int((start - SEEK_MARGIN_S) / stream.time_base)
                container.seek(target, stream=stream, backward=True)
            for frame in container.decode(stream):
                time = float(frame.time) if frame.time is not None else None
                if first_time is None:
                    first_time = time if time is not None else 0.0
                if end is not None and time is not None and time > end + SEEK_MARGIN_S:
                    break  # past the end: the rest is never decoded
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray())
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray())
        except av.FFmpegError as exc:
            raise UserError(f"{path}: the audio track could not be decoded ({exc})") from exc
    channels = 1 if layout == "mono" else 2
    data = np.concatenate(chunks, axis=1).T if chunks else np.zeros((0, channels), np.float32)
    data = np.ascontiguousarray(data, dtype=np.float32)
    origin = max(0.0, first_time or 0.0)
    lo = 0 if start is None else max(0, round((start - origin) * out_rate))
    hi = len(data) if end is None else max(lo, round((end - origin) * out_rate))
    return Audio(data[lo:hi], out_rate, origin + lo / out_rate)


def ogg_bytes(audio: Audio) -> bytes:
    """The audio as OGG Vorbis (what pygame.mixer.music plays), of any length."""
    return ogg_vorbis_bytes(audio.samples, audio.rate)
