"""Whole songs played headless the way a player meets them: title -> level select -> get
ready -> play -> results -> practice, with a fake clock and scripted dancers. Every scene
is saved as a screenshot in tests/screenshots/."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pygame
import pytest
from game_driver import FakeClock, key, make_game, make_test_level, run, scripted, top_name

from game.app import Game
from game.capture.base import PoseOnlyInput
from game.capture.bot import Mistake
from game.play_setup import PlaySetup
from game.scenes.play import PlayScene
from game.scoring.rules import Judgement


@pytest.fixture
def levels(tmp_path: Path) -> Path:
    make_test_level(tmp_path / "levels")
    return tmp_path / "levels"


def play_to_results(game: Game, clock: FakeClock, shots: Path | None = None) -> None:
    """From the title screen to the scorecard, pressing what a player would press."""
    run(game, clock, 0.5)
    if shots:
        pygame.image.save(game.ctx.screen, shots / "1-title.png")
    run(game, clock, 0.5, [key(pygame.K_RETURN)])
    assert top_name(game) == "level_select"
    if shots:
        pygame.image.save(game.ctx.screen, shots / "2-level-select.png")
    run(game, clock, 0.4, [key(pygame.K_RETURN)])
    assert top_name(game) == "get_ready"
    if shots:
        pygame.image.save(game.ctx.screen, shots / "3-get-ready.png")
    run(game, clock, 6.0, until="play")
    assert top_name(game) == "play"
    run(game, clock, 9.6)
    if shots:
        pygame.image.save(game.ctx.screen, shots / "4-play.png")
    run(game, clock, 30.0, until="results")
    assert top_name(game) == "results"
    run(game, clock, 0.1)
    if shots:
        pygame.image.save(game.ctx.screen, shots / "5-results.png")


def test_autoplay_reaches_results_all_perfect_with_grade_s(levels: Path) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted(lag=0.0)
    play_to_results(game, clock)
    results = game.ctx.stack.top
    (summary,) = results.summaries
    assert summary.counts[Judgement.PERFECT] == summary.total_windows == 18
    assert summary.grade == "S" and summary.score == 100.0
    assert summary.missed_segments == ()
    assert game.ctx.inputs.camera_lag is None  # a bot's lag says nothing about the camera
    saved = json.loads((levels.parent / "progress.json").read_text())
    assert saved["levels"]["synthetic-song"]["history"][0]["grade"] == "S"


def test_bot_missing_bars_5_and_6_is_listed_and_practice_loops_until_cleared(
    levels: Path, screenshots: Path
) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    # 120 BPM, first beat at 1 s: bars 5-6 are beats 16-24, 9-13 s; the bot dances 0.1 s
    # late, so it fumbles them from 9.1 to 13.1 s of song time.
    game.ctx.inputs.factory = scripted(lag=0.1, jitter=0.002, mistakes=(Mistake(9.1, 13.1),))
    play_to_results(game, clock, screenshots)
    results = game.ctx.stack.top
    (summary,) = results.summaries
    by_window = {e.window: e.judgement for e in results.events[0]}
    assert [by_window[w] for w in range(8, 12)] == [Judgement.MISS] * 4
    assert all(by_window[w] >= Judgement.GOOD for w in by_window if not 8 <= w < 12)
    (segment,) = summary.missed_segments
    assert (segment.start_s, segment.end_s) == (9.0, 13.0)
    assert {"left_shoulder", "right_shoulder"} & set(segment.joints)
    # The scorecard coaches the frozen (raised) arms in a teacher's words: which arm, which
    # way, on which counts; no degrees.
    words = results.coaching(0, segment)
    counts = " on " in (words or "") or "all through the eight" in (words or "")
    assert words and "arm" in words and counts and "°" not in words, words

    run(game, clock, 0.1, [key(pygame.K_RETURN)])  # focus starts on the segment's button
    assert top_name(game) == "practice"
    practice = game.ctx.stack.top
    run(game, clock, 4.0)
    pygame.image.save(game.ctx.screen, screenshots / "6-practice.png")
    # 0.5x: a pass fails (the scripted mistake), later passes are clean and speed up.
    run(game, clock, 80.0)
    speeds = [speed for speed, _ in practice.passes]
    assert practice.passes[0] == (0.5, False)
    assert (0.5, True) in practice.passes and (1.0, True) in practice.passes
    assert speeds.index(0.75) < speeds.index(1.0)
    assert practice.cleared
    run(game, clock, 0.1, [key(pygame.K_ESCAPE)])
    assert top_name(game) == "results"
    run(game, clock, 0.1)
    pygame.image.save(game.ctx.screen, screenshots / "7-results-cleared.png")
    assert (0, segment.first_window) in results.cleared
    assert results.passed_at[(0, segment.first_window)] == 1.0


def test_pause_then_quit_mid_song_saves_nothing(levels: Path, screenshots: Path) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted()
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 6.0, until="play")
    run(game, clock, 5.0)
    run(game, clock, 0.2, [key(pygame.K_ESCAPE)])
    assert top_name(game) == "pause"
    paused_at = game.ctx.stack.scenes[-2].run.clock.position
    run(game, clock, 3.0)  # time passes while paused; the song does not
    assert game.ctx.stack.scenes[-2].run.clock.position == pytest.approx(paused_at, abs=0.02)
    pygame.image.save(game.ctx.screen, screenshots / "8-pause.png")
    run(game, clock, 0.1, [key(pygame.K_DOWN), key(pygame.K_DOWN), key(pygame.K_RETURN)])
    assert top_name(game) == "level_select"
    assert not (levels.parent / "progress.json").exists()


def test_restart_from_pause_starts_the_song_over(levels: Path) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted()
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_RETURN), key(pygame.K_RETURN)])  # start anyway
    run(game, clock, 6.0, until="play")
    run(game, clock, 4.0)
    run(game, clock, 0.1, [key(pygame.K_ESCAPE)])
    run(game, clock, 0.1, [key(pygame.K_DOWN), key(pygame.K_RETURN)])
    play = game.ctx.stack.top
    assert isinstance(play, PlayScene) and play.run is not None
    assert play.run.clock.position < 0.5 and not play.judging.players[0].processor.events


def test_a_player_who_walks_out_gets_no_pose_and_a_message(levels: Path, screenshots: Path) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted(mistakes=(Mistake(5.0, 8.0, "absent"),))
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 6.0, until="play")
    run(game, clock, 6.5)
    pygame.image.save(game.ctx.screen, screenshots / "9-player-left.png")
    run(game, clock, 30.0, until="results")
    events = game.ctx.stack.top.events[0]
    gone = {e.window for e in events if e.judgement == Judgement.NO_POSE}
    assert {4, 5} <= gone <= {3, 4, 5, 6}


def test_calibration_takes_the_median_lag_of_the_last_song(levels: Path, screenshots: Path) -> None:
    from game.config import Settings
    from game.inputs import InputPlan

    clock = FakeClock()
    game = make_game(levels, clock, plan=InputPlan("camera", camera=0))
    game.ctx.inputs.factory = scripted(lag=0.2)  # a camera whose poses arrive 200 ms late
    before = game.ctx.settings.camera_latency_ms  # 80 ms assumed so far
    play_to_results(game, clock)
    assert game.ctx.inputs.camera_lag is not None
    assert 0.08 <= game.ctx.inputs.camera_lag <= 0.16  # what the 80 ms left unexplained
    run(game, clock, 0.1, [key(pygame.K_ESCAPE)])  # scorecard -> level select
    run(game, clock, 0.1, [key(pygame.K_ESCAPE)])  # -> title
    run(game, clock, 0.1, [key(pygame.K_DOWN), key(pygame.K_RETURN)])  # Calibrate
    assert top_name(game) == "calibrate"
    run(game, clock, 0.1, [key(pygame.K_RETURN)])  # Save
    pygame.image.save(game.ctx.screen, screenshots / "10-calibrate.png")
    saved = Settings.load()
    assert saved.camera_latency_ms == pytest.approx(200.0, abs=40)
    assert saved.camera_latency_ms > before
    assert game.ctx.settings == saved


def test_a_notice_lasts_until_the_next_song_starts(levels: Path) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted()
    game.ctx.notice = "could not save settings"
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    assert top_name(game) == "level_select" and game.ctx.notice == "could not save settings"
    run(game, clock, 0.2, [key(pygame.K_RETURN), key(pygame.K_RETURN)])
    run(game, clock, 6.0, until="play")
    assert game.ctx.notice is None
    game.close()


def test_a_song_file_that_will_not_decode_is_listed_broken_and_cannot_be_started(
    levels: Path, screenshots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rhythm level without its music teaches nothing: refused, with the file named (its
    path wrapped between folders, never inside a name), and no key offered to dance it."""
    from game.scenes import level_select

    drawn: list[str] = []
    real_text = level_select.draw.text

    def text(surface, message, *args, **kwargs):
        drawn.append(message)
        return real_text(surface, message, *args, **kwargs)

    monkeypatch.setattr(level_select.draw, "text", text)
    song = levels / "synthetic-song" / "song.ogg"
    song.write_bytes(b"OggS but not really")
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted()
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    select = game.ctx.stack.top
    assert top_name(game) == "level_select" and select.setup() is None
    assert str(song) in (select.load_problem or "") and "cannot be decoded" in select.load_problem
    run(game, clock, 0.4, [key(pygame.K_RETURN), key(pygame.K_l), key(pygame.K_SPACE)])
    assert top_name(game) == "level_select"  # neither the song nor learn mode starts
    drawn.clear()
    run(game, clock, 1 / 30)
    assert level_select.BROKEN_HINT in drawn and level_select.KEYS_HINT not in drawn
    assert all(any(name in line for line in drawn) for name in song.parts[1:])  # none cut
    pygame.image.save(game.ctx.screen, screenshots / "level-select-broken.png")
    game.close()


