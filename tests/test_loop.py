"""The A-B loop (any stretch of bars, 0.25x-1x, mirror, each pass judged), the instant
replay of the last pass, and see yourself: headless with a fake clock and scripted poses;
every new screen saved to tests/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pygame
import pytest
from game_driver import FakeClock, key, make_game, make_test_level, run, scripted, top_name

from game.app import Game
from game.capture.bot import BotDancer, BotPoseInput, Mistake
from game.cli import main
from game.errors import UserError
from game.level.model import Level
from game.play_setup import PlaySetup
from game.scoring.rules import Judgement
from game.timing.beat_grid import BeatGrid
from game.timing.loop import LoopSpan, bar_at, bar_count, parse_loop, parse_speed, step_speed

# The test level: 120 BPM, first beat at 1 s, windows of 2 beats, 18 windows = 9 bars; bar
# N runs from 1 + 2 (N - 1) s, and holds windows 2 (N - 1) and 2 (N - 1) + 1.
GRID = BeatGrid(120.0, 1.0, 2, 18)


@pytest.fixture
def levels(tmp_path: Path) -> Path:
    make_test_level(tmp_path / "levels")
    return tmp_path / "levels"


def level_of(game: Game) -> Level:
    found, _ = game.ctx.list_levels()
    return found[0].load()


def open_loop(game: Game, span: LoopSpan, speed: float = 1.0, mirror: bool = True) -> object:
    game.ctx.push("loop", PlaySetup(level_of(game), mirror=mirror), span, speed)
    assert top_name(game) == "loop"
    return game.ctx.stack.top


# --- the bars, the speeds, the options ---


def test_bars_and_their_windows() -> None:
    assert bar_count(GRID) == 9
    assert bar_at(GRID, 0.0) == 1 and bar_at(GRID, 3.0) == 2 and bar_at(GRID, 2.999) == 1
    assert bar_at(GRID, 99.0) == 9
    assert LoopSpan(2, 3).windows(GRID) == range(2, 6)
    assert (LoopSpan(2, 3).start_s(GRID), LoopSpan(2, 3).end_s(GRID)) == (3.0, 7.0)
    assert LoopSpan(9, 9).windows(GRID) == range(16, 18)
    assert LoopSpan.covering(GRID, 9.0, 13.0) == LoopSpan(5, 6)
    assert LoopSpan(2, 3).moved(1, 9) == LoopSpan(3, 4)
    assert LoopSpan(8, 9).moved(1, 9) == LoopSpan(8, 9)  # kept within the song
    assert LoopSpan(2, 3).with_ends(7, 4, 9) == LoopSpan(4, 7)  # dragged right to left


def test_speeds_run_from_a_quarter_to_one_in_twentieths() -> None:
    assert parse_speed("0.25") == 0.25 and parse_speed("1") == 1.0 and parse_speed("0.65") == 0.65
    assert step_speed(0.5, 1) == 0.55 and step_speed(0.25, -1) == 0.25
    assert step_speed(0.95, 3) == 1.0
    for bad in ("0.2", "1.05", "0.33", "fast", "nan", "inf"):
        with pytest.raises(UserError, match=r"^--speed "):
            parse_speed(bad)


@pytest.mark.parametrize("text", ["3", "a:b", "1:2:3", "0:2", "4:2", "5:10", ""])
def test_a_bad_loop_is_one_line_naming_the_option(text: str) -> None:
    with pytest.raises(UserError, match=r"^--loop "):
        parse_loop(text, 9)
    assert parse_loop("2:9", 9) == LoopSpan(2, 9)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--loop", "x:2"], "--loop"),
        (["--loop", "2:3", "--speed", "0.1"], "--speed"),
        (["--speed", "0.5"], "--speed"),
        (["--loop", "2:3", "--passes", "0"], "--passes"),
    ],
)
def test_play_refuses_bad_loop_options_before_any_window(
    args: list[str], named: str, capsys: pytest.CaptureFixture
) -> None:
    assert main(["play", "--demo", "--level", "hello-sunshine", *args]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"cover-dance: {named} "), line


def test_loop_without_a_level_is_refused(capsys: pytest.CaptureFixture) -> None:
    assert main(["play", "--demo", "--loop", "2:3"]) == 2
    assert "--loop A:B: needs --level NAME" in capsys.readouterr().err


# --- the loop scene ---


def test_each_pass_is_judged_window_by_window_and_counted(levels: Path, screenshots: Path) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    # bar 3 (5-7 s) fumbled on the first try; the bot dances clean from then on
    game.ctx.inputs.factory = scripted(lag=0.05, mistakes=(Mistake(5.0, 7.0),))
    loop = open_loop(game, LoopSpan(2, 3), speed=0.5)
    run(game, clock, 5.0)  # the lead-in bar and bar 2 at half speed
    pygame.image.save(game.ctx.screen, screenshots / "loop-1-dancing.png")
    run(game, clock, 60.0)
    passes = loop.passes
    assert len(passes) >= 3
    first = passes[0]
    assert first.speed == 0.5 and [e.window for e in first.events] == [2, 3, 4, 5]
    assert not first.passed and {e.window for e in first.events if not e.judgement.tier.hit} <= {
        4,
        5,
    }
    assert all(p.passed for p in passes[1:])
    # 2 of 4 moves GOOD or better: short of normal's 3 in 5 (`PassRule`)
    assert first.line.startswith("pass 1: ") and first.line.endswith(" NO POSE  not passed")
    assert first.verdict.text() == "2 of 4 moves GOOD or better: one more to pass"
    assert passes[1].line.endswith(" NO POSE  passed")
    counts = passes[1].line.removeprefix("pass 2: ").removesuffix("  passed").split(", ")
    assert [c.split(" ", 1)[1] for c in counts] == ["PERFECT", "GOOD", "MISS", "NO POSE"]
    assert sum(int(c.split(" ")[0]) for c in counts) == 4
    assert first.poses and all(3.0 - 2.5 <= p.time <= 7.6 for p in first.poses)
    # the verdict between passes
    while loop.break_until is None:
        run(game, clock, 1 / 60)
    run(game, clock, 0.3)
    pygame.image.save(game.ctx.screen, screenshots / "loop-2-pass.png")


def test_keys_move_the_loop_change_speed_and_mirror(levels: Path, screenshots: Path) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted()
    loop = open_loop(game, LoopSpan(2, 3), speed=1.0)
    run(game, clock, 0.1, [key(pygame.K_RIGHT)])
    assert loop.span == LoopSpan(3, 4)
    run(game, clock, 0.1, [key(pygame.K_MINUS), key(pygame.K_MINUS)])
    assert loop.speed == 0.9
    run(game, clock, 0.1, [key(pygame.K_MINUS), key(pygame.K_EQUALS), key(pygame.K_EQUALS)])
    assert loop.speed == 0.95
    assert loop.run.rate == 0.95  # the pass was restarted at the new speed
    run(game, clock, 0.1, [key(pygame.K_m)])
    assert loop.setup.mirror is False
    run(game, clock, 0.1, [key(pygame.K_LEFT), key(pygame.K_LEFT), key(pygame.K_LEFT)])
    assert loop.span == LoopSpan(1, 2)  # kept within the song
    pygame.image.save(game.ctx.screen, screenshots / "loop-3-keys.png")


def test_brackets_set_a_and_b_at_the_bar_playing(levels: Path) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted()
    loop = open_loop(game, LoopSpan(2, 4))
    run(game, clock, 4.7)  # the lead-in bar starts at 1 s: now about 5.7 s, bar 3
    assert bar_at(GRID, loop.run.clock.position) == 3
    run(game, clock, 0.1, [key(pygame.K_LEFTBRACKET)])
    assert loop.span == LoopSpan(3, 4)
    run(game, clock, 0.1, [key(pygame.K_RIGHTBRACKET)])  # in the lead-in: B at A
    assert loop.span == LoopSpan(3, 3)
    run(game, clock, 0.1, [key(pygame.K_RIGHT), key(pygame.K_RIGHT)])
    run(game, clock, 0.1, [key(pygame.K_LEFTBRACKET)])  # A after B: B moves along
    assert loop.span == LoopSpan(5, 5)


def test_the_mouse_drags_a_loop_on_the_bar_strip(levels: Path, screenshots: Path) -> None:
    from game.scenes.loop import STRIP_RECT

    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted()
    loop = open_loop(game, LoopSpan(1, 1))
    cell = STRIP_RECT.width / 9
    at = [(round(STRIP_RECT.x + (bar - 0.5) * cell), STRIP_RECT.centery) for bar in (7, 4)]
    down = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=at[0], button=1)
    move = pygame.event.Event(pygame.MOUSEMOTION, pos=at[1], buttons=(1, 0, 0), rel=(0, 0))
    up = pygame.event.Event(pygame.MOUSEBUTTONUP, pos=at[1], button=1)
    run(game, clock, 0.1, [down, move])
    assert loop.span == LoopSpan(4, 7)
    run(game, clock, 0.1, [up])
    assert loop.span == LoopSpan(4, 7) and loop.dragging_from is None
    run(game, clock, 1.0)
    pygame.image.save(game.ctx.screen, screenshots / "loop-4-dragged.png")


def test_the_pause_menu_of_a_song_opens_a_loop_at_the_bar_playing(
    levels: Path, screenshots: Path
) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted()
    game.ctx.push("play", PlaySetup(level_of(game)))
    run(game, clock, 6.0)  # about 6 s into the song: bar 3
    run(game, clock, 0.1, [key(pygame.K_ESCAPE)])
    assert top_name(game) == "pause"
    pygame.image.save(game.ctx.screen, screenshots / "loop-0-pause-menu.png")
    run(game, clock, 0.1, [key(pygame.K_UP), key(pygame.K_RETURN)])  # the last item
    assert top_name(game) == "loop"
    assert game.ctx.stack.top.span == LoopSpan(3, 4)
    run(game, clock, 0.1, [key(pygame.K_ESCAPE)])
    assert top_name(game) == "title"  # the song is gone: back to the scene under it


def test_the_scorecard_loops_and_replays_the_missed_segment(
    levels: Path, screenshots: Path
) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted(lag=0.1, mistakes=(Mistake(9.1, 13.1),))
    game.ctx.push("play", PlaySetup(level_of(game)))
    run(game, clock, 30.0, until="results")
    run(game, clock, 0.1)
    pygame.image.save(game.ctx.screen, screenshots / "loop-5-scorecard.png")
    run(game, clock, 0.1, [key(pygame.K_l)])
    assert top_name(game) == "loop"
    assert game.ctx.stack.top.span == LoopSpan(5, 6)  # 9-13 s
    run(game, clock, 0.1, [key(pygame.K_ESCAPE)])
    assert top_name(game) == "results"
    # R: the instant replay of the song's missed segment, a bar before it on
    run(game, clock, 0.1, [key(pygame.K_r)])
    assert top_name(game) == "replay"
    take = game.ctx.stack.top.take
    assert take.span == LoopSpan(5, 6) and take.speed == 1.0 and take.start_s == 7.0
    assert [e.judgement for e in take.events] == [Judgement.MISS] * 4
    assert take.pose_at(10.0) is not None and abs(take.pose_at(10.0).time - 10.0) < 0.1
    run(game, clock, 3.0)
    pygame.image.save(game.ctx.screen, screenshots / "replay-4-scorecard.png")
    run(game, clock, 0.1, [key(pygame.K_r)])
    assert top_name(game) == "results"


# --- instant replay ---


def test_replay_shows_the_last_pass_beside_the_coach_until_a_key(
    levels: Path, screenshots: Path
) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted(lag=0.05, mistakes=(Mistake(5.0, 7.0, "drop_arms"),))
    loop = open_loop(game, LoopSpan(2, 3), speed=0.5)
    run(game, clock, 0.1, [key(pygame.K_r)])
    assert top_name(game) == "loop"  # nothing to replay yet
    while not loop.passes:
        run(game, clock, 0.5)
    run(game, clock, 0.1, [key(pygame.K_r)])
    assert top_name(game) == "replay"
    replay = game.ctx.stack.top
    assert replay.take is loop.passes[0]
    # at 0.5x the replay moves half a song second a second: from 1 s, 5.5 s is 9 s in
    run(game, clock, 9.0)
    assert 5.0 < replay.song_time < 6.5
    event = replay.take.event_at(replay.song_time)
    assert event is not None and event.judgement == Judgement.MISS
    pygame.image.save(game.ctx.screen, screenshots / "replay-1-miss.png")
    run(game, clock, 7.0)
    pygame.image.save(game.ctx.screen, screenshots / "replay-2-later.png")
    assert top_name(game) == "replay"  # it loops until a key
    run(game, clock, 0.1, [key(pygame.K_SPACE)])
    assert top_name(game) == "loop"


# --- see yourself ---


class CameraBot(BotPoseInput):
    """The bot, with a camera image of a person standing where its poses are."""

    def latest_image(self) -> np.ndarray:
        image = np.zeros((360, 640, 3), np.uint8)
        image[:] = np.linspace(40, 90, 640, dtype=np.uint8)[None, :, None]
        image[250:, :] = (70, 60, 55)  # the floor
        return image


def camera_bot(setup: PlaySetup, song_time_of, clean: bool) -> CameraBot:
    mistakes = (Mistake(5.0, 7.0, "drop_arms"),)  # bar 3: red joints
    return CameraBot([BotDancer(setup.level.pose, mistakes=mistakes)], song_time_of)


@pytest.mark.parametrize("see", [True, False])
def test_see_yourself_draws_a_thin_skeleton_over_the_camera(
    levels: Path, screenshots: Path, see: bool
) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.settings = game.ctx.settings.with_(see_yourself=see)
    game.ctx.inputs.factory = camera_bot
    game.ctx.push("play", PlaySetup(level_of(game)))
    run(game, clock, 7.2)  # bar 3 just judged MISS: its wrong joints are red
    screen = game.ctx.screen
    name = "see-yourself-on" if see else "see-yourself-off"
    pygame.image.save(screen, screenshots / f"{name}.png")
    from game.scenes.song_layout import PLAYER_RECT

    panel = pygame.surfarray.array3d(screen.subsurface(PLAYER_RECT.inflate(-20, -120)))
    # the camera image shows through: most of the panel is the (unshaded) background image
    bright = (panel.mean(axis=2) > 35).mean()
    assert (bright > 0.8) if see else (bright < 0.8), bright
    run(game, clock, 0.1, [key(pygame.K_y)])
    assert game.ctx.settings.see_yourself is (not see)  # Y flips it, and it is saved
    from game.config import Settings

    assert Settings.load().see_yourself is (not see)


def test_see_yourself_is_a_setting_validated_like_the_others(tmp_path: Path) -> None:
    from game.config import Settings

    assert Settings().see_yourself is True  # a new player reads themselves best
    path = tmp_path / "settings.json"
    path.write_text('{"see_yourself": false}')
    assert Settings.load(path).see_yourself is False
    for bad in ('"no"', "0", "null", "[]"):
        path.write_text(f'{{"see_yourself": {bad}, "volume": 0.5}}')
        loaded = Settings.load(path)
        assert loaded.see_yourself is True and loaded.volume == 0.5, bad


# --- headless, straight from the command line ---


def test_a_headless_loop_with_the_demo_bot_prints_its_passes_and_exits(
    capsys: pytest.CaptureFixture,
) -> None:
    """Real time (the wall clock), so one bar, twice, at full speed."""
    code = main(["play", "--demo", "--level", "hello-sunshine", "--loop", "2:2", "--passes", "2"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    pattern = r"pass (\d+): (\d+) PERFECT, (\d+) GOOD, (\d+) MISS, (\d+) NO POSE  passed"
    matches = [re.fullmatch(pattern, line) for line in out]
    assert all(matches) and len(out) == 2, out
    for number, match in enumerate(matches, start=1):
        n, perfect, good, miss, no_pose = (int(g) for g in match.groups())
        assert n == number and miss == no_pose == 0 and perfect + good >= 1, out[number - 1]


def test_practice_replays_its_last_try_with_r(levels: Path, screenshots: Path) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted(lag=0.1, mistakes=(Mistake(9.1, 13.1),))
    game.ctx.push("play", PlaySetup(level_of(game)))
    run(game, clock, 30.0, until="results")
    run(game, clock, 0.1, [key(pygame.K_RETURN)])
    assert top_name(game) == "practice"
    practice = game.ctx.stack.top
    while not practice.passes:
        run(game, clock, 0.5)
    run(game, clock, 0.1, [key(pygame.K_r)])
    assert top_name(game) == "replay"
    take = game.ctx.stack.top.take
    assert take.speed == 0.5 and not take.passed and take.span == LoopSpan(5, 6)
    assert [e.judgement for e in take.events] == [Judgement.MISS] * 4
    run(game, clock, 12.0)
    pygame.image.save(game.ctx.screen, screenshots / "replay-3-practice.png")
    run(game, clock, 0.1, [key(pygame.K_ESCAPE)])
    assert top_name(game) == "practice"
