"""Practice ("Break It Down"): loop one missed segment with a one-bar lead-in, slowed down
with the pitch kept, judging every pass; passing speeds it up; a pass at 1x clears it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.audio.stretch import practice_audio
from game.render import draw, theme
from game.render.hud import draw_popup
from game.render.image import ImageBlitter
from game.scenes.results import clock_text
from game.scenes.song_run import PLAYER_RECT, PlaySetup, SongRun, draw_stage
from game.scenes.stack import Scene
from game.scoring.judge import Judgement
from game.scoring.live import LiveSession
from game.scoring.score import MissedSegment

if TYPE_CHECKING:
    from game.app import GameContext

SPEEDS = (0.5, 0.75, 1.0)
BREAK_S = 1.2  # the pause between passes, showing the verdict


class PracticeScene(Scene):
    name = "practice"

    def __init__(
        self,
        ctx: GameContext,
        setup: PlaySetup,
        player: int,
        segment: MissedSegment,
        results: Scene,
    ) -> None:
        super().__init__(ctx)
        self.setup = setup
        self.player = player
        self.segment = segment
        self.results = results
        self.judge = setup.judge()
        grid = setup.level.grid
        self.loop_start = max(0.0, segment.start_s - 4 * grid.seconds_per_beat)
        margin = self.judge.rules.timing_tolerance_s + self.judge.rules.max_gap_s
        self.loop_end = segment.end_s + margin + 0.1
        self.windows = range(segment.first_window, segment.last_window + 1)
        self.speed_index = 0
        self.passes: list[tuple[float, bool]] = []  # (speed, passed)
        self.cleared = False
        self.run: SongRun | None = None
        self.session: LiveSession | None = None
        self.break_until: float | None = None
        self.blitter_coach = ImageBlitter()
        self.blitter_camera = ImageBlitter()

    @property
    def speed(self) -> float:
        return SPEEDS[self.speed_index]

    def enter(self) -> None:
        if self.run is None:
            self._start_pass()

    def leave(self) -> None:
        if self.run is not None:
            self.run.close()

    def _start_pass(self) -> None:
        if self.run is not None:
            self.run.close()
        level = self.setup.level
        try:
            audio = practice_audio(
                level.audio_path, self.loop_start, self.loop_end, self.speed, self.ctx.cache_dir
            )
        except Exception as exc:  # an undecodable song: practise in silence, say why
            self.ctx.notice = f"{level.audio_path}: cannot slow the song down ({exc})"
            audio = None
        self.session = LiveSession(self.judge, self.setup.players, self.windows)
        self.run = SongRun(
            self,
            self.setup,
            self.session,
            audio,
            self.loop_start,
            self.speed,
            clean_bot=bool(self.passes),
        )  # the demo bot learns after one try
        self.break_until = None

    def handle(self, event: pygame.event.Event) -> None:
        if event.type != pygame.KEYDOWN:
            return
        if event.key in (pygame.K_ESCAPE, pygame.K_RETURN, pygame.K_BACKSPACE):
            self.ctx.stack.pop()
        elif event.key in (pygame.K_1, pygame.K_2, pygame.K_3):
            self.speed_index = event.key - pygame.K_1
            self._start_pass()
        elif event.key in (pygame.K_LEFT, pygame.K_RIGHT):
            step = 1 if event.key == pygame.K_RIGHT else -1
            self.speed_index = max(0, min(len(SPEEDS) - 1, self.speed_index + step))
            self._start_pass()

    def update(self) -> None:
        assert self.run is not None and self.session is not None
        if self.break_until is not None:
            if self.ctx.now() >= self.break_until:
                self._start_pass()
            return
        self.run.step()
        if self.session.done:
            self._end_pass()

    def _end_pass(self) -> None:
        assert self.session is not None and self.run is not None
        events = self.session.players[self.player].processor.events
        passed = bool(events) and all(e.judgement >= Judgement.GOOD for e in events)
        self.passes.append((self.speed, passed))
        if passed and self.speed == 1.0:
            self.cleared = True
            self.results.mark_cleared(self.player, self.segment)  # type: ignore[attr-defined]
        if passed and self.speed_index < len(SPEEDS) - 1:
            self.speed_index += 1
        self.ctx.sfx.play("perfect" if passed else "miss")
        self.run.close()
        self.break_until = self.ctx.now() + BREAK_S

    def draw(self, surface: pygame.Surface) -> None:
        assert self.run is not None and self.session is not None
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        level = self.setup.level
        song = self.run.clock.position
        span = f"{clock_text(self.segment.start_s)}-{clock_text(self.segment.end_s)}"
        draw.text(surface, f"PRACTICE  {span}  at {self.speed:g}x", (24, 22), 40, theme.ACCENT)
        speeds = "   ".join(f"[{i + 1}] {s:g}x" for i, s in enumerate(SPEEDS))
        draw.text(surface, speeds, (1256, 30), 28, theme.MUTED, "topright")
        draw_stage(
            surface, self.run, (self.blitter_coach, self.blitter_camera), [self.player],
            self.windows,
        )  # fmt: skip
        if self.player in self.run.popups:
            judgement, at = self.run.popups[self.player]
            draw_popup(surface, (PLAYER_RECT.centerx, PLAYER_RECT.y + 70), judgement, song - at)
        self._draw_passes(surface)
        if song < self.segment.start_s and self.break_until is None:
            beats_left = (self.segment.start_s - song) / level.grid.seconds_per_beat
            draw.text(
                surface,
                str(int(beats_left) + 1),
                PLAYER_RECT.center,
                140,
                theme.TEXT,
                "center",
                shadow=True,
            )
        if self.break_until is not None and self.passes:
            passed = self.passes[-1][1]
            message = "CLEARED!" if self.cleared and passed else ("PASS!" if passed else "AGAIN!")
            color = theme.GOLD if passed else theme.WRONG
            draw.text(surface, message, PLAYER_RECT.center, 110, color, "center", shadow=True)

    def _draw_passes(self, surface: pygame.Surface) -> None:
        x = PLAYER_RECT.x + 24
        for speed, passed in self.passes[-12:]:
            color = theme.JUDGEMENT_COLORS[Judgement.GOOD if passed else Judgement.MISS]
            pygame.draw.circle(surface, color, (x, PLAYER_RECT.bottom - 28), 12)
            draw.text(
                surface, f"{speed:g}", (x, PLAYER_RECT.bottom - 12), 18, theme.MUTED, "midtop"
            )
            x += 34
