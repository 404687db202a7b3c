"""Practice ("Break It Down"): loop one missed segment with a one-bar lead-in, slowed down
with the pitch kept, judging every pass; passing speeds it up; a pass at 1x clears it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.play_setup import PlaySetup
from game.render import draw, theme
from game.render.image import ImageBlitter
from game.render.key_hints import KeyHint, draw_key_hints
from game.render.practice_hud import draw_banner, draw_pass_summary, draw_speed_ladder
from game.render.scorecard import clock_text
from game.scenes.looped import LoopedScene, toggle_see_yourself
from game.scenes.song_layout import KEYS_RECT, LOOPED_TIMELINE_RECT, PLAYER_RECT
from game.scenes.song_run import SongRun
from game.scenes.song_view import draw_stage
from game.scoring.live import LiveJudging
from game.scoring.loop_pass import LoopPass, pass_rule
from game.scoring.rules import WindowJudgement
from game.scoring.score import MissedSegment
from game.spotlight import TOGGLE_KEYS
from game.timing.loop import TRY_SPEEDS as SPEEDS
from game.timing.loop import LoopSpan

if TYPE_CHECKING:
    from game.scenes.context import SceneContext

BREAK_S = 1.2  # the pause between passes, showing the verdict


class PracticeScene(LoopedScene):
    name = "practice"

    def __init__(
        self,
        ctx: SceneContext,
        setup: PlaySetup,
        player: int,
        segment: MissedSegment,
        on_cleared: Callable[[int, MissedSegment], None],
    ) -> None:
        """Practise `player`'s missed `segment`; `on_cleared` hears when it passes at 1x."""
        super().__init__(ctx, setup, player)
        self.segment = segment
        self.on_cleared = on_cleared
        self.judge = setup.judge()
        grid = setup.level.grid
        self.loop_start = max(0.0, segment.start_s - 4 * grid.seconds_per_beat)
        margin = self.judge.rules.timing_tolerance_s + self.judge.rules.max_gap_s
        self.loop_end = segment.end_s + margin + 0.1
        self.windows = range(segment.first_window, segment.last_window + 1)
        self.speed_index = 0
        self.passes: list[tuple[float, bool]] = []  # (speed, passed)
        self.last_events: tuple[WindowJudgement, ...] = ()  # the last pass's judgements
        self.last_take: LoopPass | None = None  # the last try, for the instant replay (R)
        self.cleared = False
        self.blitter_coach = ImageBlitter()
        self.blitter_camera = ImageBlitter()

    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    def _start_pass(self) -> None:
        if self.run is not None:
            self.run.close()
        audio = self.stretched_audio(self.loop_start, self.loop_end, self.speed)
        self.judging = LiveJudging(self.setup.judges(), self.windows)
        self.run = SongRun(
            self,
            self.setup,
            self.judging,
            audio,
            self.loop_start,
            self.speed,
            clean_bot=bool(self.passes),
        )  # the demo bot learns after one try
        self.break_until = None
        self.poses = []

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type != pygame.KEYDOWN:
            return False
        if event.key in (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_BACKSPACE):
            self.ctx.pop()
        elif event.key == pygame.K_p:
            self.ctx.push("pause", self._start_pass, "results", "Back to the scorecard")
        elif event.key == pygame.K_l:  # an A-B loop of the segment's bars, at any speed
            grid = self.setup.level.grid
            span = LoopSpan.covering(grid, self.segment.start_s, self.segment.end_s)
            self.ctx.push("loop", self.setup, span, self.speed, self.player)
        elif event.key == pygame.K_r and self.last_take is not None:  # instant replay
            self.ctx.push("replay", self.setup, self.last_take, self.player)
        elif event.key == pygame.K_y:  # see yourself on/off
            toggle_see_yourself(self.ctx)
        elif event.key in (pygame.K_1, pygame.K_2, pygame.K_3):
            self.speed_index = event.key - pygame.K_1
            self._start_pass()
        elif event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            step = 1 if event.key == pygame.K_RIGHT else -1
            self.speed_index = max(0, min(len(SPEEDS) - 1, self.speed_index + step))
            self._start_pass()
        elif event.key in TOGGLE_KEYS and self.run is not None and self.run.spotlight is not None:
            self.ctx.whole_group = not self.ctx.whole_group  # your member / the whole group
        else:
            return False
        return True

    def _end_pass(self) -> None:
        assert self.judging is not None and self.run is not None
        self.last_events = tuple(self.judging.players[self.player].processor.events)
        span = LoopSpan.covering(self.setup.level.grid, self.segment.start_s, self.segment.end_s)
        self.last_take = LoopPass(len(self.passes) + 1, span, self.speed, self.setup.mirror,
                                  self.last_events, tuple(self.poses), self.loop_start,
                                  self.run.clock.position,
                                  pass_rule(self.setup.difficulty))  # fmt: skip
        ok = self.last_take.passed
        self.passes.append((self.speed, ok))
        if ok and self.speed == 1.0:
            self.cleared = True
            self.on_cleared(self.player, self.segment)
        if ok and self.speed_index < len(SPEEDS) - 1:
            self.speed_index += 1
        self.ctx.sfx.play("perfect" if ok else "miss")
        self.run.close()
        self.break_until = self.ctx.now() + BREAK_S

    def key_hints(self) -> list[KeyHint]:
        own = [KeyHint("1 2 3", "speed"), KeyHint("L", "loop it")]
        return own + self.shared_hints(self.last_take is not None, "scorecard")

    def draw(self, surface: pygame.Surface) -> None:
        assert self.run is not None and self.judging is not None
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        level = self.setup.level
        song = self.run.clock.position
        span = f"{clock_text(self.segment.start_s)}-{clock_text(self.segment.end_s)}"
        draw.text(surface, f"PRACTICE  {span}", (24, 18), 40, theme.ACCENT)
        cleared_speeds = {speed for speed, ok in self.passes if ok}
        draw_speed_ladder(surface, (1256, 14), SPEEDS, self.speed, cleared_speeds, self.cleared)
        draw_stage(
            surface, self.run, (self.blitter_coach, self.blitter_camera), [self.player],
            self.windows, counters=False, thin=self.ctx.settings.see_yourself,
            timeline=LOOPED_TIMELINE_RECT,
        )  # fmt: skip
        last_ok = bool(self.passes and self.passes[-1][1])
        strip = (PLAYER_RECT.x + 22, PLAYER_RECT.y + 18)
        draw_pass_summary(surface, strip, len(self.passes), self.last_take, PLAYER_RECT.right - 24,
                          "pass", self.coaching(self.last_take),
                          pass_rule(self.setup.difficulty))  # fmt: skip
        draw_key_hints(surface, KEYS_RECT, self.key_hints())
        if song < self.segment.start_s and self.break_until is None:
            beats_left = (self.segment.start_s - song) / level.grid.seconds_per_beat
            where = (PLAYER_RECT.right - 40, PLAYER_RECT.y + 40)
            draw.outlined_text(surface, str(int(beats_left) + 1), where, 64, theme.GOLD, "center")
        if self.break_until is not None and self.passes:
            message = "CLEARED!" if self.cleared and last_ok else ("PASS!" if last_ok else "AGAIN!")
            sub = (f"next: {self.speed:g}x   R: watch your try" if not (self.cleared and last_ok)
                   else "Esc: back to the scorecard   R: watch your try")  # fmt: skip
            if self.last_take is not None and not last_ok:
                sub = f"{self.last_take.verdict.text()}   {sub}"
            color = theme.GOLD if last_ok else theme.WRONG
            draw_banner(surface, LOOPED_TIMELINE_RECT, message, color, sub)
