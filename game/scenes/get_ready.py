"""Get ready: camera preview with the skeleton, "step back" / "move into frame" until the
joints the level needs are visible, then a countdown on the beat."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pygame

from game.capture.base import CaptureError, PoseInput
from game.play_setup import PlaySetup
from game.pose.frame import MIN_VISIBILITY, PoseFrame, is_stale
from game.pose.skeleton import (
    L_HIP,
    L_SHOULDER,
    LANDMARK_NAMES,
    LEGS,
    NUM_LANDMARKS,
    R_HIP,
    R_SHOULDER,
)
from game.render import draw, theme
from game.render.image import ImageBlitter
from game.render.stage import PlayerView, draw_coach, draw_players
from game.scenes.song_layout import COACH_RECT, PLAYER_RECT
from game.scenes.song_view import coach_parts
from game.scenes.stack import Scene
from game.session import screen_order

if TYPE_CHECKING:
    from game.scenes.context import SceneContext

TORSO = (L_SHOULDER, R_SHOULDER, L_HIP, R_HIP)  # what the virtual points are made of
READY_HOLD_S = 1.0  # every needed joint visible this long before the countdown starts
COUNT_BEATS = 4
STATUS_Y = 646  # the word under the player's panel: "Ready!", "Step back"...
COACH_VIEW = pygame.Rect(COACH_RECT.x, COACH_RECT.y, COACH_RECT.width, STATUS_Y - 36 - COACH_RECT.y)
PLAYER_VIEW = pygame.Rect(PLAYER_RECT.x, PLAYER_RECT.y, PLAYER_RECT.width, COACH_VIEW.height)
"""The song's panels, taller here: nothing to show below them but the status and keys."""


def needed_landmarks(setup: PlaySetup) -> list[int]:
    """Landmarks the level's angles need (virtual points need shoulders and hips), leaving
    out those the coach rarely shows (a waist-up video needs no knees)."""
    shown = (setup.level.pose.visibility >= MIN_VISIBILITY).mean(axis=0) >= 0.5
    needed: set[int] = set()
    for spec in setup.level.angle_specs:
        points = {p for q in (spec.a, spec.vertex, spec.c)
                  for p in ([q] if q < NUM_LANDMARKS else TORSO)}  # fmt: skip
        if all(shown[p] for p in points):
            needed |= points
    return sorted(needed)


def framing_advice(pose: PoseFrame | None, needed: list[int]) -> str | None:
    """None when every needed joint is visible, else what the player should do."""
    if pose is None:
        return "Move into frame"
    missing = [i for i in needed if pose.visibility[i] < MIN_VISIBILITY]
    if not missing:
        return None
    lower = [i for i in missing if i in LEGS]
    names = sorted({LANDMARK_NAMES[i].split("_")[-1] for i in missing})
    if lower:
        return f"Step back: we can't see your {', '.join(names)}"
    return f"Move into the middle: we can't see your {', '.join(names)}"


