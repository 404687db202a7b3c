"""A video used as the camera that ends before the song: the screen says so, and the rest of
the song is not blamed on the player (no NO POSE windows; the totals leave them out)."""

from __future__ import annotations

from pathlib import Path

import pygame
from game_driver import FakeClock, key, make_game, make_test_level, run, top_name

from game.capture.base import PoseOnlyInput
from game.capture.bot import BotDancer, BotPoseInput
from game.play_setup import PlaySetup
from game.pose.frame import PoseFrame
from game.scoring.rules import Judgement

VIDEO_ENDS_S = 9.0


class _VideoThatEnds(PoseOnlyInput):
    """The bot, as a video would give it, until song time VIDEO_ENDS_S; then it has ended."""

    def __init__(self, inner: BotPoseInput, song_time_of) -> None:
        self.inner, self.song_time_of, self.players = inner, song_time_of, inner.players
        self._ended = False

    def poll(self, now: float) -> list[list[PoseFrame]]:
        if self.song_time_of(now) >= VIDEO_ENDS_S:
            self._ended = True
            return [[] for _ in range(self.players)]
        return self.inner.poll(now)

    @property
    def ended(self) -> bool:
        return self._ended


def test_a_video_that_ends_is_not_blamed_for_the_rest_of_the_song(
    tmp_path: Path, screenshots: Path
) -> None:
    make_test_level(tmp_path / "levels")
    clock = FakeClock()
    game = make_game(tmp_path / "levels", clock)

    def factory(setup: PlaySetup, song_time_of, clean: bool) -> _VideoThatEnds:
        bot = BotPoseInput([BotDancer(setup.level.pose, lag=0.05, seed=0)], song_time_of)
        return _VideoThatEnds(bot, song_time_of)

    game.ctx.inputs.factory = factory
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_RETURN), key(pygame.K_RETURN)])
    run(game, clock, 6.0, until="play")
    play = game.ctx.stack.top
    run(game, clock, VIDEO_ENDS_S + 1.0)
    assert play.run.input_ended_song_s is not None
    pygame.image.save(game.ctx.screen, screenshots / "11-video-ended.png")
    run(game, clock, 4.0, until="results")
    assert top_name(game) == "results"  # the song ends with the video, not 10 s later
    (summary,) = game.ctx.stack.top.summaries
    (events,) = game.ctx.stack.top.events
    assert all(e.judgement != Judgement.NO_POSE for e in events)
    assert all(e.end_s <= VIDEO_ENDS_S + 0.2 for e in events)
    assert summary.total_windows == summary.judged_windows == len(events) < 18
    assert summary.grade == "S"
