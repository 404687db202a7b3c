"""The progress store: round trip, best score, atomic saves, corrupt files set aside."""

from __future__ import annotations

import json
import os

import pytest

from game import progress
from game.progress import PlayRecord, ProgressStore, default_progress_path


def play(score: float, grade: str = "A", **rest) -> PlayRecord:
    return PlayRecord(score=score, grade=grade, accuracy=max(0.0, score - 5), **rest)


def test_round_trip(tmp_path) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    assert store.best("hello-sunshine") is None and store.history("hello-sunshine") == []
    assert store.record("hello-sunshine", play(70.0, "C", date="2025-01-01T10:00:00+00:00"))
    assert store.record("hello-sunshine", play(91.5, "A", players=2, difficulty="hard"))
    assert not store.record("hello-sunshine", play(80.0, "B"))
    store.record("starlight-rush", {"score": 50, "grade": "D", "accuracy": 40.0})

    again = ProgressStore(path)
    assert again.level_ids() == ["hello-sunshine", "starlight-rush"]
    assert [p.score for p in again.history("hello-sunshine")] == [70.0, 91.5, 80.0]
    best = again.best("hello-sunshine")
    assert best is not None and (best.score, best.grade, best.players) == (91.5, "A", 2)
    assert again.best("hello-sunshine", difficulty="normal").score == 80.0
    assert again.history("hello-sunshine")[0].date == "2025-01-01T10:00:00+00:00"
    assert again.history("starlight-rush")[0].difficulty == "normal"
    assert again.warnings == []


def test_from_summary() -> None:
    class Summary:
        score, grade, accuracy = 88.25, "B", 75.0

    record = PlayRecord.from_summary(Summary(), difficulty="easy", players=2)
    assert (record.score, record.grade, record.accuracy, record.players) == (88.25, "B", 75.0, 2)
    assert record.date[:2] == "20"


def test_ties_keep_the_first_best(tmp_path) -> None:
    store = ProgressStore(tmp_path / "p.json")
    store.record("x", play(90.0, date="first"))
    assert not store.record("x", play(90.0, date="second"))
    assert store.best("x").date == "first"


def test_history_is_capped_but_keeps_the_best_of_each_difficulty(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(progress, "HISTORY_LIMIT", 5)
    store = ProgressStore(tmp_path / "p.json")
    store.record("x", play(99.0))
    store.record("x", play(60.0, difficulty="hard"))
    store.record("x", play(50.0, difficulty="hard"))
    for score in range(10):
        store.record("x", play(float(score)))
    history = ProgressStore(tmp_path / "p.json").history("x")
    assert [p.score for p in history] == [99, 60, 5, 6, 7, 8, 9]  # the bests, the newest 5
    assert store.best("x", "hard").score == 60.0


def test_progress_is_saved_compact(tmp_path) -> None:
    path = tmp_path / "p.json"
    ProgressStore(path).record("x", play(70.0))
    text = path.read_text()
    assert "\n" not in text.strip() and ", " not in text and json.loads(text)["version"] == 1


def test_save_is_atomic(tmp_path, monkeypatch) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    store.record("x", play(60.0))
    before = path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    store.record("x", play(70.0))  # a failed save is a warning, never a crash
    assert "disk full" in store.warnings[-1]
    assert path.read_bytes() == before  # the old save is intact
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == ["progress.json", "progress.json.lock"]  # no temp file left
    assert json.loads(before)["levels"]["x"]["history"][0]["score"] == 60.0


@pytest.mark.parametrize(
    "content",
    [b"{not json", b'{"levels": []}', b'{"levels": {"x": {"history": [{"score": 1}]}}}', b"\xff"],
)
def test_corrupt_file_is_set_aside(tmp_path, capsys, content) -> None:
    path = tmp_path / "progress.json"
    path.write_bytes(content)
    store = ProgressStore(path)
    assert store.best("x") is None  # starts fresh, does not crash
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "unreadable" in err and "fresh" in err
    assert len(store.warnings) == 1
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("progress.json.corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes() == content
    assert not path.exists()
    store.record("x", play(10.0))  # and saving works again
    assert ProgressStore(path).best("x").score == 10.0


def test_default_path_follows_cover_dance_home(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COVER_DANCE_HOME", str(tmp_path))
    assert default_progress_path() == tmp_path / "progress.json"
    ProgressStore().record("x", play(1.0))
    assert (tmp_path / "progress.json").is_file()
