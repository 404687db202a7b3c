"""A-B loop: any stretch of whole bars danced over and over at 0.25x-1x (pitch kept), mirror
on or off, each pass judged window by window and counted; R replays the last pass."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pygame

from game.play_setup import PlaySetup
from game.render import draw, theme
from game.render.image import ImageBlitter
from game.render.key_hints import KeyHint, draw_key_hints
from game.render.practice_hud import draw_banner
from game.render.timeline import bar_at_x, draw_bar_strip
from game.scenes.looped import LoopedScene
from game.scenes.song_layout import KEYS_RECT, LOOPED_TIMELINE_RECT
from game.scenes.song_view import draw_stage
from game.scoring.loop_pass import LoopPass
from game.timing.loop import BEATS_PER_BAR, LoopSpan, bar_at, bar_count, step_speed

if TYPE_CHECKING:
    from game.scenes.context import SceneContext

STRIP_RECT = pygame.Rect(430, 16, 560, 30)  # the song's bars, to pick the loop from


class LoopScene(LoopedScene):
    name = "loop"

    def __init__(
        self, ctx: SceneContext, setup: PlaySetup, span: LoopSpan, speed: float = 1.0,
        player: int = 0,
    ) -> None:  # fmt: skip
        """Loop bars `span` of `setup`'s level at `speed` for `player`."""
        super().__init__(ctx, setup, player)
        self.bars = bar_count(setup.level.grid)
        self.span = span.with_ends(span.first, span.last, self.bars)
        self.loop_speed = step_speed(speed, 0)
        self.dragging_from: int | None = None
        self.blitters = (ImageBlitter(), ImageBlitter())

    @property
    def windows(self) -> range:
        return self.span.windows(self.setup.level.grid)

    @property
    def loop_start(self) -> float:
        """One bar before A: the lead-in."""
        grid = self.setup.level.grid
        return max(0.0, self.span.start_s(grid) - BEATS_PER_BAR * grid.seconds_per_beat)

    @property
    def loop_end(self) -> float:
        rules = self.setup.judge().rules
        margin = rules.timing_tolerance_s + rules.max_gap_s + 0.1
        return self.span.end_s(self.setup.level.grid) + margin

    @property
    def speed(self) -> float:
        return self.loop_speed

    @property
    def passes(self) -> list[LoopPass]:
        """Every pass danced, in order."""
        return self.takes

    def pass_span(self) -> tuple[float, float]:
        return self.loop_start, self.loop_end

    def pass_windows(self) -> range:
        return self.windows

    def pass_bars(self) -> LoopSpan:
        return self.span

    def _now_bar(self) -> int:
        grid = self.setup.level.grid
        if self.run is None or self.break_until is not None:
            return self.span.first
        return bar_at(grid, max(self.run.clock.position, self.span.start_s(grid)))

    def _set_span(self, span: LoopSpan) -> None:
        if span != self.span:
            self.span = span
            self._start_pass()

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            if STRIP_RECT.inflate(0, 16).collidepoint(event.pos):
                self.dragging_from = bar_at_x(STRIP_RECT, self.bars, event.pos[0])
                self.span = self.span.with_ends(self.dragging_from, self.dragging_from, self.bars)
                return True
            return False
        if event.type == pygame.MOUSEMOTION and self.dragging_from is not None:
            bar = bar_at_x(STRIP_RECT, self.bars, event.pos[0])
            self.span = self.span.with_ends(self.dragging_from, bar, self.bars)
            return True
        if event.type == pygame.MOUSEBUTTONUP and self.dragging_from is not None:
            bar = bar_at_x(STRIP_RECT, self.bars, event.pos[0])
            self.span = self.span.with_ends(self.dragging_from, bar, self.bars)
            self.dragging_from = None
            self._start_pass()
            return True
        return super().handle(event)

    def handle_key(self, key: int) -> bool:
        if key == pygame.K_LEFTBRACKET:  # A here (B moves along if it was before)
            bar = self._now_bar()
            self._set_span(self.span.with_ends(bar, max(bar, self.span.last), self.bars))
        elif key == pygame.K_RIGHTBRACKET:  # B here (A moves along if it was after)
            bar = self._now_bar()
            self._set_span(self.span.with_ends(min(bar, self.span.first), bar, self.bars))
        elif key in (pygame.K_LEFT, pygame.K_RIGHT):
            self._set_span(self.span.moved(1 if key == pygame.K_RIGHT else -1, self.bars))
        elif key in (pygame.K_MINUS, pygame.K_KP_MINUS, pygame.K_EQUALS, pygame.K_PLUS,
                     pygame.K_KP_PLUS):  # fmt: skip
            faster = key not in (pygame.K_MINUS, pygame.K_KP_MINUS)
            speed = step_speed(self.speed, 1 if faster else -1)
            if speed != self.speed:
                self.loop_speed = speed
                self._start_pass()
        elif key == pygame.K_m:
            self.setup = replace(self.setup, mirror=not self.setup.mirror)
            self._start_pass()
        else:
            return False
        return True

    def bar_results(self) -> dict[int, bool] | None:
        """The last pass of this very loop, per bar: every window there GOOD or better."""
        if not self.passes or self.passes[-1].span != self.span:
            return None
        grid = self.setup.level.grid
        results: dict[int, bool] = {}
        for event in self.passes[-1].events:
            bar = bar_at(grid, (event.start_s + event.end_s) / 2)
            results[bar] = results.get(bar, True) and event.judgement.tier.hit
        return results

    def key_hints(self) -> list[KeyHint]:
        own = [KeyHint("[ ]", "set A / B"), KeyHint("Left/Right", "move"),
               KeyHint("- +", "speed"), KeyHint("M", "mirror", self.setup.mirror)]  # fmt: skip
        return own + self.shared_hints()

    def draw(self, surface: pygame.Surface) -> None:
        assert self.run is not None and self.judging is not None
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        draw.text(surface, f"LOOP  {self.span.label}", (24, 14), 36, theme.ACCENT)
        draw_bar_strip(surface, STRIP_RECT, self.bars, self.span.first, self.span.last,
                       self._now_bar() if self.break_until is None else None,
                       self.bar_results())  # fmt: skip
        mirror = "mirror on" if self.setup.mirror else "mirror off"
        draw.text(surface, f"{self.speed:.2f}x", (1256, 8), 40, theme.GOLD, "topright")
        draw.text(surface, mirror, (1100, 30), 18, theme.MUTED, "midright")
        draw_stage(surface, self.run, self.blitters, [self.player], self.windows, counters=False,
                   thin=self.ctx.settings.see_yourself, timeline=LOOPED_TIMELINE_RECT)  # fmt: skip
        last = self.passes[-1] if self.passes else None
        shown = len(self.passes) - (1 if self.break_until is not None else 0)  # the one judged
        self.draw_try_summary(surface, shown, last, "pass")
        draw_key_hints(surface, KEYS_RECT, self.key_hints())
        self.draw_count_in(surface, self.span.start_s(self.setup.level.grid))
        if self.break_until is not None and last is not None:
            count = sum(p.passed for p in self.passes)
            message = "PASSED!" if last.passed else "AGAIN!"
            sub = (f"pass {last.number}: {last.verdict.text()}   "
                   f"{count} of {len(self.passes)} passed   R: watch your try")  # fmt: skip
            color = theme.GOLD if last.passed else theme.WRONG
            draw_banner(surface, LOOPED_TIMELINE_RECT, message, color, sub)
