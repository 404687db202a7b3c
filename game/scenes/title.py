"""Title screen: the logo, a dancing coach, and the main menu."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pygame

from game.level.manifest import LevelError
from game.level.model import Level
from game.render import draw, theme
from game.render.avatar import AvatarStyle, draw_avatar
from game.render.viewport import Viewport
from game.scenes.menu import Menu, MenuScene

if TYPE_CHECKING:
    from game.scenes.context import SceneContext

DANCER_STYLES = (
    AvatarStyle(),
    AvatarStyle(
        body=(80, 220, 255), left=(140, 235, 255), right=(40, 170, 220), legs=(60, 70, 160)
    ),
)


def first_level(ctx: SceneContext) -> Level | None:
    """The first level listed, loaded to dance on the title screen (None if it is broken)."""
    levels = [entry for entry in ctx.list_levels()[0] if entry.ok]
    try:
        return levels[0].load() if levels else None
    except LevelError:
        return None


class TitleScene(MenuScene):
    name = "title"

    def __init__(self, ctx: SceneContext) -> None:
        super().__init__(ctx)
        self.menu = Menu(
            [("play", "Play"), ("calibrate", "Calibrate"), ("quit", "Quit")],
            pygame.Rect(490, 400, 300, 62),
        )
        self.opened_at = ctx.now()
        self.dancer = first_level(ctx)

    def back(self) -> None:
        self.ctx.quit = True

    def choose(self, choice: str | None) -> None:
        if choice == "play":
            self.ctx.sfx.play("select")
            self.ctx.push("level_select")
        elif choice == "calibrate":
            self.ctx.push("calibrate")
        elif choice == "quit":
            self.ctx.quit = True

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        t = self.ctx.now() - self.opened_at
        if self.dancer is not None:
            track = self.dancer.pose
            for i, (x, style) in enumerate(((40, DANCER_STYLES[0]), (900, DANCER_STYLES[1]))):
                frame = track.frame_at(
                    track.times[0] + (t + i * 0.5) % max(1.0, track.duration - 1)
                )
                view = Viewport.for_track(pygame.Rect(x, 150, 340, 520), track, mirror=i == 1)
                draw_avatar(surface, frame.landmarks, frame.visibility, view, style)
        bounce = 6 * math.sin(t * 2 * math.pi * 0.8)
        draw.text(
            surface, "COVER DANCE", (640, 110 + bounce), 120, theme.ACCENT, "center", shadow=True
        )
        draw.text(
            surface, "TRAINER", (640, 200 + bounce), 96, theme.ACCENT_2, "center", shadow=True
        )
        draw.text(
            surface,
            "dance along · get judged on every beat · practise what you missed",
            (640, 275),
            28,
            theme.MUTED,
            "center",
        )
        self.menu.draw(surface)
        draw.text(
            surface, f"Input: {self.ctx.inputs.plan.label}", (640, 640), 26, theme.MUTED, "center"
        )
        if self.ctx.notice:
            draw.text(surface, self.ctx.notice, (640, 676), 26, theme.GOLD, "center")
