"""Sections: phrases of 2-8 bars cut where the choreography changes (game.scoring.sections)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from game.level.loader import load_level
from game.pose.frame import PoseTrack
from game.scoring.sections import Section, bar_count, sections
from game.timing.beat_grid import BeatGrid

LEVELS = Path(__file__).resolve().parents[1] / "levels"
BPM = 120.0


def synthetic(changes: list[int], bars: int, seed: int = 0) -> tuple[PoseTrack, BeatGrid]:
    """A coach who repeats one 4-beat move per bar and switches to a new move at each bar
    in `changes`; 10 poses a beat."""
    rng = np.random.default_rng(seed)
    moves = [rng.normal(0, 0.3, (4, 33, 3)) for _ in range(len(changes) + 1)]
    grid = BeatGrid(BPM, 0.0, 2.0, bars * 2)
    times = np.arange(0, bars * 4 * 10) / 10 * 60 / BPM
    landmarks = np.empty((len(times), 33, 3), np.float32)
    for i, t in enumerate(times):
        beat = int(t * BPM / 60 + 1e-9)
        move = sum(beat // 4 >= c for c in changes)
        landmarks[i] = moves[move][beat % 4]
    return PoseTrack(times, landmarks, np.ones((len(times), 33), np.float32)), grid


@pytest.mark.parametrize(
    ("changes", "bars"), [([8, 14], 20), ([6], 12), ([4, 10, 16], 24), ([8, 16], 24)]
)
def test_a_coach_whose_moves_change_at_known_bars_is_cut_there(changes, bars):
    track, grid = synthetic(changes, bars)
    cuts = [s.start for s in sections(track, grid)][1:]
    assert cuts == changes


def test_a_coach_who_never_changes_is_cut_in_even_phrases_of_at_most_8_bars():
    track, grid = synthetic([], 32)
    found = sections(track, grid)
    assert all(4 <= s.bars <= 8 for s in found)
    assert found[0].start == 0 and found[-1].end == 32


def test_a_song_shorter_than_two_8_counts_is_one_section():
    track, grid = synthetic([], 3)
    assert sections(track, grid) == [Section(0, 3)]


def test_the_same_track_is_always_cut_the_same_way():
    track, grid = synthetic([8, 14], 20)
    assert sections(track, grid) == sections(track, grid)


@pytest.mark.parametrize("name", ["hello-sunshine", "neon-heartbeat", "starlight-rush"])
def test_every_bundled_level_is_cut_into_2_to_8_bar_sections_covering_the_song(name):
    level = load_level(LEVELS / name)
    found = sections(level.pose, level.grid)
    assert len(found) >= 2
    assert found[0].start == 0 and found[-1].end == bar_count(level.grid)
    for before, after in itertools.pairwise(found):
        assert before.end == after.start
    assert all(2 <= s.bars <= 8 and s.start % 2 == 0 for s in found)
    windows = [w for s in found for w in s.windows(level.grid)]
    assert windows == list(range(level.grid.window_count))


def test_a_section_reads_as_1_based_inclusive_bars():
    assert Section(4, 10).label() == "bars 5-10"
