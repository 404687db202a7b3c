"""Instruments and effects from numpy: oscillators, envelopes, filters, drums and voices."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

SAMPLE_RATE = 44100


def midi_hz(note: float) -> float:
    return 440.0 * 2.0 ** ((note - 69.0) / 12.0)


def _polyblep(t: np.ndarray, dt: np.ndarray | float) -> np.ndarray:
    """Band-limiting correction for a naive sawtooth's jump (phase t in 0..1)."""
    out = np.zeros_like(t)
    dt = np.broadcast_to(np.asarray(dt, np.float64), t.shape)
    low = t < dt
    x = t[low] / dt[low]
    out[low] = x + x - x * x - 1.0
    high = t > 1.0 - dt
    x = (t[high] - 1.0) / dt[high]
    out[high] = x * x + x + x + 1.0
    return out


def _phase(
    freq: np.ndarray | float, n: int, start: float = 0.0
) -> tuple[np.ndarray, np.ndarray | float]:
    """Oscillator phase (0..1) and phase increment per sample."""
    if np.ndim(freq) == 0:
        inc = float(freq) / SAMPLE_RATE
        return _wrap(start + np.arange(n) * inc), inc
    inc_array = np.asarray(freq, np.float64) / SAMPLE_RATE
    return _wrap(start + np.cumsum(inc_array) - inc_array[0]), inc_array


def _wrap(x: np.ndarray) -> np.ndarray:
    return x - np.floor(x)


def saw(freq: np.ndarray | float, n: int, start: float = 0.0) -> np.ndarray:
    t, dt = _phase(freq, n, start)
    return 2.0 * t - 1.0 - _polyblep(t, dt)


def pulse(freq: np.ndarray | float, n: int, width: float = 0.5, start: float = 0.0) -> np.ndarray:
    t, dt = _phase(freq, n, start)
    t2 = (t + width) % 1.0
    return (2.0 * t - _polyblep(t, dt)) - (2.0 * t2 - _polyblep(t2, dt))


def sine(freq: np.ndarray | float, n: int, start: float = 0.0) -> np.ndarray:
    t, _ = _phase(freq, n, start)
    return np.sin(2.0 * np.pi * t)


def envelope(
    n: int, gate: int, attack: float, decay: float, sustain: float, release: float
) -> np.ndarray:
    """ADSR over `n` samples, key held for `gate` samples; exponential decay and release,
    ending at exactly zero so notes never click."""
    t = np.arange(n) / SAMPLE_RATE
    attack = max(attack, 0.002)
    held = np.where(
        t < attack, t / attack, sustain + (1.0 - sustain) * np.exp(-(t - attack) / decay)
    )
    gate_s = gate / SAMPLE_RATE
    at_gate = (
        gate_s / attack
        if gate_s < attack
        else sustain + (1.0 - sustain) * np.exp(-(gate_s - attack) / decay)
    )
    env = np.where(t < gate_s, held, at_gate * np.exp(-(t - gate_s) / release))
    fade = min(n, int(0.004 * SAMPLE_RATE))
    env[n - fade :] *= np.linspace(1.0, 0.0, fade)
    return env


def _sos(kind: str, cutoff: float | tuple[float, float], order: int = 2) -> np.ndarray:
    from scipy import signal  # here, not at the top: 1.5 s that every command would pay

    return signal.butter(order, cutoff, btype=kind, fs=SAMPLE_RATE, output="sos")


def filt(
    x: np.ndarray, kind: str, cutoff: float | tuple[float, float], order: int = 2
) -> np.ndarray:
    from scipy import signal

    return signal.sosfilt(_sos(kind, cutoff, order), x, axis=-1)


def _pan(mono: np.ndarray, pan: float) -> np.ndarray:
    """Constant-power pan, -1 left .. +1 right, to a (2, n) array."""
    angle = (pan + 1.0) * np.pi / 4.0
    return np.stack([mono * np.cos(angle), mono * np.sin(angle)])