def test_a_level_with_a_broken_manifest_is_listed_as_broken_with_its_reason(
    levels: Path,
) -> None:
    make_test_level(levels, "no-pose")
    (levels / "no-pose" / "pose.npz").unlink()
    clock = FakeClock()
    game = make_game(levels, clock)
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    select = game.ctx.stack.top
    assert [entry.id for entry in select.levels] == ["synthetic-song", "no-pose"]
    run(game, clock, 0.2, [key(pygame.K_DOWN)])
    assert select.setup() is None and "pose.npz: file: missing" in (select.load_problem or "")
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    assert top_name(game) == "level_select"
    game.close()


def test_level_select_remembers_the_difficulty(levels: Path) -> None:
    from game.config import Settings

    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted()
    run(game, clock, 0.1, [key(pygame.K_RETURN)])
    run(game, clock, 0.1, [key(pygame.K_RIGHT)])  # normal -> hard
    run(game, clock, 0.1, [key(pygame.K_RETURN)])
    assert top_name(game) == "get_ready"
    assert game.ctx.stack.top.setup.difficulty == "hard"
    assert Settings.load().difficulty == "hard"


def _segment(start: float, end: float):
    from game.scoring.score import MissedSegment

    first, last = round((start - 1.0) / 1.0), round((end - 1.0) / 1.0) - 1
    return MissedSegment(first, last, 2.0 * first, 2.0 * (last + 1), start, end, ())


