"""Original music from numpy: drums, bass, chords and a melody, arranged in sections.

`render_song(plan)` returns float32 stereo samples (2, N) at 44.1 kHz; `song_ogg_bytes`
encodes them as OGG Vorbis and `write_song` writes that file atomically. Everything is
deterministic from `SongPlan.seed`. Beat 0 falls at `plan.offset` seconds, after a count-in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from game.atomic import atomic_write_bytes
from game.audio.ogg import ogg_vorbis_bytes
from game.authoring.harmony import (
    BEATS_PER_BAR,
    MAJOR,
    PROGRESSIONS,
    MelodyWriter,
    Note,
    scale_note,
    voice_chord,
)
from game.authoring.sound import (
    SAMPLE_RATE,
    Bus,
    DrumKit,
    bass_note,
    bell_note,
    chord_sound,
    filt,
    lead_note,
    ping_pong,
    reverb,
    sidechain,
)

STEPS_PER_BAR = 16  # sixteenth notes
SECTION_KINDS = ("intro", "verse", "pre", "chorus", "break", "outro")


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
    """Encode (2, N) or (N,) samples as OGG Vorbis; `quality` 0 (small) .. 1 (best)."""
    return ogg_vorbis_bytes(samples.T if samples.ndim == 2 else samples, SAMPLE_RATE, quality)


def write_song(path: Path, plan: SongPlan, quality: float = 0.3) -> Path:
    """Render `plan` and write it as OGG Vorbis, atomically."""
    atomic_write_bytes(Path(path), song_ogg_bytes(render_song(plan), quality))
    return Path(path)
