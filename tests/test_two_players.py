"""Two players, one screen: identities, per-player judging, winner and missed segments."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
from game_driver import FakeClock, key, make_game, make_test_level, run, top_name

from game.capture.base import PoseOnlyInput
from game.capture.bot import BotDancer, BotPoseInput, Mistake
from game.capture.merged import MergedInput
from game.play_setup import PlaySetup
from game.pose.frame import PoseFrame
from game.scoring.rules import Judgement
from game.session import capture_order


def two_bots(mistaken: int, mistakes: tuple[Mistake, ...]):
    """Bots in capture order (0 = left of the camera image); `mistaken` fumbles."""

    def factory(setup: PlaySetup, song_time_of, clean: bool) -> BotPoseInput:
        assert setup.players == 2
        spread = 0.25 * setup.level.pose.aspect
        dancers = [
            BotDancer(setup.level.pose, lag=0.08, jitter=0.002, seed=k,
                      x_offset=(2 * k - 1) * spread,
                      mistakes=mistakes if k == mistaken and not clean else ())
            for k in range(2)
        ]  # fmt: skip
        return BotPoseInput(dancers, song_time_of)

    return factory


def test_a_whole_song_for_two_where_one_fumbles(tmp_path: Path, screenshots: Path) -> None:
    levels = tmp_path / "levels"
    make_test_level(levels)
    clock = FakeClock()
    game = make_game(levels, clock)
    # The camera's left person shows on the right of the mirrored screen: that is P2.
    # The bots dance 0.08 s late: bars 5-6 (9-13 s) are fumbled from 9.08 to 13.08 s.
    game.ctx.inputs.factory = two_bots(mistaken=0, mistakes=(Mistake(9.08, 13.08, "drop_arms"),))
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_2)])
    pygame.image.save(game.ctx.screen, screenshots / "p2-1-level-select.png")
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.8)
    pygame.image.save(game.ctx.screen, screenshots / "p2-2-get-ready.png")
    run(game, clock, 6.0, until="play")
    run(game, clock, 10.0)
    pygame.image.save(game.ctx.screen, screenshots / "p2-3-play.png")
    run(game, clock, 30.0, until="results")
    run(game, clock, 0.1)
    pygame.image.save(game.ctx.screen, screenshots / "p2-4-results.png")
    results = game.ctx.stack.top
    p1, p2 = results.summaries
    assert p1.score > p2.score and p1.missed_segments == ()
    (segment,) = p2.missed_segments
    assert (segment.start_s, segment.end_s) == (9.0, 13.0)
    assert results.segments == [(1, segment)]
    p2_events = {e.window: e.judgement for e in results.events[1]}
    assert all(p2_events[w] == Judgement.MISS for w in range(8, 12))
    assert all(e.judgement >= Judgement.GOOD for e in results.events[0])
    assert results.focus == 0 and results.replay_what() == "P1's song"  # P2's poses not kept
    run(game, clock, 0.1, [key(pygame.K_r)])
    assert top_name(game) == "replay" and game.ctx.stack.top.take.span.first == 1
    run(game, clock, 0.1, [key(pygame.K_ESCAPE)])
    assert top_name(game) == "results"
    run(game, clock, 0.1, [key(pygame.K_RETURN)])
    assert top_name(game) == "practice" and game.ctx.stack.top.player == 1


def test_one_player_walking_out_leaves_the_other_playing(tmp_path: Path) -> None:
    levels = tmp_path / "levels"
    make_test_level(levels)
    clock = FakeClock()
    game = make_game(levels, clock, players=2)
    game.ctx.inputs.factory = two_bots(mistaken=1, mistakes=(Mistake(5.0, 9.0, "absent"),))
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 6.0, until="play")
    run(game, clock, 40.0, until="results")
    p1_events, p2_events = game.ctx.stack.top.events
    gone = {e.window for e in p1_events if e.judgement == Judgement.NO_POSE}
    assert {4, 5, 6} <= gone <= {3, 4, 5, 6, 7}
    assert all(e.judgement >= Judgement.GOOD for e in p1_events if e.window not in gone)
    assert all(e.judgement >= Judgement.GOOD for e in p2_events)


class _OneInput(PoseOnlyInput):
    def __init__(self, name: float, image: np.ndarray) -> None:
        self.players, self.name, self.image = 1, name, image

    def poll(self, now: float) -> list[list[PoseFrame]]:
        pose = PoseFrame(self.name, np.zeros((33, 3)), np.ones(33))
        return [[pose]]

    def latest_image(self) -> np.ndarray:
        return self.image

    def problem(self) -> str | None:
        return None

    def close(self) -> None:
        pass


def test_two_inputs_merge_with_the_first_on_the_screen_left() -> None:
    first = _OneInput(1.0, np.zeros((40, 30, 3), np.uint8))
    second = _OneInput(2.0, np.full((80, 60, 3), 255, np.uint8))
    merged = MergedInput(capture_order([first, second]))  # P1 = first
    left_of_image, right_of_image = merged.poll(0.0)
    assert (left_of_image[0].time, right_of_image[0].time) == (2.0, 1.0)
    # The first input sits right of the second (0.75 height units wide): its poses move over.
    assert left_of_image[0].landmarks[0, 0] == 0.0
    assert right_of_image[0].landmarks[0, 0] == 0.75
    image = merged.latest_image()
    assert image.shape == (40, 60, 3)  # both at the smaller height, side by side
    assert image[:, :30].min() == 255 and image[:, 30:].max() == 0
    assert merged.latest_image() is image  # composed once per new pair of frames