class _RaisedHand(PoseOnlyInput):
    """A camera that sees one person holding the right wrist up at a chosen screen spot."""

    players = 1

    def __init__(self, clock: FakeClock, screen_xy: tuple[int, int]) -> None:
        self.clock, self.screen_xy = clock, screen_xy

    def poll(self, now: float) -> list[list]:
        from game.pose.frame import PoseFrame
        from game.pose.pointing import interaction_zone
        from game.pose.skeleton import INDEX

        landmarks = np.zeros((33, 3), np.float32)
        for name, xy in (("left_shoulder", (0.55, 0.4)), ("right_shoulder", (0.45, 0.4)),
                         ("left_hip", (0.53, 0.7)), ("right_hip", (0.47, 0.7)),
                         ("left_wrist", (0.56, 0.75))):  # fmt: skip
            landmarks[INDEX[name], :2] = xy
        pose = PoseFrame(now, landmarks, np.ones(33, np.float32))
        x0, y0, width, height = interaction_zone(pose)
        u, v = self.screen_xy[0] / 1280, self.screen_xy[1] / 720
        landmarks[INDEX["right_wrist"], :2] = (x0 + (1 - u) * width, y0 + v * height)
        return [[pose]]

    def latest_image(self) -> np.ndarray:
        return np.zeros((100, 100, 3), np.uint8)

    def problem(self) -> None:
        return None

    def close(self) -> None:
        pass


