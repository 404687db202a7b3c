"""Learn mode in the game: level select's L, watch, count-in, tries, section cleared, add-on,
whole song; saved and shown in level select. Screenshots: tests/screenshots/learn-*.png."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
from game_driver import FakeClock, key, make_game, make_test_level, scripted, top_name

from game.app import Game
from game.capture.bot import BotDancer, BotPoseInput, Mistake
from game.scenes.learn import LearnScene
from game.scenes.level_select import LevelSelectScene

SHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture
def levels(tmp_path: Path) -> Path:
    make_test_level(tmp_path / "levels", seconds=44.0)
    return tmp_path / "levels"


STEP_S = 1 / 20  # a whole course is minutes of game time: 20 frames a second of it (the
# judge sees every scripted pose either way; a frame is what costs)


def frames_until(game: Game, clock: FakeClock, done, limit_s: float = 400.0) -> None:
    """Run frames (20 fps of game time) until `done()` or `limit_s` of game time."""
    for _ in range(round(limit_s / STEP_S)):
        if done():
            return
        game.frame([])
        clock.time += STEP_S
    raise AssertionError("never happened")


def shot(game: Game, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    pygame.image.save(game.ctx.screen, SHOTS / f"learn-{name}.png")


def test_a_clean_dancer_learns_the_song_section_by_section(levels: Path):
    clock = FakeClock()
    game = make_game(levels, clock, LevelSelectScene)
    game.ctx.inputs.factory = scripted(lag=0.1)
    game.frame([key(pygame.K_l)])
    scene = game.ctx.stack.top
    assert isinstance(scene, LearnScene) and scene.watching
    cuts = scene.course.sections
    assert len(cuts) >= 2
    frames_until(game, clock, lambda: scene.run.clock.position > scene.span()[0] + 1.0)
    shot(game, "1-watch")
    frames_until(game, clock, lambda: not scene.watching)
    start = scene.span()[0]
    spb = game.ctx.settings and scene.setup.level.grid.seconds_per_beat
    frames_until(game, clock, lambda: scene.run.clock.position > start - 1.6 * spb)
    shot(game, "2-count-in")
    frames_until(game, clock, lambda: scene.run.clock.position > start + 3.0)
    shot(game, "3-try")
    frames_until(game, clock, lambda: scene.verdict == "cleared" and scene.break_until)
    shot(game, "4-section-cleared")
    assert scene.title().startswith("SECTION 1/")  # the step just cleared, until the next
    assert scene.course.section_cleared(0) == 1.0
    frames_until(game, clock, lambda: scene.course.current.kind != "section"
                 and scene.break_until is None
                 and scene.run.clock.position > scene.span()[0] + 1.0)  # fmt: skip
    assert not scene.watching  # sections already watched are not watched again
    shot(game, "5-add-on" if scene.course.current.kind == "add-on" else "6-whole-song")
    frames_until(
        game,
        clock,
        lambda: (
            scene.course.current.kind == "whole"
            and scene.break_until is None
            and scene.run.clock.position > scene.span()[0] + 2.0
        ),
    )
    shot(game, "6-whole-song")
    frames_until(game, clock, lambda: scene.course.done and scene.break_until, 900.0)
    shot(game, "7-song-learned")
    frames_until(game, clock, lambda: top_name(game) == "level_select", 900.0)
    assert all(scene.course.section_cleared(i) == 1.0 for i in range(len(cuts)))
    game.frame([])
    shot(game, "8-level-select")
    level = game.ctx.stack.top.level
    assert game.ctx.learned(level) == (len(cuts), len(cuts))


def test_right_skips_left_goes_back_and_a_wrong_dance_moves_on(levels: Path):
    clock = FakeClock()
    game = make_game(levels, clock, LevelSelectScene)
    # a dancer who holds still through every try: no window GOOD
    game.ctx.inputs.factory = lambda setup, song_time_of, clean: BotPoseInput(
        [BotDancer(setup.level.pose, mistakes=(Mistake(0.0, 1e9, "freeze"),))], song_time_of
    )
    game.frame([key(pygame.K_l)])
    scene = game.ctx.stack.top
    assert isinstance(scene, LearnScene)
    game.frame([key(pygame.K_RIGHT)])
    assert scene.course.current.first == 1 and scene.watching
    game.frame([key(pygame.K_LEFT)])
    assert scene.course.current.first == 0
    game.frame([key(pygame.K_SPACE)])
    assert not scene.watching
    frames_until(game, clock, lambda: scene.course.current.first == 1)
    assert scene.course.section_cleared(0) is None
    game.frame([key(pygame.K_ESCAPE)])
    assert top_name(game) == "level_select"
    assert game.ctx.learned(game.ctx.stack.top.level) == (0, len(scene.course.sections))


def test_after_a_try_r_replays_it_and_l_loops_the_step(levels: Path):
    """From a learn try: R shows the try just danced beside the coach (Esc comes back to
    learn), L opens the A-B loop on the step's own bars at the speed being tried."""
    clock = FakeClock()
    game = make_game(levels, clock, LevelSelectScene)
    game.ctx.inputs.factory = scripted(lag=0.1)
    game.frame([key(pygame.K_l)])
    scene = game.ctx.stack.top
    game.frame([key(pygame.K_SPACE)])  # straight to the first try
    frames_until(game, clock, lambda: scene.last_take is not None)
    take = scene.last_take
    assert take.number == 1 and take.speed == 0.5 and len(take.poses) > 10
    assert take.span == scene.step_bars() and take.span.first == 1
    game.frame([key(pygame.K_r)])
    assert top_name(game) == "replay"
    for _ in range(30):
        game.frame([])
        clock.time += STEP_S
    shot(game, "9-replay")
    game.frame([key(pygame.K_ESCAPE)])
    assert game.ctx.stack.top is scene
    game.frame([key(pygame.K_l)])
    loop = game.ctx.stack.top
    assert loop.name == "loop" and loop.span == scene.step_bars()
    assert loop.speed == scene.course.current_speed


