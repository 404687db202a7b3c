"""The play scene: the song runs, poses are judged window by window, the HUD reacts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.play_setup import PlaySetup
from game.pose.frame import PoseFrame
from game.render import draw, theme
from game.render.hud import draw_progress, song_time_text
from game.render.image import ImageBlitter
from game.scenes.looped import toggle_see_yourself
from game.scenes.song_layout import PLAYER_RECT
from game.scenes.song_run import SongRun
from game.scenes.song_view import draw_stage
from game.scenes.stack import Scene
from game.scoring.live import LiveJudging
from game.scoring.loop_pass import LoopPass, pass_rule
from game.scoring.rules import Judgement
from game.spotlight import TOGGLE_KEYS
from game.timing.loop import LoopSpan, bar_at, bar_count

if TYPE_CHECKING:
    from game.scenes.context import SceneContext

END_PAUSE_S = 0.6  # linger after the last window closes before the scorecard
NOTICE_S = 6.0  # how long into the song a notice stays up
VIDEO_ENDED_S = 2.5  # "video ended" stays up this long before the scorecard


class PlayScene(Scene):
    name = "play"

    def __init__(self, ctx: SceneContext, setup: PlaySetup) -> None:
        super().__init__(ctx)
        self.setup = setup
        self.level = setup.level
        self.judging = LiveJudging(setup.judges())
        self.run: SongRun | None = None
        self.blitter_coach = ImageBlitter()
        self.blitter_camera = ImageBlitter()
        self.finished_song_s: float | None = None
        self.poses: list[PoseFrame] = []  # P1's poses, for the instant replay on the scorecard

    def enter(self) -> None:
        self.ctx.notice = None  # the last song's or menu's notice has been seen by now
        self.run = SongRun(self, self.setup, self.judging, self.level.audio_path)

    def pause(self) -> None:
        assert self.run is not None
        self.run.pause()

    def resume(self) -> None:
        assert self.run is not None
        self.run.resume()

    def leave(self) -> None:
        if self.run is not None:
            self.run.close()
        if self.ctx.recorder is not None:  # the take ends with the song: now it is written
            self.ctx.recorder.finish(self)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in (pygame.K_ESCAPE, pygame.K_p):
            self.ctx.push("pause", self.restart, "level_select", "Quit to levels", self.loop_here)
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_y:  # see yourself on/off
            toggle_see_yourself(self.ctx)
            return True
        toggles = event.type == pygame.KEYDOWN and event.key in TOGGLE_KEYS
        if toggles and self.run is not None and self.run.spotlight is not None:
            self.ctx.whole_group = not self.ctx.whole_group  # your member / the whole group
            return True
        return False

    def loop_here(self) -> None:
        """Pause menu: loop the bar playing and the next at the song's speed."""
        assert self.run is not None
        grid = self.level.grid
        bar = bar_at(grid, self.run.clock.position)
        self.ctx.replace("loop", self.setup, LoopSpan(bar, min(bar + 1, bar_count(grid))), 1.0)

    def update(self) -> None:
        assert self.run is not None
        song = self.run.step()
        latest = self.judging.players[0].latest
        if latest is not None and (not self.poses or self.poses[-1] is not latest):
            self.poses.append(latest)
        if self.judging.done and self.finished_song_s is None:
            self.finished_song_s = song
        linger = END_PAUSE_S if self.run.input_ended_song_s is None else VIDEO_ENDED_S
        if self.finished_song_s is not None and song >= self.finished_song_s + linger:
            self._finish()

    def _finish(self) -> None:
        players = range(self.setup.players)
        self.ctx.inputs.note_lags([e.lag_s for e in self.judging.players[0].processor.events
                                   if e.judgement != Judgement.NO_POSE])  # fmt: skip
        summaries = [self.judging.summary(p) for p in players]
        events = [self.judging.players[p].processor.events for p in players]
        grid = self.level.grid
        assert self.run is not None
        take = LoopPass(0, LoopSpan(1, bar_count(grid)), 1.0, self.setup.mirror, tuple(events[0]),
                        tuple(self.poses), 0.0, self.run.clock.position,
                        pass_rule(self.setup.difficulty))  # fmt: skip
        self.ctx.replace("results", self.setup, summaries, events, None, take)

    def restart(self) -> None:
        self.ctx.replace("play", self.setup)

    def draw(self, surface: pygame.Surface) -> None:
        assert self.run is not None
        song = self.run.clock.position
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        grid = self.level.grid
        draw_progress(surface, pygame.Rect(24, 14, 1232, 8), song / max(grid.end_time, 1e-6))
        draw.text(surface, self.level.title, (24, 30), 34, theme.TEXT)
        where = song_time_text(song, grid.end_time)  # a 4-minute song: how far along
        artist = f"{self.level.meta.artist}  ·  " if self.level.meta.artist else ""
        draw.text(surface, artist + where, (1256, 34), 26, theme.MUTED, "topright")
        draw_stage(
            surface, self.run, (self.blitter_coach, self.blitter_camera),
            range(self.setup.players), thin=self.ctx.settings.see_yourself,
        )  # fmt: skip
        noticed = bool(self.ctx.notice) and song < NOTICE_S
        if noticed:  # e.g. the song could not be played
            draw.tag(surface, self.ctx.notice, (640, 30), 22, theme.GOLD, "midtop")
        if (recorder := self.ctx.recorder) is not None:  # `play --record`: the frame is taken
            recorder.add(self, surface, song, self.level.audio_path)
            if recorder.error and recorder.status:  # drawn after the take's frame was taken
                line = draw.fit(recorder.status, 22, 760)
                draw.tag(surface, line, (640, 60 if noticed else 30), 22, theme.WRONG, "midtop")
        if problem := self.run.input.problem():
            draw.text(
                surface,
                problem,
                (PLAYER_RECT.centerx, PLAYER_RECT.bottom - 40),
                26,
                theme.WRONG,
                "center",
                shadow=True,
            )
