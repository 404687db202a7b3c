"""The scene stack calls each scene's lifecycle in pairs, and songs hold while covered."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
from game_driver import FakeClock, key, make_game, make_test_level, run, scripted, top_name

from game.capture.bot import Mistake
from game.scenes.stack import Scene, SceneStack


class Logged(Scene):
    def __init__(self, name: str, log: list[str]) -> None:
        super().__init__(None)  # type: ignore[arg-type]
        self.name, self.log = name, log

    def enter(self) -> None:
        self.log.append(f"enter {self.name}")

    def pause(self) -> None:
        self.log.append(f"pause {self.name}")

    def resume(self) -> None:
        self.log.append(f"resume {self.name}")

    def leave(self) -> None:
        self.log.append(f"leave {self.name}")


def test_enter_and_leave_once_pause_and_resume_in_pairs() -> None:
    log: list[str] = []
    stack = SceneStack()
    stack.push(Logged("a", log))
    stack.push(Logged("b", log))
    stack.replace(Logged("c", log))  # a stays paused under c
    stack.push(Logged("d", log))
    stack.pop_to("a")
    stack.pop_to("a")  # already on top: nothing happens
    stack.pop()
    assert log == [
        "enter a", "pause a", "enter b", "leave b", "enter c", "pause c", "enter d",
        "leave d", "leave c", "resume a", "leave a",
    ]  # fmt: skip
    for name in "abcd":
        mine = [entry.split()[0] for entry in log if entry.endswith(f" {name}")]
        assert mine.count("enter") == mine.count("leave") == 1
        assert mine.count("pause") == mine.count("resume") or mine[-1] == "leave"


@pytest.fixture
def game_at_practice(tmp_path: Path):
    """A song whose bars 5-6 were fumbled, with its practice loop open."""
    levels = tmp_path / "levels"
    make_test_level(levels)
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted(lag=0.1, mistakes=(Mistake(9.1, 13.1),))
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 6.0, until="play")
    run(game, clock, 40.0, until="results")
    run(game, clock, 0.1, [key(pygame.K_RETURN)])
    assert top_name(game) == "practice"
    return game, clock


def test_practice_pauses_with_p_and_holds_its_loop(game_at_practice) -> None:
    game, clock = game_at_practice
    practice = game.ctx.stack.top
    run(game, clock, 1.0)
    run(game, clock, 0.1, [key(pygame.K_p)])
    assert top_name(game) == "pause"
    held = practice.run.clock.position
    run(game, clock, 2.0)
    assert practice.run.clock.position == pytest.approx(held, abs=0.02)
    run(game, clock, 0.1, [key(pygame.K_ESCAPE)])  # resume
    assert top_name(game) == "practice"
    run(game, clock, 1.0)
    assert practice.run.clock.position > held + 0.3  # at 0.5x: about half a second on
    run(game, clock, 0.1, [key(pygame.K_p)])
    run(game, clock, 0.1, [key(pygame.K_DOWN), key(pygame.K_DOWN), key(pygame.K_RETURN)])
    assert top_name(game) == "results"  # "Back to the scorecard"


def test_f11_goes_to_the_game_only_when_the_scene_does_not_use_it(tmp_path: Path) -> None:
    levels = tmp_path / "levels"
    make_test_level(levels)
    clock = FakeClock()
    game = make_game(levels, clock)
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    level_select = game.ctx.stack.top
    assert level_select.handle(key(pygame.K_F11)) is False
    assert level_select.handle(key(pygame.K_m)) is True