def test_a_hand_held_over_a_button_for_a_second_presses_it(levels: Path) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = scripted()
    play_to_results(game, clock)
    levels_button = (404, 670)  # the scorecard's "Levels" button
    game.ctx.inputs.camera = _RaisedHand(clock, levels_button)
    run(game, clock, 0.5)
    assert top_name(game) == "results"  # half a second is not enough
    run(game, clock, 0.7)
    assert top_name(game) == "level_select"
    game.ctx.inputs.camera = _RaisedHand(clock, (300, 300))  # below the list's last row: nothing
    run(game, clock, 1.5)
    assert top_name(game) == "level_select"


def test_get_ready_asks_only_for_the_joints_the_coach_shows(levels: Path) -> None:
    from dataclasses import replace

    from game.level.loader import load_level
    from game.pose.skeleton import L_ANKLE, L_KNEE, NOSE
    from game.scenes.get_ready import framing_advice, needed_landmarks

    level = load_level(levels / "synthetic-song")
    full = needed_landmarks(PlaySetup(level))
    assert {L_KNEE, L_ANKLE, NOSE} <= set(full)
    visibility = level.pose.visibility.copy()
    visibility[:, 25:] = 0.0  # a waist-up coach: no knees, ankles or feet
    waist_up = replace(level, pose=replace(level.pose, visibility=visibility))
    needed = needed_landmarks(PlaySetup(waist_up))
    assert L_KNEE not in needed and NOSE in needed
    player = level.pose.frame(0)
    legless = replace(player, visibility=visibility[0])
    assert framing_advice(legless, needed) is None
    assert framing_advice(legless, full).startswith("Step back")
    assert framing_advice(None, full) == "Move into frame"


def test_a_progress_file_that_cannot_be_written_does_not_stop_the_scorecard(
    levels: Path,
) -> None:
    from game.progress import ProgressStore

    blocker = levels.parent / "not-a-folder"
    blocker.write_text("a file where the save folder should be")
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.progress = ProgressStore(blocker / "progress.json")
    game.ctx.inputs.factory = scripted()
    play_to_results(game, clock)
    assert top_name(game) == "results"
    assert "progress not saved" in (game.ctx.notice or "")  # not "unreadable": nothing was there


def test_f11_on_a_display_that_cannot_go_fullscreen_changes_nothing(levels: Path) -> None:
    from game.config import Settings

    clock = FakeClock()
    game = make_game(levels, clock)
    run(game, clock, 0.1, [key(pygame.K_F11)])
    assert top_name(game) == "title" and not game.ctx.settings.fullscreen
    assert Settings.load() == Settings()  # nothing saved


def test_the_demo_bots_plays_are_not_saved_as_the_players_best(
    levels: Path, screenshots: Path
) -> None:
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.saves_plays = False  # as `build_game` sets it for the demo plan
    game.ctx.inputs.factory = scripted()
    play_to_results(game, clock)
    assert not game.ctx.stack.top.new_best
    assert not (levels.parent / "progress.json").exists()
    pygame.image.save(game.ctx.screen, screenshots / "5-results-demo.png")
    game.close()


def test_a_segment_passed_below_1x_shows_its_best_speed_on_the_scorecard(levels: Path) -> None:
    from game.level.loader import load_level
    from game.render.scorecard import draw_segments
    from game.scenes.results import SEGMENTS_RECT
    from game.scoring.score import MissedSegment

    pygame.font.init()
    level = load_level(levels / "synthetic-song")
    segment = MissedSegment(4, 5, 8.0, 12.0, 5.0, 7.0, ("left_forearm",))

    def scorecard(passed_at: dict) -> np.ndarray:
        surface = pygame.Surface((1280, 720))
        draw_segments(surface, SEGMENTS_RECT, [level], False, [(0, segment)], passed_at, 0, False)
        return pygame.surfarray.array3d(surface).astype(int)

    plain, slower, cleared = scorecard({}), scorecard({(0, 4): 0.75}), scorecard({(0, 4): 1.0})
    note = np.abs(slower - plain).sum(axis=-1) > 0
    xs = np.flatnonzero(note.any(axis=1))
    assert xs.size and xs.min() > SEGMENTS_RECT.x + 100  # beside the segment's time
    assert (np.abs(cleared - slower).sum(axis=-1) > 0).any()  # CLEARED replaces the button