class Bus:
    """A stereo buffer that sounds are added into at sample positions."""

    def __init__(self, n: int) -> None:
        self.data = np.zeros((2, n), np.float64)

    def add(self, sound: np.ndarray, at: float, gain: float = 1.0, pan: float = 0.0) -> None:
        start = round(at * SAMPLE_RATE)
        stereo = _pan(sound, pan) if sound.ndim == 1 else sound
        end = min(self.data.shape[1], start + stereo.shape[1])
        if end <= start or start < 0:
            return
        self.data[:, start:end] += gain * stereo[:, : end - start]


# ---------------------------------------------------------------- drums


class DrumKit:
    """One-shot drum sounds, rendered once per song from a seeded noise source."""

    def __init__(self, rng: np.random.Generator) -> None:
        sr = SAMPLE_RATE

        def noise(seconds: float) -> np.ndarray:
            return rng.standard_normal(int(seconds * sr))

        def t(seconds: float) -> np.ndarray:
            return np.arange(int(seconds * sr)) / sr

        tk = t(0.45)
        freq = 46.0 + 120.0 * np.exp(-tk / 0.03)
        body = np.sin(2 * np.pi * np.cumsum(freq) / sr) * np.exp(-tk / 0.16)
        click = filt(noise(0.45), "lowpass", 3000) * np.exp(-tk / 0.004) * 0.3
        self.kick = self._finish(np.tanh(1.6 * (body + click)))

        ts = t(0.35)
        tone = (np.sin(2 * np.pi * 185 * ts) + 0.5 * np.sin(2 * np.pi * 330 * ts)) * np.exp(
            -ts / 0.06
        )
        rattle = filt(noise(0.35), "bandpass", (1500, 9000)) * np.exp(-ts / 0.12)
        self.snare = self._finish(0.6 * tone + 0.9 * rattle)

        tc = t(0.4)
        bursts = sum(
            np.exp(-np.clip(tc - d, 0, None) / 0.007) * (tc >= d) for d in (0, 0.011, 0.022)
        )
        tail = np.exp(-np.clip(tc - 0.03, 0, None) / 0.13) * (tc >= 0.03)
        self.clap = self._finish(filt(noise(0.4), "bandpass", (900, 3500)) * (bursts + 0.6 * tail))

        th = t(0.12)
        self.hat = self._finish(filt(noise(0.12), "highpass", 7000) * np.exp(-th / 0.03))
        to = t(0.5)
        self.open_hat = self._finish(filt(noise(0.5), "highpass", 6500) * np.exp(-to / 0.2))

        tcr = t(2.5)
        crash = filt(noise(2.5), "highpass", 3500) + 0.4 * filt(noise(2.5), "bandpass", (600, 2500))
        self.crash = self._finish(crash * np.exp(-tcr / 0.7))

        tst = t(0.12)
        self.stick = self._finish(
            (np.sin(2 * np.pi * 1700 * tst) + 0.6 * np.sin(2 * np.pi * 2550 * tst))
            * np.exp(-tst / 0.025)
        )

    @staticmethod
    def _finish(x: np.ndarray) -> np.ndarray:
        """Normalise to peak 1, with a 1 ms fade-in and a 5 ms fade-out (no clicks)."""
        x = x / (np.max(np.abs(x)) + 1e-12)
        a, r = int(0.001 * SAMPLE_RATE), int(0.005 * SAMPLE_RATE)
        x[:a] *= np.linspace(0, 1, a)
        x[-r:] *= np.linspace(1, 0, r)
        return x


# ---------------------------------------------------------------- instruments


