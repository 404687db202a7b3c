"""The music generator: deterministic, the right length, audible, unclipped, valid OGG."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile as sf

from game.audio.ogg import fix_ogg_serial
from game.authoring.synth import (
    SAMPLE_RATE,
    Section,
    SongPlan,
    render_song,
    song_ogg_bytes,
    write_song,
)

PLAN = SongPlan(
    bpm=120.0,
    seed=5,
    key=2,
    pickup_beats=4,
    sections=(Section("verse", 1), Section("pre", 1), Section("chorus", 2)),
    tail_seconds=1.5,
)


@pytest.fixture(scope="module")
def song() -> np.ndarray:
    return render_song(PLAN)


def test_plan_timing() -> None:
    assert PLAN.offset == pytest.approx(2.0)
    assert PLAN.total_beats == 16
    assert PLAN.duration == pytest.approx(2.0 + 8.0 + 1.5)
    assert [start for _, start in PLAN.section_starts()] == [0, 4, 8]


def test_length_and_shape(song: np.ndarray) -> None:
    assert song.dtype == np.float32
    assert song.shape == (2, round(PLAN.duration * SAMPLE_RATE))


def test_deterministic(song: np.ndarray) -> None:
    assert np.array_equal(render_song(PLAN), song)
    other = render_song(SongPlan(PLAN.bpm, PLAN.seed + 1, PLAN.sections, PLAN.key))
    assert not np.array_equal(other[:, : song.shape[1]], song[:, : other.shape[1]])


def test_audible_and_not_clipped(song: np.ndarray) -> None:
    assert np.isfinite(song).all()
    assert np.abs(song).max() <= 0.9
    start = int(PLAN.offset * SAMPLE_RATE)
    end = int((PLAN.offset + PLAN.total_beats * PLAN.seconds_per_beat) * SAMPLE_RATE)
    music = song[:, start:end]
    assert np.sqrt(np.mean(music**2)) > 0.08
    # Every second of the song proper has sound in it; the count-in has its sticks.
    for s in range(start, end - SAMPLE_RATE, SAMPLE_RATE):
        assert np.abs(song[:, s : s + SAMPLE_RATE]).max() > 0.2
    assert np.abs(song[:, :start]).max() > 0.01
    # Left and right differ (stereo), and the song starts and ends in silence (no click).
    assert not np.allclose(song[0], song[1])
    assert np.abs(song[:, :10]).max() < 1e-3
    assert np.abs(song[:, -10:]).max() < 1e-3


def test_beats_are_on_the_grid(song: np.ndarray) -> None:
    """The kick lands on beat 0: the energy rises sharply right at the offset."""
    mono = np.abs(song.mean(axis=0))
    at = int(PLAN.offset * SAMPLE_RATE)
    before = mono[at - 2000 : at - 200].mean()
    after = mono[at : at + 2000].mean()
    assert after > 4 * before


def test_ogg_round_trip_and_reproducible(song: np.ndarray, tmp_path) -> None:
    data = song_ogg_bytes(song)
    assert data[:4] == b"OggS"
    assert song_ogg_bytes(song) == data  # fixed stream serial: same samples, same bytes
    decoded, rate = sf.read(io.BytesIO(data), dtype="float32")
    assert rate == SAMPLE_RATE
    assert decoded.shape == (song.shape[1], 2)
    assert np.abs(decoded).max() < 1.0
    assert np.corrcoef(decoded[:, 0], song[0])[0, 1] > 0.95
    path = write_song(tmp_path / "song.ogg", PLAN)
    assert path.read_bytes() == data
    assert [p.name for p in tmp_path.iterdir()] == ["song.ogg"]  # no temp file left


def test_fix_ogg_serial_keeps_pages_valid(song: np.ndarray) -> None:
    data = song_ogg_bytes(song[:, :SAMPLE_RATE])
    other = fix_ogg_serial(data, serial=12345)
    assert other != data
    decoded, _ = sf.read(io.BytesIO(other), dtype="float32")  # libogg checks every CRC
    assert decoded.shape[0] == SAMPLE_RATE
