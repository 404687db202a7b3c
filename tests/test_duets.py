"""Group levels in the game: each player picks a member, and two players dance a duet, each
judged against their own member's part."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
from game_driver import (
    FakeClock,
    key,
    make_game,
    make_test_level,
    run,
    straight_headless,
    top_name,
)
from test_group_levels import make_group_level

from game import launch
from game.capture.bot import BotPoseInput
from game.cli import main
from game.demo import demo_input
from game.play_setup import PlaySetup
from game.scenes.member_pick import card_rects
from game.scoring.rules import Judgement


def dancing(swap: bool = False):
    """Bots dancing each player's own part without a slip, or (`swap`) each other's."""

    def factory(setup: PlaySetup, song_time_of, clean: bool) -> BotPoseInput:
        if swap:
            setup = PlaySetup(setup.level, setup.difficulty, setup.mirror, setup.players,
                              setup.parts[::-1])  # fmt: skip
        return demo_input(setup, song_time_of, clean=True)

    return factory


def share_good(events) -> float:
    return sum(e.judgement >= Judgement.GOOD for e in events) / len(events)


def play_duet(tmp_path: Path, swap: bool, screenshots: Path | None = None):
    levels = tmp_path / "levels"
    make_group_level(levels)
    clock = FakeClock()
    game = make_game(levels, clock, players=2)
    game.ctx.inputs.factory = dancing(swap)
    run(game, clock, 0.2, [key(pygame.K_RETURN)])  # title -> level select
    run(game, clock, 0.2, [key(pygame.K_RETURN)])  # a group level: pick the members
    assert top_name(game) == "member_pick"
    run(game, clock, 0.5, [key(pygame.K_RETURN)])  # P1: dancer 1
    if screenshots:
        pygame.image.save(game.ctx.screen, screenshots / "duet-1-member-pick.png")
    pick = game.ctx.stack.top
    assert pick.picks == [0] and pick.cursor == 1  # P2 is offered the other member
    run(game, clock, 0.2, [key(pygame.K_RETURN)])  # P2: dancer 2
    assert top_name(game) == "get_ready"
    setup = game.ctx.stack.top.setup
    assert setup.parts == (0, 1) and setup.duet
    run(game, clock, 6.0, until="play")
    run(game, clock, 10.0)
    if screenshots:
        pygame.image.save(game.ctx.screen, screenshots / "duet-2-play.png")
    run(game, clock, 40.0, until="results")
    run(game, clock, 0.1)
    if screenshots:
        pygame.image.save(game.ctx.screen, screenshots / "duet-3-results.png")
    return game.ctx.stack.top


def test_a_duet_judges_each_player_against_their_own_member(
    tmp_path: Path, screenshots: Path
) -> None:
    results = play_duet(tmp_path, swap=False, screenshots=screenshots)
    p1, p2 = results.events
    assert share_good(p1) >= 0.9 and share_good(p2) >= 0.9


def test_a_duet_danced_with_the_parts_swapped_misses(tmp_path: Path) -> None:
    """The second member dances the mirror image: each player doing the other's part is
    judged wrong, so the players really are judged against different parts."""
    results = play_duet(tmp_path, swap=True)
    p1, p2 = results.events
    assert share_good(p1) <= 0.5 and share_good(p2) <= 0.5


def test_member_pick_by_number_mouse_and_back(tmp_path: Path) -> None:
    levels = tmp_path / "levels"
    make_group_level(levels)
    clock = FakeClock()
    game = make_game(levels, clock, players=2)
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_2)])  # P1 takes dancer 2 by number
    pick = game.ctx.stack.top
    assert pick.picks == [1]
    run(game, clock, 0.2, [key(pygame.K_ESCAPE)])  # takes the pick back
    assert pick.picks == [] and top_name(game) == "member_pick"
    run(game, clock, 0.2, [key(pygame.K_9)])  # no ninth member: nothing happens
    assert pick.picks == []
    click = pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=card_rects(2)[1].center)
    run(game, clock, 0.2, [click, click])  # both players on dancer 2: not a duet
    assert top_name(game) == "get_ready"
    setup = game.ctx.stack.top.setup
    assert setup.parts == (1, 1) and not setup.duet and setup.level.member == 1
    run(game, clock, 0.2, [key(pygame.K_ESCAPE)])
    run(game, clock, 0.2, [key(pygame.K_ESCAPE)])
    assert top_name(game) == "title"


def test_one_player_on_a_group_level_dances_the_member_chosen(tmp_path: Path) -> None:
    levels = tmp_path / "levels"
    make_group_level(levels)
    clock = FakeClock()
    game = make_game(levels, clock)
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_RIGHT), key(pygame.K_RETURN)])
    setup = game.ctx.stack.top.setup
    assert top_name(game) == "get_ready" and setup.parts == (1,)
    assert setup.level.pose is setup.level.members[1].pose


def test_a_duet_straight_from_the_command_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`play --level NAME --demo --member 2 --member 1`: two players, P1 on dancer 2 and P2
    on dancer 1, no menus; the result names each player's member. The bots dance their own
    member's part, so each scores well (on the other's part they would miss: the second
    member is the first mirrored)."""
    import re

    from game.level.library import user_levels_dir

    make_group_level(user_levels_dir())
    straight_headless(monkeypatch)
    seen: list[PlaySetup] = []
    real = launch.chosen_parts
    monkeypatch.setattr(launch, "chosen_parts", lambda *a: seen.append(real(*a)) or seen[-1])
    assert main(["play", "--level", "duet-song", "--demo", "--member", "2", "--member", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Synthetic Song (P1 dancer 2, P2 dancer 1): demo: the bot dances"
    assert seen[0].parts == (1, 0) and seen[0].players == 2 and seen[0].duet
    scores = [re.match(r"(P\d) score (\d+\.\d)", line) for line in out]
    found = {m[1]: float(m[2]) for m in scores if m}
    assert set(found) == {"P1", "P2"} and min(found.values()) >= 60, out


def test_one_member_straight_and_a_group_level_without_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from game.level.library import user_levels_dir

    make_group_level(user_levels_dir())
    straight_headless(monkeypatch)
    assert main(["play", "--level", "duet-song", "--demo", "--member", "2"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("Synthetic Song (dancer 2): ")
    assert main(["play", "--level", "duet-song", "--demo", "--players", "2"]) == 0
    first = capsys.readouterr().out.splitlines()[0]  # two players, no member given: a duet
    assert first.startswith("Synthetic Song (P1 dancer 1, P2 dancer 2): ")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--level", "duet-song", "--member", "3"],
         "--member 3: 'Synthetic Song' has members 1 to 2"),
        (["--level", "solo", "--member", "1"], "--member 1: 'Synthetic Song' is not a group level"),
        (["--member", "1"], "--member N goes with --level NAME"),
        (["--level", "duet-song", "--member", "1", "--member", "2", "--member", "1"],
         "--member given 3 times: once per player"),
    ],
)  # fmt: skip
def test_bad_members_are_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args, says: str
) -> None:
    from game.level.library import user_levels_dir

    make_group_level(user_levels_dir())
    make_test_level(user_levels_dir(), "solo")
    straight_headless(monkeypatch)
    assert main(["play", "--demo", *args]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"cover-dance: {says}"), line


def test_levels_marks_group_levels(capsys: pytest.CaptureFixture[str]) -> None:
    from game.level.library import user_levels_dir

    make_group_level(user_levels_dir())
    make_test_level(user_levels_dir(), "solo")
    assert main(["levels"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert next(x for x in lines if "duet-song" in x).endswith("group of 2")
    assert "group" not in next(x for x in lines if " solo " in x)
