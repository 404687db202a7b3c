"""A song (or a practice slice of it) in progress, shared by the play and practice scenes:
the pygame-free song session (clock, pose input, live judging) with the song's audio, the
coach video, sound effects and pop-ups. Drawing it is game.scenes.song_view's job."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from game.audio.player import play_song
from game.capture.base import PoseInput
from game.capture.reference_video import open_reference_video
from game.play_setup import PlaySetup
from game.scenes.song_layout import COACH_RECT
from game.scenes.stack import Scene
from game.scoring.live import LiveJudging
from game.scoring.rules import WindowJudgement
from game.session import SongSession
from game.spotlight import coach_spotlight


class SongRun:
    """A song (or a practice slice of it) in progress: the pygame-free `SongSession` (clock,
    input, judging) with the song's audio, the coach video, sound effects and pop-ups.

    Shared by the play and practice scenes; owns no drawing.
    """

    def __init__(
        self,
        scene: Scene,
        setup: PlaySetup,
        judging: LiveJudging,
        audio_path: Path | None,
        song_start: float = 0.0,
        rate: float = 1.0,
        clean_bot: bool = False,
    ) -> None:
        """Plays `audio_path`, whose first sample is song time `song_start`, at `rate`."""
        ctx = scene.ctx
        self.ctx = ctx
        self.setup = setup
        self.judging = judging
        self.song_start = song_start
        self.rate = rate
        self.session = SongSession(
            judging,
            lambda song_time_of: ctx.inputs.open(setup, song_time_of, clean_bot),
            ctx.now,
            self._heard,
            start=song_start,
            rate=rate,
            audio_offset_s=ctx.settings.audio_offset_ms / 1000.0,
            input_latency_s=ctx.inputs.latency,
        )
        self.clock = self.session.clock
        self.input: PoseInput = self.session.input
        self.popups: dict[int, tuple[WindowJudgement, float]] = {}  # player -> newest, song s
        self.video = open_reference_video(setup.level.video_path)
        self.video_frame: np.ndarray | None = None
        coach = COACH_RECT.inflate(-16, -16)
        self.spotlight = coach_spotlight(setup, coach) if self.video is not None else None
        """The crop following the players' members (a group video), or None."""
        self.audio, problem = play_song(ctx.audio, audio_path, ctx.settings.volume, ctx.now)
        if problem is not None:
            ctx.notice = problem

    @property
    def input_ended_song_s(self) -> float | None:
        return self.session.input_ended_song_s

    def _heard(self) -> float | None:
        position = self.audio.position()  # asked from step() on, once the song plays
        return None if position is None else self.song_start + position * self.rate

    def step(self) -> float:
        """One frame: the session's step, the coach video's frame, pop-ups and sounds."""
        song, closed = self.session.step()
        if self.video is not None:
            self.video_frame = self.video.frame_at(song)
        for player, event in closed:
            self.popups[player] = (event, song)
            self.ctx.sfx.play_judgement(event.judgement)
        return song

    def pause(self) -> None:
        """Hold the song: clock, audio, and a video used as the camera."""
        self.session.pause()
        self.audio.pause()

    def resume(self) -> None:
        self.session.resume()
        self.audio.resume()

    def close(self) -> None:
        self.session.close()
        self.audio.stop()
        if self.video is not None:
            self.video.close()
