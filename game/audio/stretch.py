"""Practice audio: a slice of the song (decoded with PyAV), slowed down with its pitch kept
(librosa)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import librosa
import numpy as np
import soundfile as sf

from game.atomic import atomic_write_bytes
from game.audio.extract import decode_audio


def practice_audio(song: Path, start: float, end: float, rate: float, cache_dir: Path) -> Path:
    """A WAV of `song` from `start` to `end` seconds played at `rate` (0.5 = half speed),
    pitch preserved. Cached in `cache_dir` by song, span and rate."""
    stat = song.stat()
    key = f"{song.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{start:.3f}|{end:.3f}|{rate:.3f}"
    target = cache_dir / f"practice-{hashlib.sha1(key.encode()).hexdigest()[:16]}.wav"
    if target.is_file():
        return target
    start = max(0.0, start)
    audio = decode_audio(song, start=start, end=start + max(0.1, end - start))
    samples = np.ascontiguousarray(audio.samples.T, dtype=np.float32)  # (channels, frames)
    sample_rate = audio.rate
    if abs(rate - 1.0) > 1e-3:
        samples = librosa.effects.time_stretch(samples, rate=rate)
    samples = np.clip(samples, -1.0, 1.0)
    buffer = io.BytesIO()
    sf.write(buffer, samples.T, sample_rate, format="WAV")
    atomic_write_bytes(target, buffer.getvalue())
    return target
