"""Harmony and melody for the bundled songs: scales, chord voicing and a melody writer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

BEATS_PER_BAR = 4

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
