"""Original music from numpy: drums, bass, chords and a melody, arranged in sections.

`render_song(plan)` returns float32 stereo samples (2, N) at 44.1 kHz; `song_ogg_bytes`
encodes them as OGG Vorbis and `write_song` writes that file atomically. Everything is
deterministic from `SongPlan.seed`. Beat 0 falls at `plan.offset` seconds, after a count-in.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf
from scipy import signal

from game.atomic import atomic_write_bytes

SAMPLE_RATE = 44100
BEATS_PER_BAR = 4
STEPS_PER_BAR = 16  # sixteenth notes
ENCODE_BLOCK = 65536  # frames per libsndfile write call
OGG_SERIAL = 0x43445431  # fixed Ogg stream serial ("CDT1"), for reproducible files
SECTION_KINDS = ("intro", "verse", "pre", "chorus", "break", "outro")
MAJOR = (0, 2, 4, 5, 7, 9, 11)
PROGRESSIONS: tuple[tuple[int, ...], ...] = (
    (6, 4, 1, 5),  # vi IV I V
    (1, 5, 6, 4),  # I V vi IV
    (4, 5, 3, 6),  # IV V iii vi: the "royal road"
    (1, 6, 4, 5),  # I vi IV V
    (6, 5, 4, 5),  # vi V IV V
)

# Melody rhythms: (sixteenth step, length in steps) for one bar.
BUSY_BARS: tuple[tuple[tuple[int, int], ...], ...] = (
    ((0, 3), (3, 3), (6, 2), (8, 2), (10, 2), (12, 4)),
    ((0, 2), (2, 2), (4, 4), (10, 2), (12, 2), (14, 2)),
    ((2, 2), (4, 2), (6, 4), (10, 2), (12, 4)),
    ((0, 4), (6, 2), (8, 2), (10, 2), (12, 2), (14, 2)),
    ((0, 2), (3, 3), (6, 2), (8, 3), (11, 5)),
)
CADENCE_BARS: tuple[tuple[tuple[int, int], ...], ...] = (
    ((0, 6), (8, 8)),
    ((0, 2), (2, 2), (4, 12)),
    ((0, 3), (3, 3), (6, 10)),
)


@dataclass(frozen=True)
class Section:
    """`bars` bars of one kind (intro, verse, pre, chorus, break, outro)."""

    kind: str
    bars: int

    def __post_init__(self) -> None:
        if self.kind not in SECTION_KINDS:
            raise ValueError(f"unknown section kind {self.kind!r}; known: {SECTION_KINDS}")
        if self.bars < 1:
            raise ValueError(f"a section needs at least one bar, got {self.bars}")


@dataclass(frozen=True)
class SongPlan:
    """What to play: tempo, key, sections, and a seed for every random choice."""

    bpm: float
    seed: int
    sections: tuple[Section, ...]
    key: int = 0  # tonic pitch class, 0 = C
    pickup_beats: int = 4  # count-in before beat 0
    tail_seconds: float = 2.5  # ring-out after the final hit

    @property
    def seconds_per_beat(self) -> float:
        return 60.0 / self.bpm

    @property
    def offset(self) -> float:
        """Song time of beat 0 (the first downbeat after the count-in)."""
        return self.pickup_beats * self.seconds_per_beat

    @property
    def total_beats(self) -> int:
        """Beats from beat 0 to the final hit (which falls on this beat)."""
        return sum(s.bars for s in self.sections) * BEATS_PER_BAR

    @property
    def duration(self) -> float:
        return self.offset + self.total_beats * self.seconds_per_beat + self.tail_seconds

    def section_starts(self) -> list[tuple[Section, int]]:
        """Each section with its first beat."""
        out, beat = [], 0
        for section in self.sections:
            out.append((section, beat))
            beat += section.bars * BEATS_PER_BAR
        return out


# ---------------------------------------------------------------- building blocks


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
    return signal.butter(order, cutoff, btype=kind, fs=SAMPLE_RATE, output="sos")


def filt(
    x: np.ndarray, kind: str, cutoff: float | tuple[float, float], order: int = 2
) -> np.ndarray:
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


# ---------------------------------------------------------------- harmony and melody


def scale_note(key: int, degree: int) -> int:
    """MIDI note of diatonic `degree` (0 = tonic of octave 4, may be negative)."""
    return 60 + key + 12 * (degree // 7) + MAJOR[degree % 7]


def chord_degrees(numeral: int) -> tuple[int, int, int, int]:
    """Scale degrees (0-based) of the seventh chord on roman numeral 1-7."""
    root = numeral - 1
    return root, root + 2, root + 4, root + 6


def voice_chord(key: int, numeral: int, previous: Sequence[int] | None) -> list[int]:
    """A close four-note voicing between F3 and C5 that moves little from `previous`."""
    pcs = [(key + MAJOR[d % 7]) % 12 for d in chord_degrees(numeral)]
    best: list[int] = []
    best_cost = float("inf")
    for inversion in range(4):
        order = pcs[inversion:] + pcs[:inversion]
        notes = [53 + (order[0] - 53) % 12]
        for pc in order[1:]:
            notes.append(notes[-1] + (pc - notes[-1]) % 12 or 12)
        if notes[-1] > 74:
            continue
        target = previous or [57, 60, 64, 67]
        cost = sum(abs(a - b) for a, b in zip(sorted(notes), sorted(target), strict=False))
        if cost < best_cost:
            best, best_cost = notes, cost
    return best


@dataclass(frozen=True)
class Note:
    beat: float  # from beat 0
    beats: float
    midi: int
    velocity: float = 1.0


def _nearest_chord_degree(degree: int, chord: Sequence[int]) -> int:
    tones = {d % 7 for d in chord[:3]}
    for delta in (0, -1, 1, -2, 2, -3, 3):
        if (degree + delta) % 7 in tones:
            return degree + delta
    return degree


class MelodyWriter:
    """A catchy melody: a two-bar motif (rhythm and contour) repeated over each
    four-bar phrase and bent to fit the chords, with a cadence at the phrase end."""

    def __init__(self, rng: np.random.Generator, key: int) -> None:
        self.key = key
        self.motifs: dict[str, tuple] = {}
        for kind in ("verse", "pre", "chorus"):
            busy = BUSY_BARS[rng.integers(len(BUSY_BARS))]
            answer = BUSY_BARS[rng.integers(len(BUSY_BARS))]
            cadence = CADENCE_BARS[rng.integers(len(CADENCE_BARS))]
            steps = [int(s) for s in rng.choice([-2, -1, -1, 0, 1, 1, 2, 3], size=8)]
            self.motifs[kind] = (busy, answer, cadence, steps)

    def section(
        self, kind: str, start_beat: int, chords: Sequence[int], register: int
    ) -> list[Note]:
        """Notes for one section; `chords` holds one numeral per bar; `register` is the
        scale degree the melody hovers around."""
        source = {"intro": None, "break": "chorus", "outro": "chorus"}.get(kind, kind)
        if source is None:
            return []
        busy, answer, cadence, steps = self.motifs[source]
        notes: list[Note] = []
        degree = register
        for bar, numeral in enumerate(chords):
            chord = chord_degrees(numeral)
            phrase_bar = bar % 4
            rhythm = (busy, answer, busy, cadence)[phrase_bar]
            if kind == "break" and phrase_bar % 2:
                continue
            if phrase_bar % 2 == 0:
                degree = register  # each repeat of the motif starts from the same place
            for i, (step, length) in enumerate(rhythm):
                move = steps[(i + 3 * (phrase_bar % 2)) % len(steps)]
                degree += move
                if degree > register + 4:
                    degree -= 3
                if degree < register - 4:
                    degree += 3
                if step % 8 == 0 or i == len(rhythm) - 1:
                    degree = _nearest_chord_degree(degree, chord)
                if phrase_bar == 3 and i == len(rhythm) - 1:
                    degree = _nearest_chord_degree(7 * round(degree / 7), chord)
                beat = start_beat + bar * BEATS_PER_BAR + step / 4
                velocity = 1.0 if step % 4 == 0 else 0.82
                notes.append(Note(beat, length / 4, scale_note(self.key, degree), velocity))
            if kind == "pre" and phrase_bar == len(chords) - 1:
                register += 2
        return notes


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


# ---------------------------------------------------------------- arrangement

# Per section kind: kick, snare and clap steps in a bar of 16, hat step, and flags.
DRUM_PATTERNS: dict[str, dict[str, tuple[int, ...]]] = {
    "intro": {"kick": (0, 8), "snare": (), "clap": (12,), "hat": (2, 6, 10, 14), "open": ()},
    "verse": {
        "kick": (0, 6, 8, 11),
        "snare": (4, 12),
        "clap": (),
        "hat": tuple(range(0, 16, 2)),
        "open": (14,),
    },
    "pre": {
        "kick": (0, 4, 8, 12),
        "snare": (4, 12),
        "clap": (4, 12),
        "hat": tuple(range(0, 16, 2)),
        "open": (),
    },
    "chorus": {
        "kick": (0, 4, 8, 12),
        "snare": (4, 12),
        "clap": (4, 12),
        "hat": tuple(range(16)),
        "open": (2, 6, 10, 14),
    },
    "break": {"kick": (0,), "snare": (), "clap": (12,), "hat": (), "open": ()},
    "outro": {
        "kick": (0, 4, 8, 12),
        "snare": (4, 12),
        "clap": (4, 12),
        "hat": tuple(range(0, 16, 2)),
        "open": (2, 6, 10, 14),
    },
}
# Bass: (step, length, octave) per bar.
BASS_PATTERNS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "intro": ((0, 14, 0),),
    "verse": ((0, 3, 0), (3, 3, 0), (6, 2, 0), (8, 3, 0), (11, 3, 0), (14, 2, 1)),
    "pre": ((0, 4, 0), (4, 4, 0), (8, 4, 0), (12, 4, 0)),
    "chorus": tuple((s, 2, (s // 2) % 2) for s in range(0, 16, 2)),
    "break": ((0, 16, 0),),
    "outro": tuple((s, 2, (s // 2) % 2) for s in range(0, 16, 2)),
}
STAB_STEPS = (0, 3, 6, 10, 12)


class Arranger:
    """Renders a SongPlan into stereo buses."""

    def __init__(self, plan: SongPlan) -> None:
        self.plan = plan
        self.rng = np.random.default_rng(plan.seed)
        self.spb = plan.seconds_per_beat
        self.n = round(plan.duration * SAMPLE_RATE)
        self.kit = DrumKit(self.rng)
        self.drums, self.music, self.lead = Bus(self.n), Bus(self.n), Bus(self.n)
        self.bass, self.send = Bus(self.n), Bus(self.n)
        self.kicks: list[float] = []
        self.stabs: dict[tuple[int, ...], np.ndarray] = {}
        self.pads: dict[tuple[int, ...], np.ndarray] = {}
        picks = self.rng.choice(len(PROGRESSIONS), size=3, replace=False)
        self.progressions = {
            "intro": PROGRESSIONS[picks[0]],
            "verse": PROGRESSIONS[picks[0]],
            "pre": PROGRESSIONS[picks[1]],
            "chorus": PROGRESSIONS[picks[2]],
            "break": PROGRESSIONS[picks[2]],
            "outro": PROGRESSIONS[picks[2]],
        }
        self.melody = MelodyWriter(self.rng, plan.key)

    def time(self, beat: float) -> float:
        return self.plan.offset + beat * self.spb

    def render(self) -> np.ndarray:
        self.count_in()
        voicing: list[int] | None = None
        for section, start in self.plan.section_starts():
            chords = [self.progressions[section.kind][b % 4] for b in range(section.bars)]
            voicing = self.harmony(section, start, chords, voicing)
            self.rhythm_section(section, start, chords)
            register = 7 if section.kind in ("chorus", "outro") else 4
            if section.kind == "break":
                register = 0
            notes = self.melody.section(section.kind, start, chords, register)
            self.play_melody(notes, section.kind)
        self.ending()
        return self.mixdown()

    def count_in(self) -> None:
        for beat in range(-self.plan.pickup_beats, 0):
            self.drums.add(self.kit.stick, self.time(beat), 0.35 if beat > -2 else 0.25)
        # A riser into beat 0.
        span = min(self.plan.offset, 4 * self.spb)
        n = int(span * SAMPLE_RATE)
        if n > 0:
            ramp = np.linspace(0, 1, n) ** 2
            riser = filt(self.rng.standard_normal(n), "bandpass", (800, 6000)) * ramp * 0.08
            self.send.add(riser, self.time(0) - span, 1.0, 0.0)
            self.drums.add(riser, self.time(0) - span, 0.6, 0.0)

    def harmony(
        self, section: Section, start: int, chords: list[int], voicing: list[int] | None
    ) -> list[int] | None:
        for bar, numeral in enumerate(chords):
            voicing = voice_chord(self.plan.key, numeral, voicing)
            bar_beat = start + bar * BEATS_PER_BAR
            if section.kind in ("verse", "outro"):
                key = tuple(voicing)
                if key not in self.stabs:
                    self.stabs[key] = chord_sound(
                        voicing, self.spb * 0.4, stab=True, rng=self.rng, bright=3200
                    )
                for step in STAB_STEPS:
                    self.music.add(self.stabs[key], self.time(bar_beat + step / 4), 0.9)
            else:
                bright = {"intro": 1400, "break": 1800, "pre": 2600}.get(section.kind, 4200)
                key = (*voicing, bright)
                if key not in self.pads:
                    self.pads[key] = chord_sound(
                        voicing, BEATS_PER_BAR * self.spb, stab=False, rng=self.rng, bright=bright
                    )
                sound = self.pads[key]
                self.music.add(sound, self.time(bar_beat), 0.85)
                self.send.add(sound, self.time(bar_beat), 0.25)
            for step, length, octave in BASS_PATTERNS[section.kind]:
                root = 36 + (self.plan.key + MAJOR[(numeral - 1) % 7]) % 12 + 12 * octave
                seconds = length / 4 * self.spb * 0.92
                velocity = 1.0 if step % 4 == 0 else 0.85
                self.bass.add(bass_note(root, seconds, velocity), self.time(bar_beat + step / 4))
        return voicing

    def rhythm_section(self, section: Section, start: int, chords: list[int]) -> None:
        pattern = DRUM_PATTERNS[section.kind]
        kit = self.kit
        if section.kind in ("chorus", "outro", "verse") or start == 0:
            self.drums.add(kit.crash, self.time(start), 0.28, 0.3)
        for bar in range(section.bars):
            bar_beat = start + bar * BEATS_PER_BAR
            last_bar = bar == section.bars - 1
            for step in pattern["kick"]:
                self.kicks.append(self.time(bar_beat + step / 4))
                self.drums.add(kit.kick, self.kicks[-1], 0.95)
            for step in pattern["snare"]:
                self.drums.add(kit.snare, self.time(bar_beat + step / 4), 0.5, -0.05)
                self.send.add(kit.snare, self.time(bar_beat + step / 4), 0.12, 0.0)
            for step in pattern["clap"]:
                self.drums.add(kit.clap, self.time(bar_beat + step / 4), 0.45, 0.1)
                self.send.add(kit.clap, self.time(bar_beat + step / 4), 0.15, 0.0)
            for step in pattern["hat"]:
                accent = 1.0 if step % 4 == 2 else 0.6
                jitter = 0.9 + 0.2 * float(self.rng.random())
                self.drums.add(kit.hat, self.time(bar_beat + step / 4), 0.2 * accent * jitter, 0.35)
            for step in pattern["open"]:
                self.drums.add(kit.open_hat, self.time(bar_beat + step / 4), 0.12, -0.3)
            if last_bar and section.kind == "pre":
                for i, step in enumerate(range(8, 16)):
                    self.drums.add(kit.snare, self.time(bar_beat + step / 4), 0.2 + 0.05 * i)

    def play_melody(self, notes: list[Note], kind: str) -> None:
        gain = {
            "intro": 0.5,
            "verse": 0.7,
            "pre": 0.75,
            "chorus": 0.85,
            "break": 0.45,
            "outro": 0.8,
        }[kind]
        for note in notes:
            seconds = note.beats * self.spb * 0.9
            at = self.time(note.beat)
            sound = lead_note(note.midi, seconds, note.velocity)
            self.lead.add(sound, at, gain, 0.0)
            if kind in ("chorus", "outro", "break"):
                self.lead.add(bell_note(note.midi + 12, seconds, note.velocity), at, 0.22, 0.25)

    def ending(self) -> None:
        end_beat = self.plan.total_beats
        at = self.time(end_beat)
        voicing = voice_chord(self.plan.key, 1, None)
        sound = chord_sound(voicing, 1.2, stab=False, rng=self.rng, bright=3000)
        self.music.add(sound, at, 0.9)
        self.send.add(sound, at, 0.3)
        self.drums.add(self.kit.kick, at, 1.0)
        self.drums.add(self.kit.crash, at, 0.35, 0.3)
        self.bass.add(bass_note(36 + self.plan.key % 12, 1.2, 1.0), at)
        self.lead.add(lead_note(scale_note(self.plan.key, 7), 1.2, 1.0), at, 0.6)

    def mixdown(self) -> np.ndarray:
        pump = sidechain(self.n, self.kicks)
        lead = self.lead.data
        echoes = ping_pong(lead, 0.75 * self.spb)
        wet = reverb(self.send.data + 0.35 * lead + 0.3 * echoes, self.rng)
        mix = (
            self.drums.data
            + pump * (0.9 * self.bass.data + 0.8 * self.music.data)
            + 0.55 * lead
            + 0.35 * echoes
            + 0.45 * wet
        )
        mix = filt(mix, "highpass", 30)
        return master(mix)


def master(mix: np.ndarray) -> np.ndarray:
    """Loudness, gentle soft-clip, fades, and a peak of -1 dBFS."""
    rms = float(np.sqrt(np.mean(mix**2))) + 1e-12
    mix = np.tanh(mix * (0.2 / rms)) / np.tanh(1.0)
    n = mix.shape[1]
    fade_in, fade_out = int(0.01 * SAMPLE_RATE), min(n, int(1.5 * SAMPLE_RATE))
    mix[:, :fade_in] *= np.linspace(0, 1, fade_in)
    mix[:, n - fade_out :] *= np.cos(np.linspace(0, np.pi / 2, fade_out)) ** 2
    mix *= 0.89 / (np.max(np.abs(mix)) + 1e-12)
    return mix.astype(np.float32)


def render_song(plan: SongPlan) -> np.ndarray:
    """Stereo float32 samples, shape (2, round(plan.duration * 44100)), peak 0.89."""
    return Arranger(plan).render()


def song_ogg_bytes(samples: np.ndarray, quality: float = 0.3) -> bytes:
    """Encode (2, N) or (N,) samples as OGG Vorbis; `quality` 0 (small) .. 1 (best).

    Written in blocks: libsndfile 1.2 crashes when given a long song in one call."""
    buffer = io.BytesIO()
    data = samples.T if samples.ndim == 2 else samples[:, None]
    with sf.SoundFile(
        buffer, "w", SAMPLE_RATE, data.shape[1], format="OGG", subtype="VORBIS",
        compression_level=1.0 - quality,
    ) as out:  # fmt: skip
        for start in range(0, data.shape[0], ENCODE_BLOCK):
            out.write(np.ascontiguousarray(data[start : start + ENCODE_BLOCK]))
    return fix_ogg_serial(buffer.getvalue())


_BIT_REVERSED = bytes(int(f"{i:08b}"[::-1], 2) for i in range(256))


def _ogg_crc(page: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04C11DB7, MSB first, no init or final xor), computed
    with zlib's reflected CRC-32 on bit-reversed bytes."""
    raw = zlib.crc32(page.translate(_BIT_REVERSED), 0xFFFFFFFF) ^ 0xFFFFFFFF
    return int(f"{raw:032b}"[::-1], 2)


def fix_ogg_serial(data: bytes, serial: int = OGG_SERIAL) -> bytes:
    """Give every Ogg page the same stream serial (libsndfile picks a random one), so
    the same samples always encode to the same bytes."""
    out = bytearray(data)
    pos = 0
    while pos + 27 <= len(out) and out[pos : pos + 4] == b"OggS":
        segments = out[pos + 26]
        size = 27 + segments + sum(out[pos + 27 : pos + 27 + segments])
        out[pos + 14 : pos + 18] = serial.to_bytes(4, "little")
        out[pos + 22 : pos + 26] = b"\0\0\0\0"
        out[pos + 22 : pos + 26] = _ogg_crc(bytes(out[pos : pos + size])).to_bytes(4, "little")
        pos += size
    return bytes(out)


def write_song(path: Path, plan: SongPlan, quality: float = 0.3) -> Path:
    """Render `plan` and write it as OGG Vorbis, atomically."""
    atomic_write_bytes(Path(path), song_ogg_bytes(render_song(plan), quality))
    return Path(path)