def lead_note(midi: int, seconds: float, velocity: float) -> np.ndarray:
    n = int((seconds + 0.25) * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    vibrato = 1.0 + 0.004 * np.sin(2 * np.pi * 5.2 * t) * np.clip((t - 0.15) / 0.2, 0, 1)
    f = midi_hz(midi) * vibrato
    tone = 0.55 * pulse(f, n, 0.3) + 0.45 * saw(f * 1.003, n) + 0.25 * sine(f * 2, n)
    tone = filt(tone, "lowpass", min(5200.0, midi_hz(midi) * 7))
    env = envelope(n, int(seconds * SAMPLE_RATE), 0.008, 0.18, 0.55, 0.12)
    return tone * env * velocity


def bell_note(midi: int, seconds: float, velocity: float) -> np.ndarray:
    n = int((seconds + 0.6) * SAMPLE_RATE)
    f = midi_hz(midi)
    tone = sine(f, n) + 0.3 * sine(f * 3.0, n) * np.exp(-np.arange(n) / SAMPLE_RATE / 0.15)
    return tone * envelope(n, int(seconds * SAMPLE_RATE), 0.003, 0.35, 0.0, 0.4) * velocity


def bass_note(midi: int, seconds: float, velocity: float) -> np.ndarray:
    n = int((seconds + 0.08) * SAMPLE_RATE)
    f = midi_hz(midi)
    tone = 0.6 * saw(f, n) + 0.8 * sine(f, n) + 0.3 * sine(f / 2, n)
    tone = filt(tone, "lowpass", 650)
    return tone * envelope(n, int(seconds * SAMPLE_RATE), 0.004, 0.25, 0.7, 0.05) * velocity


def chord_sound(
    notes: Sequence[int], seconds: float, *, stab: bool, rng: np.random.Generator, bright: float
) -> np.ndarray:
    """Detuned saws spread across the stereo field (a small supersaw)."""
    release = 0.12 if stab else 0.35
    n = int((seconds + release * 5) * SAMPLE_RATE)
    out = np.zeros((2, n))
    for midi in notes:
        for detune, pan in ((-0.12, -0.6), (0.0, 0.0), (0.12, 0.6)):
            f = midi_hz(midi + detune)
            out += _pan(saw(f, n, float(rng.random())), pan)
    out = filt(out, "lowpass", bright)
    if stab:
        env = envelope(n, int(seconds * SAMPLE_RATE), 0.004, 0.09, 0.25, release)
    else:
        env = envelope(n, int(seconds * SAMPLE_RATE), 0.06, 0.6, 0.75, release)
    return out * env / (3 * len(notes))


# ---------------------------------------------------------------- effects


def reverb(x: np.ndarray, rng: np.random.Generator, seconds: float = 1.6) -> np.ndarray:
    """Convolution with a decaying, darkening noise tail (one per channel)."""
    n = int(seconds * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    ir = rng.standard_normal((2, n)) * np.exp(-t / 0.32)
    ir = filt(ir, "lowpass", 5000)
    ir[:, : int(0.012 * SAMPLE_RATE)] = 0.0  # pre-delay
    ir /= np.sqrt((ir**2).sum(axis=1, keepdims=True))
    from scipy import signal

    wet = signal.oaconvolve(x, ir, axes=1)[:, : x.shape[1]]
    return wet


def ping_pong(x: np.ndarray, delay: float, feedback: float = 0.38, taps: int = 4) -> np.ndarray:
    """Echoes of the mono sum bouncing left and right, each a little darker."""
    mono = x.mean(axis=0)
    out = np.zeros_like(x)
    d = round(delay * SAMPLE_RATE)
    echo = mono
    for k in range(1, taps + 1):
        echo = filt(echo, "lowpass", 4500, 1)
        shift = k * d
        if shift >= mono.shape[0]:
            break
        out[(k + 1) % 2, shift:] += feedback**k * echo[: mono.shape[0] - shift]
    return out


def sidechain(n: int, kick_times: Sequence[float], depth: float = 0.55) -> np.ndarray:
    """Gain that dips after every kick and recovers: the pumping of dance pop."""
    gain = np.ones(n)
    length = int(0.3 * SAMPLE_RATE)
    t = np.arange(length) / SAMPLE_RATE
    dip = 1.0 - depth * np.exp(-t / 0.09) * np.clip(t / 0.005, 0, 1)
    for at in kick_times:
        s = round(at * SAMPLE_RATE)
        e = min(n, s + length)
        if 0 <= s < e:
            gain[s:e] = np.minimum(gain[s:e], dip[: e - s])
    return gain