@pytest.mark.parametrize("count", [4, 42, 250])
def test_the_window_dots_end_inside_the_panel_however_long_the_step(count: int):
    """One dot per window from the summary line to the panel's edge: spaced 18 px when they
    fit, closer and smaller when a long step (the whole song) has more."""
    from game.render.practice_hud import draw_window_dots
    from game.scoring.rules import Judgement, WindowJudgement

    events = [WindowJudgement(w, Judgement.PERFECT, w, w + 1, 2 * w, 2 * w + 2, 0.0, 1.0, (), ())
              for w in range(count)]  # fmt: skip
    surface = pygame.Surface((1280, 40))
    draw_window_dots(surface, (700, 20), 1232, events)
    lit = pygame.surfarray.array3d(surface).sum(axis=2).sum(axis=1) > 0  # per column
    columns = lit.nonzero()[0]
    assert columns.min() >= 700 and columns.max() <= 1232
    if count == 4:
        assert columns.max() < 800  # 18 px apart, not stretched
    else:
        assert columns.max() > 1150  # the row used, not a pile


def test_a_ticked_speed_keeps_its_tick_clear_of_its_label():
    """The ladder's tick sits left of the speed, with a gap (it used to touch the "0.5x")."""
    from game.render import theme
    from game.render.practice_hud import draw_speed_ladder

    pygame.init()
    surface = pygame.Surface((400, 60))
    area = draw_speed_ladder(surface, (390, 10), (0.5, 0.75, 1.0), 1.0, {0.5, 0.75}, False)
    band = pygame.surfarray.array3d(surface)[:, area.centery - 8 : area.centery + 9]
    tick = (abs(band - theme.GOOD_TINT[:3]).sum(axis=2) < 30).any(axis=1)
    label = (abs(band - theme.TEXT[:3]).sum(axis=2) < 60).any(axis=1)
    first_rung = range(area.x, area.x + 80)
    tick_cols = [x for x in first_rung if tick[x]]
    label_cols = [x for x in first_rung if label[x] and x > tick_cols[0]]
    assert tick_cols and label_cols
    assert max(tick_cols) + 5 < min(label_cols)


def test_level_select_rows_show_learn_progress_once_begun():
    from game.level.model import LevelMeta
    from game.scenes.level_select import row_info

    meta = LevelMeta(title="T", audio="a.ogg", bpm=90.0, offset=0.0, beats_per_window=2,
                     duration=68.0, artist="Ann", rating="easy")  # fmt: skip
    assert row_info(meta, None) == "Ann  ·  90 BPM  ·  1:08"
    assert row_info(meta, (2, 5)).endswith("·  learned 2/5")


def test_a_failed_try_says_how_close_it_came_in_moves_and_coaches_the_worst(levels: Path):
    """The verdict counts moves against the rule, the missed ones are ringed on the strip
    (the worst gold) and the worst one's coaching is shown under it."""
    clock = FakeClock()
    game = make_game(levels, clock, LevelSelectScene)
    game.frame([key(pygame.K_l)])
    scene = game.ctx.stack.top
    assert isinstance(scene, LearnScene)
    start, end = scene.span()
    mistakes = (Mistake(start + 0.4 * (end - start), end, "drop_arms"),)  # the first try only
    game.ctx.inputs.factory = scripted(lag=0.1, mistakes=mistakes)
    game.frame([key(pygame.K_SPACE)])
    frames_until(game, clock, lambda: scene.break_until is not None)
    take = scene.last_take
    assert take is not None and not take.passed
    verdict = take.verdict
    assert verdict.good < verdict.needed and verdict.missed
    assert verdict.text().startswith(f"{verdict.good} of {verdict.total} moves GOOD or better: ")
    assert "more to pass" in verdict.text() or "in a row" in verdict.text()
    words = scene.coaching(take)
    assert words and verdict.worst in verdict.missed
    frames_until(game, clock, lambda: clock.time >= scene.break_until - 0.5)
    shot(game, "9-again")
    frames_until(
        game, clock, lambda: scene.break_until is None and scene.run.clock.position > start
    )
    shot(game, "10-next-try")
