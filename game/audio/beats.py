"""Tempo, first beat and onset envelopes of a song (librosa)."""

from __future__ import annotations

from dataclasses import dataclass

import librosa
import numpy as np

ANALYSIS_RATE = 22050
HOP = 512
ENVELOPE_RATE = ANALYSIS_RATE / HOP  # onset envelope frames per second


@dataclass(frozen=True)
class Tempo:
    bpm: float
    offset: float  # seconds to the first tracked beat
    beats: np.ndarray  # every tracked beat, seconds


def onset_envelope(mono: np.ndarray, rate: int = ANALYSIS_RATE) -> np.ndarray:
    """Onset strength at ENVELOPE_RATE frames per second of mono samples at `rate`."""
    if rate != ANALYSIS_RATE:
        mono = librosa.resample(mono, orig_sr=rate, target_sr=ANALYSIS_RATE)
    if len(mono) < HOP * 4:
        return np.zeros(0, np.float32)
    return librosa.onset.onset_strength(y=mono, sr=ANALYSIS_RATE, hop_length=HOP).astype(np.float32)


def track_tempo(mono: np.ndarray, rate: int = ANALYSIS_RATE) -> Tempo | None:
    """BPM and first-beat offset by beat tracking; None when no steady beat is found.

    The offset is the first beat of the constant-tempo grid that best fits all tracked
    beats (by their mean phase).
    """
    envelope = onset_envelope(mono, rate)
    if envelope.size < 8 or not np.isfinite(envelope).all() or envelope.max() <= 0:
        return None
    tempo, frames = librosa.beat.beat_track(
        onset_envelope=envelope, sr=ANALYSIS_RATE, hop_length=HOP
    )
    beats = librosa.frames_to_time(frames, sr=ANALYSIS_RATE, hop_length=HOP)
    bpm = float(np.atleast_1d(tempo)[0])
    if len(beats) < 4 or not bpm > 0:
        return None
    period = 60.0 / bpm
    # the grid's phase: circular mean of every beat's phase, so one stray beat cannot shift it
    phase = np.angle(np.exp(2j * np.pi * beats / period).mean()) / (2 * np.pi) * period
    offset = float(phase % period)
    return Tempo(bpm=bpm, offset=offset, beats=beats)
