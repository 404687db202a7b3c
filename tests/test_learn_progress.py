"""Learn mode's progress in progress.json: saved compactly, kept at its fastest, validated."""

from __future__ import annotations

import json
from pathlib import Path

from game.progress import LearnRecord, ProgressStore


def test_sections_cleared_are_saved_and_read_back_keeping_the_fastest(tmp_path: Path):
    path = tmp_path / "progress.json"
    ProgressStore(path).record_learn("song", LearnRecord(5, {0: 1.0, 1: 0.5}))
    ProgressStore(path).record_learn("song", LearnRecord(5, {1: 0.75, 0: 0.5}))
    found = ProgressStore(path).learned("song")
    assert found == LearnRecord(5, {0: 1.0, 1: 0.75}) and found.count == 2
    raw = json.loads(path.read_text())
    assert raw["learn"] == {"song": {"sections": 5, "cleared": {"0": 1.0, "1": 0.75}}}
    assert ProgressStore(path).learned("other") is None


def test_a_level_cut_anew_starts_its_learning_afresh(tmp_path: Path):
    path = tmp_path / "progress.json"
    ProgressStore(path).record_learn("song", LearnRecord(5, {4: 1.0}))
    ProgressStore(path).record_learn("song", LearnRecord(3, {0: 0.5}))
    assert ProgressStore(path).learned("song") == LearnRecord(3, {0: 0.5})


def test_a_bad_learn_record_is_not_saved(tmp_path: Path):
    store = ProgressStore(tmp_path / "progress.json")
    store.record_learn("song", LearnRecord(2, {5: 1.0}))
    store.record_learn("song", LearnRecord(2, {0: 2.0}))
    assert store.learned("song") is None and len(store.warnings) == 2


def test_a_file_with_a_bad_learn_table_is_set_aside(tmp_path: Path):
    path = tmp_path / "progress.json"
    bad = {"version": 1, "levels": {}, "learn": {"song": {"sections": 2, "cleared": {"x": 1}}}}
    path.write_text(json.dumps(bad))
    store = ProgressStore(path)
    assert store.learned("song") is None
    assert store.warnings and "unreadable" in store.warnings[0]
