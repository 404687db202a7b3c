"""The scorecard: grade, counts, score over time, weakest joints and missed segments,
each with a button to practise it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import pygame

from game.play_setup import PlaySetup
from game.render import draw, theme
from game.render.charts import draw_joint_bars, draw_score_over_time
from game.render.scorecard import (
    Coaching,
    draw_segments,
    first_row_showing,
    practice_button,
    visible_rows,
)
from game.scenes.hand import HandPointer
from game.scenes.stack import Scene
from game.scoring.coaching import segment_coaching
from game.scoring.loop_pass import LoopPass
from game.scoring.rules import TIERS, WindowJudgement
from game.scoring.score import GRADE_COLORS, MissedSegment, ScoreSummary
from game.timing.loop import LoopSpan, bar_count

if TYPE_CHECKING:
    from game.scenes.context import SceneContext

BUTTON_LABELS = {"retry": "Retry", "levels": "Levels", "loop": "A-B loop (L)"}
SEGMENTS_RECT = pygame.Rect(858, 314, 398, 310)


class ResultsScene(Scene):
    name = "results"

    def __init__(
        self,
        ctx: SceneContext,
        setup: PlaySetup,
        summaries: Sequence[ScoreSummary],
        events: Sequence[Sequence[WindowJudgement]],
        coaching: Coaching | None = None,
        take: LoopPass | None = None,
    ) -> None:
        """`coaching` gives the words shown under each missed segment (by default, what to
        change, from the segment's signed joint errors); `take`: P1's song, for the instant
        replay (R)."""
        super().__init__(ctx)
        self.take = take
        self.coaching = coaching or self._coaching_words
        self.setup = setup
        self.summaries = list(summaries)
        self.events = [list(e) for e in events]
        self.passed_at: dict[tuple[int, int], float] = {}
        """(player, first window) of a practised segment -> the fastest speed it passed at
        (1.0: cleared)."""
        self.new_best = ctx.record_result(setup, summaries)
        self.segments: list[tuple[int, MissedSegment]] = [
            (player, segment)
            for player, summary in enumerate(self.summaries)
            for segment in summary.missed_segments
        ]  # every one: a full song can miss dozens, and the list scrolls
        self.focus = 0
        self.first_row = 0  # the first segment row shown
        self.pointer = HandPointer()

    @property
    def _items(self) -> list[tuple[int | str, pygame.Rect | None]]:
        """Focusable items by id: each segment's practice button (its row; None while the
        row is scrolled out of view), then "retry" and "levels"."""
        shown = range(self.first_row, self.first_row + visible_rows(SEGMENTS_RECT))
        items: list[tuple[int | str, pygame.Rect | None]] = [
            (row, practice_button(SEGMENTS_RECT, row - self.first_row) if row in shown else None)
            for row in range(len(self.segments))
        ]
        items.append(("retry", pygame.Rect(24, 640, 240, 60)))
        items.append(("levels", pygame.Rect(284, 640, 240, 60)))
        items.append(("loop", pygame.Rect(544, 640, 240, 60)))
        return items

    def _move_focus(self, step: int) -> None:
        self.focus = (self.focus + step) % (len(self.segments) + 3)
        if self.focus < len(self.segments):  # scroll the list to the focused row
            rows = visible_rows(SEGMENTS_RECT)
            self.first_row = first_row_showing(self.first_row, self.focus, len(self.segments), rows)

    def _scroll(self, rows: int) -> None:
        shown = visible_rows(SEGMENTS_RECT)
        self.first_row = max(0, min(self.first_row + rows, len(self.segments) - shown))

    def handle(self, event: pygame.event.Event) -> bool:
        items = self._items
        chosen = None
        used = event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN, pygame.MOUSEWHEEL)
        if event.type == pygame.KEYDOWN:
            used = True
            if event.key in (pygame.K_UP, pygame.K_LEFT):
                self._move_focus(-1)
            elif event.key in (pygame.K_DOWN, pygame.K_RIGHT, pygame.K_TAB):
                self._move_focus(1)
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                chosen = items[self.focus][0]
            elif event.key == pygame.K_ESCAPE:
                chosen = "levels"
            elif event.key == pygame.K_l:
                chosen = "loop"
            elif event.key == pygame.K_r and self.take is not None:
                self._replay()
            else:
                used = False
        elif event.type == pygame.MOUSEWHEEL:
            self._scroll(-event.y)
        elif event.type in (pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN):
            for i, (_, rect) in enumerate(items):
                if rect is not None and rect.collidepoint(event.pos):
                    self.focus = i
                    if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                        chosen = items[i][0]
        if chosen is not None:
            self._choose(chosen)
        return used

    def update(self) -> None:
        targets = [(item, rect) for item, rect in self._items if rect is not None]
        chosen = self.pointer.update(
            self.ctx.inputs.hand(), self.ctx.now(), [rect for _, rect in targets]
        )
        if chosen is not None:
            self._choose(targets[chosen][0])

    def _choose(self, item: int | str) -> None:
        if item == "retry":
            self.ctx.replace("play", self.setup)
        elif item == "levels":
            self.ctx.pop_to("level_select")
        elif item == "loop":  # the focused missed segment's bars, else the first two bars
            grid = self.setup.level.grid
            player, span = 0, LoopSpan(1, min(2, bar_count(grid)))
            if self.focus < len(self.segments):
                player, segment = self.segments[self.focus]
                span = LoopSpan.covering(grid, segment.start_s, segment.end_s)
            self.ctx.push("loop", self.setup, span, 1.0, player)
        elif isinstance(item, int):
            player, segment = self.segments[item]
            self.ctx.push("practice", self.setup, player, segment, self.mark_passed)

    def replay_what(self) -> str:
        """What R replays: the focused missed segment if it is P1's (only P1's poses are kept
        for the replay), else P1's whole song."""
        if self.focus < len(self.segments) and self.segments[self.focus][0] == 0:
            return "the missed segment"
        return "P1's song" if len(self.summaries) > 1 else "your song"

    def _replay(self) -> None:
        """P1's song (the focused missed segment of it, with a bar before) beside the coach."""
        assert self.take is not None
        take, grid = self.take, self.setup.level.grid
        if self.focus < len(self.segments) and self.segments[self.focus][0] == 0:
            segment = self.segments[self.focus][1]
            span = LoopSpan.covering(grid, segment.start_s, segment.end_s)
            start = max(0.0, span.start_s(grid) - 4 * grid.seconds_per_beat)
            events = tuple(e for e in take.events if e.window in span.windows(grid))
            take = replace(take, span=span, events=events, start_s=start,
                           end_s=min(take.end_s, span.end_s(grid) + 0.5))  # fmt: skip
        self.ctx.push("replay", self.setup, take, 0)

    def _coaching_words(self, player: int, segment: MissedSegment) -> str | None:
        lines = segment_coaching(segment, self.events[player], self.setup.level.angle_specs,
                                 mirrored=self.setup.player_mirrored, max_lines=1)  # fmt: skip
        return "; ".join(lines) or None

    def mark_passed(self, player: int, segment: MissedSegment, speed: float) -> None:
        key = (player, segment.first_window)
        self.passed_at[key] = max(speed, self.passed_at.get(key, 0.0))

    @property
    def cleared(self) -> set[tuple[int, int]]:
        """(player, first window) of the segments passed at 1x."""
        return {key for key, speed in self.passed_at.items() if speed >= 1.0}

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        level = self.setup.level
        draw.text(surface, level.title, (24, 18), 44, theme.TEXT)
        details = f"{self.setup.difficulty}  ·  mirror {'on' if self.setup.mirror else 'off'}"
        if len(self.summaries) == 1 and (part := self.setup.part_name(0)):
            details += f"  ·  {part}"
        draw.text(
            surface,
            details,
            (1256, 26),
            26,
            theme.MUTED,
            "topright",
        )
        if len(self.summaries) == 1:
            self._draw_card(surface, pygame.Rect(24, 70, 500, 550), self.summaries[0], None)
        else:
            self._draw_versus(surface)
        song_length = level.grid.end_time
        if len(self.summaries) == 1:
            chart = pygame.Rect(544, 70, 712, 230)
            draw_score_over_time(surface, chart, self.events[0], song_length)
            draw_joint_bars(
                surface, pygame.Rect(544, 314, 300, 310), self.summaries[0].worst_joints
            )
        else:
            for player, summary in enumerate(self.summaries):
                color = theme.PLAYER_COLORS[player]
                chart = pygame.Rect(544, 70 + player * 119, 712, 111)
                draw_score_over_time(
                    surface,
                    chart,
                    self.events[player],
                    song_length,
                    color,
                    f"P{player + 1} score over time",
                )
                joints = pygame.Rect(544, 314 + player * 159, 300, 151)
                draw_joint_bars(
                    surface, joints, summary.worst_joints, 2, f"P{player + 1} weakest joints", color
                )
        parts = [self.setup.level_for(player) for player in range(len(self.summaries))]
        draw_segments(
            surface, SEGMENTS_RECT, parts, self.setup.mirror, self.segments, self.passed_at,
            self.focus if self.focus < len(self.segments) else -1, len(self.summaries) > 1,
            self.coaching, self.first_row,
        )  # fmt: skip
        items = self._items
        for i, (item, rect) in enumerate(items[len(self.segments) :], start=len(self.segments)):
            assert rect is not None
            draw.button(surface, rect, BUTTON_LABELS[str(item)], i == self.focus)
        if self.take is not None and self.ctx.recorder is None:
            draw.text(surface, f"R: replay {self.replay_what()}", (804, 670), 22, theme.MUTED,
                      "midleft")  # fmt: skip
        if self.ctx.recorder is not None and (status := self.ctx.recorder.status):
            tint = theme.WRONG if self.ctx.recorder.error else theme.MUTED
            draw.text(surface, draw.fit(status, 22, 700), (900, 670), 22, tint, "center")
        self.pointer.draw(surface)

    def _draw_card(
        self, surface: pygame.Surface, rect: pygame.Rect, summary: ScoreSummary, player: int | None
    ) -> None:
        draw.panel(surface, rect)
        color = (
            GRADE_COLORS.get(summary.grade, theme.TEXT)
            if player is None
            else theme.PLAYER_COLORS[player]
        )  # two players: each grade in its player's colour
        top = rect.y + 10
        if player is not None:
            draw.text(
                surface,
                f"PLAYER {player + 1}",
                (rect.centerx, top + 6),
                30,
                theme.PLAYER_COLORS[player],
                "midtop",
            )
            top += 30
        big = 200 if player is None else 130
        draw.text(surface, summary.grade, (rect.centerx, top), big, color, "midtop", shadow=True)
        y = top + big * 0.78
        draw.text(surface, f"{summary.score:.1f}", (rect.centerx, y), 64, theme.TEXT, "midtop")
        if self.new_best and player is None:
            draw.text(surface, "NEW BEST!", (rect.centerx, y + 58), 30, theme.GOLD, "midtop")
        elif not self.ctx.saves_plays and player is None:
            draw.text(surface, "the bot's dance: not saved", (rect.centerx, y + 62), 22,
                      theme.MUTED, "midtop")  # fmt: skip
        elif player is not None and (part := self.setup.part_name(player)):
            draw.text(surface, part, (rect.centerx, y + 62), 22, theme.MUTED, "midtop")
        y += 100
        lines: list[tuple[str, int | str, theme.Color]] = [
            (tier.label, summary.counts[j], tier.color) for j, tier in TIERS.items()
        ]
        lines += [
            ("MAX COMBO", summary.max_combo, theme.TEXT),
            ("ACCURACY", f"{summary.accuracy:.1f}%", theme.TEXT),
        ]
        size, margin = (32, 40) if player is None else (24, 16)
        for label, value, tint in lines:
            draw.text(surface, label, (rect.x + margin, y), size, tint)
            draw.text(surface, str(value), (rect.right - margin, y), size, theme.TEXT, "topright")
            y += size + 6

    def _draw_versus(self, surface: pygame.Surface) -> None:
        scores = [s.score for s in self.summaries]
        for player, summary in enumerate(self.summaries):
            self._draw_card(surface, pygame.Rect(24 + player * 256, 110, 244, 510), summary, player)
        if scores[0] == scores[1]:
            banner, color = "DRAW!", theme.GOLD
        else:
            winner = scores.index(max(scores))
            banner, color = f"PLAYER {winner + 1} WINS!", theme.PLAYER_COLORS[winner]
        draw.text(surface, banner, (274, 66), 44, color, "midtop", shadow=True)
