"""Level discovery and the `cover-dance levels` listing."""

from __future__ import annotations

import shutil

from game.authoring.demo_levels import DEMO_LEVELS
from game.cli import main
from game.level.library import (
    BUNDLED,
    USER,
    bundled_levels_dir,
    discover_levels,
    find_level,
    source_levels_dir,
    user_levels_dir,
)
from game.progress import PlayRecord, ProgressStore


def make_user_levels(root) -> None:
    """One good copy of a bundled level and one broken level."""
    root.mkdir(parents=True)
    shutil.copytree(source_levels_dir() / DEMO_LEVELS[0].slug, root / "my-copy")
    broken = root / "broken-level"
    broken.mkdir()
    (broken / "level.toml").write_text('title = "Broken"\n', encoding="utf-8")
    (root / "empty-folder").mkdir()
    (root / ".hidden.building").mkdir()


def test_bundled_levels_are_found() -> None:
    assert bundled_levels_dir() == source_levels_dir()
    entries = discover_levels(user_dir=source_levels_dir() / "no-such-folder")
    assert [e.id for e in entries] == [d.slug for d in DEMO_LEVELS]  # easy, medium, hard
    assert all(e.ok and e.source == BUNDLED for e in entries)


def test_user_levels_and_broken_ones(tmp_path) -> None:
    make_user_levels(tmp_path / "levels")
    entries = discover_levels(user_dir=tmp_path / "levels")
    user = [e for e in entries if e.source == USER]
    assert [e.id for e in user] == ["my-copy", "broken-level"]
    broken = user[1]
    assert not broken.ok and broken.meta is None
    assert any("audio" in line and "missing" in line for line in broken.problems)
    assert find_level("my-copy", entries).source == USER
    assert find_level("nope", entries) is None


def test_bundled_dir_override(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COVER_DANCE_LEVELS", str(tmp_path))
    assert bundled_levels_dir() == tmp_path
    monkeypatch.setenv("COVER_DANCE_HOME", str(tmp_path / "home"))
    assert user_levels_dir() == tmp_path / "home" / "levels"


def test_levels_command(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("COVER_DANCE_HOME", str(tmp_path))
    make_user_levels(tmp_path / "levels")
    ProgressStore().record(DEMO_LEVELS[0].slug, PlayRecord(93.4, "A", 88.0))
    assert main(["levels"]) == 0
    out = capsys.readouterr().out
    for demo in DEMO_LEVELS:
        assert demo.title in out and demo.rating in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    first = lines[DEMO_LEVELS[0].slug]
    assert "90 BPM" in first and "1:07" in first and "best 93.4 (A)" in first
    assert "not played yet" in lines[DEMO_LEVELS[2].slug]
    assert "my-copy" in lines and "BROKEN" in lines["broken-level"]
    assert "level.toml" in lines["broken-level"]
    assert "empty-folder" not in out and ".hidden" not in out


def test_score_and_rank_take_a_level_by_the_name_play_takes(tmp_path, monkeypatch) -> None:
    from pathlib import Path

    import pytest

    from game.cover.inputs import level_path
    from game.errors import UserError

    monkeypatch.chdir(tmp_path)  # no folder of that name here: the name is looked up
    bundled = source_levels_dir() / "hello-sunshine"
    assert level_path(Path("hello-sunshine")) == bundled
    assert level_path(Path("Hello Sunshine")) == bundled  # its title, as `play --level` takes
    (tmp_path / "hello-sunshine").mkdir()  # a folder given by its path wins
    assert level_path(Path("hello-sunshine")) == Path("hello-sunshine")
    with pytest.raises(UserError, match="no such file, level folder or level name"):
        level_path(Path("nope"))
    with pytest.raises(UserError, match="no such file"):
        level_path(Path("sub/hello-sunshine"))  # a path is never looked up by name