class GetReadyScene(Scene):
    name = "get_ready"

    def __init__(self, ctx: SceneContext, setup: PlaySetup) -> None:
        super().__init__(ctx)
        self.setup = setup
        self.needed = needed_landmarks(setup)
        self.opened_at = ctx.now()
        self.input: PoseInput | None = None
        self.latest_captured: list[PoseFrame | None] = [None] * setup.players
        self.ready_since: float | None = None
        self.countdown_at: float | None = None
        self.beats_said = 0
        self.blitter = ImageBlitter()
        self.coach_blitter = ImageBlitter()

    def enter(self) -> None:
        if self.input is None:
            try:
                self.input = self.ctx.inputs.open(self.setup, lambda wall: wall - self.opened_at)
            except CaptureError as exc:  # no camera after all: back to level select, saying why
                self.ctx.notice = str(exc)
                self.ctx.pop()

    def leave(self) -> None:
        if self.input is not None:
            self.input.close()
            self.input = None

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type != pygame.KEYDOWN:
            return False
        if event.key == pygame.K_ESCAPE:
            self.ctx.pop()
        elif event.key in (pygame.K_RETURN, pygame.K_SPACE) and self.countdown_at is None:
            self.countdown_at = self.ctx.now()  # start anyway
        else:
            return False
        return True

    @property
    def advice(self) -> list[str | None]:
        now = self.ctx.now()
        fresh = [None if is_stale(pose, now) else pose for pose in self.latest_captured]
        return [framing_advice(pose, self.needed) for pose in fresh]

    def update(self) -> None:
        assert self.input is not None
        now = self.ctx.now()
        for player, frames in enumerate(screen_order(self.input.poll(now))):
            if frames and player < len(self.latest_captured):
                self.latest_captured[player] = frames[-1]
        if self.countdown_at is None:
            if all(a is None for a in self.advice):
                self.ready_since = self.ready_since if self.ready_since is not None else now
                if now - self.ready_since >= READY_HOLD_S:
                    self.countdown_at = now
            else:
                self.ready_since = None
            return
        beat = self.setup.level.grid.seconds_per_beat
        beats = int((now - self.countdown_at) / beat)
        if beats >= self.beats_said and self.beats_said < COUNT_BEATS:
            self.ctx.sfx.play("go" if self.beats_said == COUNT_BEATS - 1 else "count")
            self.beats_said += 1
        if now - self.countdown_at >= COUNT_BEATS * beat:
            self.ctx.replace("play", self.setup)

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        level = self.setup.level
        draw.text(surface, f"Get ready: {level.title}", (24, 18), 44, theme.TEXT)
        draw.text(surface, self.ctx.inputs.plan.label, (1256, 26), 26, theme.MUTED, "topright")
        draw_coach(surface, COACH_VIEW, level, 0.0, self.setup.mirror, None, self.coach_blitter,
                   coach_parts(self.setup))  # fmt: skip
        image = self.input.latest_image() if self.input is not None else None
        advice = self.advice
        views = [
            PlayerView(
                pose,
                theme.PLAYER_COLORS[i],
                f"P{i + 1}" if len(self.latest_captured) > 1 else "YOU",
                advice[i] == "Move into frame",
            )
            for i, pose in enumerate(self.latest_captured)
        ]
        draw_players(
            surface,
            PLAYER_VIEW,
            image,
            level.pose,
            views,
            level.angle_specs,
            self.blitter,
            0.0,
        )
        self._draw_status(surface, advice)

    def _draw_status(self, surface: pygame.Surface, advice: list[str | None]) -> None:
        now = self.ctx.now()
        if self.countdown_at is not None:
            beat = self.setup.level.grid.seconds_per_beat
            left = COUNT_BEATS - int((now - self.countdown_at) / beat)
            word = "GO!" if left <= 1 else str(left - 1)
            draw.text(surface, word, PLAYER_VIEW.center, 180, theme.GOLD, "center", shadow=True)
            return
        two = len(advice) > 1
        for i, message in enumerate(advice):
            x = (
                PLAYER_VIEW.centerx
                if not two
                else PLAYER_VIEW.x + PLAYER_VIEW.width * (0.25 + 0.5 * i)
            )
            text = message or "Ready!"
            color = theme.PLAYER_COLORS[i] if message else theme.GOLD
            prefix = f"P{i + 1}: " if two else ""
            draw.text(
                surface,
                prefix + text,
                (x, STATUS_Y),
                30 if two else 40,
                color,
                "center",
                shadow=True,
            )
        hint = "Enter: start anyway    Esc: back"
        draw.text(surface, hint, (COACH_VIEW.centerx, STATUS_Y), 28, theme.MUTED, "center")
        if self.ready_since is not None:
            held = min(1.0, (now - self.ready_since) / READY_HOLD_S)
            bar = pygame.Rect(0, STATUS_Y + 30, 400, 14)
            bar.centerx = PLAYER_VIEW.centerx
            draw.bar(surface, bar, float(np.clip(held, 0, 1)), theme.GOLD)
