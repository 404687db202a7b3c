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
from game.render.practice_hud import draw_banner, draw_speed_ladder
from game.render.scorecard import clock_text
from game.scenes.looped import LoopedScene
from game.scenes.song_layout import KEYS_RECT, LOOPED_TIMELINE_RECT
from game.scenes.song_view import draw_stage
from game.scoring.loop_pass import LoopPass
from game.scoring.score import MissedSegment
from game.timing.loop import TRY_SPEEDS as SPEEDS
from game.timing.loop import LoopSpan

if TYPE_CHECKING:
    from game.scenes.context import SceneContext


class PracticeScene(LoopedScene):
    name = "practice"
    leave_keys = (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_BACKSPACE)
    quit_to = ("results", "Back to the scorecard")
    esc_label = "scorecard"

    def __init__(
        self,
        ctx: SceneContext,
        setup: PlaySetup,
        player: int,
        segment: MissedSegment,
        on_passed: Callable[[int, MissedSegment, float], None],
    ) -> None:
        """Practise `player`'s missed `segment`; `on_passed` hears each pass and its speed
        (a pass at 1x clears the segment)."""
        super().__init__(ctx, setup, player)
        self.segment = segment
        self.on_passed = on_passed
        self.judge = setup.judge()
        grid = setup.level.grid
        self.loop_start = max(0.0, segment.start_s - 4 * grid.seconds_per_beat)
        margin = self.judge.rules.timing_tolerance_s + self.judge.rules.max_gap_s
        self.loop_end = segment.end_s + margin + 0.1
        self.windows = range(segment.first_window, segment.last_window + 1)
        self.speed_index = 0
        self.cleared = False
        self.blitter_coach = ImageBlitter()
        self.blitter_camera = ImageBlitter()

    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    @property
    def passes(self) -> list[tuple[float, bool]]:
        """Every try so far: (speed, passed)."""
        return [(take.speed, take.passed) for take in self.takes]

    def pass_span(self) -> tuple[float, float]:
        return self.loop_start, self.loop_end

    def pass_windows(self) -> range:
        return self.windows

    def pass_bars(self) -> LoopSpan:
        return LoopSpan.covering(self.setup.level.grid, self.segment.start_s, self.segment.end_s)

    def handle_key(self, key: int) -> bool:
        if key == pygame.K_l:  # an A-B loop of the segment's bars, at any speed
            self.ctx.push("loop", self.setup, self.pass_bars(), self.speed, self.player)
        elif key in (pygame.K_1, pygame.K_2, pygame.K_3):
            self.speed_index = key - pygame.K_1
            self._start_pass()
        elif key in (pygame.K_LEFT, pygame.K_RIGHT):
            step = 1 if key == pygame.K_RIGHT else -1
            self.speed_index = max(0, min(len(SPEEDS) - 1, self.speed_index + step))
            self._start_pass()
        else:
            return False
        return True

    def passed_try(self, take: LoopPass) -> None:
        """A pass at 1x clears the segment; a pass below 1x moves up a speed."""
        if take.passed:
            self.on_passed(self.player, self.segment, take.speed)
        if take.passed and take.speed == 1.0:
            self.cleared = True
        if take.passed and self.speed_index < len(SPEEDS) - 1:
            self.speed_index += 1

    def key_hints(self) -> list[KeyHint]:
        own = [KeyHint("1 2 3", "speed"), KeyHint("L", "loop it")]
        return own + self.shared_hints()

    def draw(self, surface: pygame.Surface) -> None:
        assert self.run is not None and self.judging is not None
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
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
        self.draw_try_summary(surface, len(self.passes), self.last_take, "pass")
        draw_key_hints(surface, KEYS_RECT, self.key_hints())
        self.draw_count_in(surface, self.segment.start_s)
        if self.break_until is not None and self.passes:
            message = "CLEARED!" if self.cleared and last_ok else ("PASS!" if last_ok else "AGAIN!")
            sub = (f"next: {self.speed:g}x   R: watch your try" if not (self.cleared and last_ok)
                   else "Esc: back to the scorecard   R: watch your try")  # fmt: skip
            if self.last_take is not None and not last_ok:
                sub = f"{self.last_take.verdict.text()}   {sub}"
            color = theme.GOLD if last_ok else theme.WRONG
            draw_banner(surface, LOOPED_TIMELINE_RECT, message, color, sub)
