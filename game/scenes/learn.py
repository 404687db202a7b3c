"""Learn mode (Break It Down for a whole song): each section in turn is watched slowed
down, then tried at 0.5x, 0.75x and 1x with a "5, 6, 7, 8" count-in, judged window by window
as in play; two passes in a row clear a speed. Then the add-on (the section chained with
those before it), and last the whole song. The course itself is game.scoring.learn."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.play_setup import PlaySetup
from game.render import draw, theme
from game.render.image import ImageBlitter
from game.render.key_hints import KeyHint, draw_key_hints
from game.render.practice_hud import draw_banner, draw_speed_ladder
from game.scenes.looped import TRY_SUMMARY_AT, LoopedScene
from game.scenes.song_layout import KEYS_RECT, LOOPED_TIMELINE_RECT
from game.scenes.song_view import draw_stage
from game.scoring.learn import SPEEDS, LearnCourse, cleared_speeds, lead_in_start, speed_text
from game.scoring.loop_pass import LoopPass
from game.scoring.rules import WindowJudgement
from game.scoring.sections import sections
from game.timing.loop import LoopSpan

if TYPE_CHECKING:
    from game.scenes.context import SceneContext

WATCH_SPEED = 0.5
AUDIO_TAIL_S = 0.6  # the try's audio runs this long past its last window


class LearnScene(LoopedScene):
    name = "learn"
    break_s = 1.6  # the verdict between tries
    quit_to = ("level_select", "Back to the songs")
    esc_label = "songs"

    def __init__(self, ctx: SceneContext, setup: PlaySetup) -> None:
        super().__init__(ctx, setup)
        self.course = LearnCourse(sections(setup.level.pose, setup.level.grid))
        self.watching = True
        self.verdict = ""
        self.last_events: tuple[WindowJudgement, ...] = ()
        self.last_ok = False
        self.tries: list[tuple[float, bool]] = []  # this step's (speed, passed)
        self.shown = self.course.current  # the step on screen
        self.blitters = (ImageBlitter(), ImageBlitter())

    # -- the loop ---------------------------------------------------------------------------

    def leave(self) -> None:
        super().leave()
        self.ctx.save_learn(self.setup.level, len(self.course.sections), self.cleared_sections())

    def cleared_sections(self) -> dict[int, float]:
        """Section -> the fastest speed it was cleared at."""
        found = (self.course.section_cleared(i) for i in range(len(self.course.sections)))
        return {i: speed for i, speed in enumerate(found) if speed is not None}

    @property
    def speed(self) -> float:
        return WATCH_SPEED if self.watching else self.course.current_speed

    def span(self) -> tuple[float, float]:
        """The step's song seconds (its first window's start, its last window's end)."""
        start, end = self.course.current.span(self.course.sections).span(self.setup.level.grid)
        return start, end

    def pass_span(self) -> tuple[float, float]:
        """From the count-in before the step (as headless learn starts it) to its end."""
        start, end = self.span()
        return lead_in_start(self.setup.level.grid, start), end + AUDIO_TAIL_S

    def pass_windows(self) -> list[int]:
        """The step's windows; none while it is watched, or once the song is learned."""
        if self.watching or self.course.done:
            return []
        return self.course.current.span(self.course.sections).windows(self.setup.level.grid)

    def pass_bars(self) -> LoopSpan:
        return self.step_bars()

    def pass_number(self) -> int:
        return len(self.tries) + 1

    def clean_bot(self) -> bool:
        """The demo bot dances each step's first try with its mistakes."""
        return bool(self.tries)

    def step_bars(self) -> LoopSpan:
        """The current step's bars (1-based, both ends in), as the A-B loop counts them."""
        section = self.course.current.span(self.course.sections)
        return LoopSpan(section.start + 1, section.end)

    def _start_pass(self) -> None:
        """Start watching or trying the current step (the course over: back to select)."""
        if self.course.done:
            if self.run is not None:
                self.run.close()
                self.run = None
            self.ctx.pop()
            return
        self.shown = self.course.current
        super()._start_pass()

    def _moved(self) -> None:
        """The course moved to another step: a new section is watched first (an add-on or the
        whole song is made of sections already watched)."""
        watch = not self.course.done and self.course.current.kind == "section"
        self.watching, self.tries, self.last_events = watch, [], ()
        self._start_pass()

    def handle_key(self, key: int) -> bool:
        if key == pygame.K_RIGHT:
            self.course.skip()
            self._moved()
        elif key == pygame.K_LEFT:
            self.course.back()
            self._moved()
        elif key == pygame.K_s:
            self.course.toggle_stay()
        elif key == pygame.K_l:  # an A-B loop of this step's bars, at this speed
            self.ctx.push("loop", self.setup, self.step_bars(), self.course.current_speed)
        elif key in (pygame.K_SPACE, pygame.K_RETURN) and self.watching:
            self.watching = False
            self._start_pass()
        else:
            return False
        return True

    def watch_step(self, song: float) -> bool:
        """While the step is watched, nothing is judged; at its end, the first try."""
        if not self.watching:
            return False
        if song >= self.span()[1]:
            self.watching = False
            self._start_pass()
        return True

    def after_break(self) -> None:
        """After the verdict: the next step once this one is cleared or given up, else
        another try."""
        if self.verdict in ("cleared", "gave up"):
            self._moved()
        else:
            self._start_pass()

    def passed_try(self, take: LoopPass) -> None:
        self.last_events, self.last_ok = take.events, take.passed
        self.tries.append((take.speed, take.passed))
        self.verdict = self.course.record(take.passed)

    # -- drawing ----------------------------------------------------------------------------

    def title(self) -> str:
        step = self.shown  # until the verdict is over, the step just tried
        cuts = self.course.sections
        bars = step.span(cuts).label()
        if step.kind == "section":
            return f"SECTION {step.first + 1}/{len(cuts)}  ·  {bars}"
        if step.kind == "add-on":
            return f"ADD-ON: sections 1-{step.last + 1}  ·  {bars}"
        return f"WHOLE SONG  ·  {bars}"

    def draw(self, surface: pygame.Surface) -> None:
        assert self.run is not None and self.judging is not None
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        draw.text(surface, "LEARN  " + self.title(), (24, 18), 36, theme.ACCENT)
        moved_on = self.break_until is not None and self.verdict in ("cleared", "gave up")
        speed = self.tries[-1][0] if moved_on and self.tries else self.course.current_speed
        draw_speed_ladder(surface, (1256, 14), SPEEDS, speed, cleared_speeds(self.tries), False)
        judged = self.judging.windows
        windows = range(judged[0], judged[-1] + 1) if judged else None
        draw_stage(surface, self.run, self.blitters, [0], windows, counters=False,
                   thin=self.ctx.settings.see_yourself, timeline=LOOPED_TIMELINE_RECT)  # fmt: skip
        if self.watching:
            draw.tag(surface, f"WATCH  ·  {speed_text(WATCH_SPEED)}  ·  Space: try it now",
                     TRY_SUMMARY_AT, 26, theme.GOLD)  # fmt: skip
        else:
            shown = len(self.tries) - (1 if self.break_until is not None else 0)  # the judged
            self.draw_try_summary(surface, shown, self.last_take if self.tries else None, "try")
        draw_key_hints(surface, KEYS_RECT, self.key_hints())
        if not self.course.done:
            self.draw_count_in(surface, self.span()[0], "watch" if self.watching else "")
        if self.break_until is not None:
            self._draw_verdict(surface)

    def key_hints(self) -> list[KeyHint]:
        own = [KeyHint("Space", "try it now")] if self.watching else []
        own += [KeyHint("Left/Right", "back / skip"),
                KeyHint("S", "keep speed" + (": ON" if self.course.stay else ""),
                        self.course.stay),
                KeyHint("L", "loop it")]  # fmt: skip
        return own + self.shared_hints()

    def _draw_verdict(self, surface: pygame.Surface) -> None:
        step = self.tries[-1][0] if self.tries else 1.0
        if self.verdict == "cleared":
            after = "the whole song learned!" if self.course.done else "on to the next"
            message, sub, color = "CLEARED!", f"at {speed_text(step)}: {after}", theme.GOLD
        elif self.verdict == "faster":
            message, sub = "CLEARED!", f"now at {speed_text(self.course.current_speed)}"
            color = theme.GOLD
        elif self.verdict == "gave up":
            message, sub, color = "MOVING ON", "come back to it with Left", theme.WRONG
        elif self.last_ok:
            message, sub, color = "PASS!", "once more to clear this speed", theme.GOLD
        else:
            message, color = "AGAIN!", theme.WRONG
            sub = self.last_take.verdict.text() if self.last_take else ""
        draw_banner(surface, LOOPED_TIMELINE_RECT, message, color, sub)
