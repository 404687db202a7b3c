"""A big library lists from the levels' manifests alone: `cover-dance levels` and level select
read no pose track until a level is chosen, and a level whose pose file is broken says so
when it is chosen (or with `levels --check`)."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
from game_driver import FakeClock, key, make_game, run, straight_headless

from game.benchmarks.library import write_library
from game.cli import main
from game.level import loader
from game.scenes.level_select import LevelSelectScene


@pytest.fixture
def pose_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every pose file the loader reads from now on."""
    reads: list[Path] = []
    real = loader.read_pose

    def counted(path: Path, *args: object, **kwargs: object) -> object:
        reads.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "read_pose", counted)
    return reads


def broken_pose(level: Path) -> None:
    """Garbage in the level's pose.npz (a hard link is replaced, not written through)."""
    (level / "pose.npz").unlink()
    (level / "pose.npz").write_bytes(b"PK\x03\x04 not really a zip")


def test_300_levels_list_without_reading_a_pose_track_and_the_chosen_one_plays(
    tmp_path: Path,
    pose_reads: list[Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("COVER_DANCE_HOME", str(home))
    write_library(home / "levels", 300)
    assert main(["levels"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines() if "level-" in line]
    assert len(listed) == 300 and not any("BROKEN" in line for line in listed)
    assert pose_reads == []

    clock = FakeClock()
    game = make_game(home / "levels", clock, first=LevelSelectScene)
    run(game, clock, 0.2)
    select = game.ctx.stack.top
    assert len(select.levels) == 300
    assert pose_reads == [select.entry.path / "pose.npz"]  # the selected one alone
    run(game, clock, 0.2, [key(pygame.K_DOWN)])
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    assert game.ctx.stack.top.name == "get_ready"
    assert game.ctx.stack.top.setup.level.folder == home / "levels" / "level-00001"
    run(game, clock, 8.0, until="play")
    run(game, clock, 2.5)
    play = game.ctx.stack.top
    assert play.name == "play" and play.judging.players[0].processor.events
    assert len(set(pose_reads)) == 2


def test_a_broken_pose_file_is_reported_when_the_level_is_chosen(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture,
) -> None:
    monkeypatch.setenv("COVER_DANCE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COVER_DANCE_LEVELS", str(tmp_path / "no-bundled-levels"))
    levels = tmp_path / "home" / "levels"
    write_library(levels, 2)
    broken = levels / "level-00001"
    broken_pose(broken)
    problem = f"{broken / 'pose.npz'}: file: not a readable .npz of numpy arrays"

    assert main(["levels"]) == 0  # listed from level.toml: the pose is not read
    assert "BROKEN" not in capsys.readouterr().out
    assert main(["levels", "--check"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "level-00001" in line]
    assert len(lines) == 1 and "BROKEN" in lines[0] and problem in lines[0]

    clock = FakeClock()
    game = make_game(levels, clock, first=LevelSelectScene)
    run(game, clock, 0.2, [key(pygame.K_DOWN)])
    select = game.ctx.stack.top
    assert select.setup() is None and select.load_problem.startswith(problem)
    assert select.problems == [select.load_problem]  # counted with the other problems
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    assert game.ctx.stack.top is select  # nothing to play
    run(game, clock, 0.2, [key(pygame.K_UP), key(pygame.K_RETURN)])
    assert game.ctx.stack.top.name == "get_ready"  # the good one still plays

    straight_headless(monkeypatch)
    assert main(["play", "--level", "level-00001", "--demo"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"cover-dance: {problem}")
