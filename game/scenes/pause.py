"""Pause overlay: resume, restart or quit to the menu. Quitting saves nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.render import draw, theme
from game.scenes.menu import Menu, MenuScene
from game.scenes.stack import Scene

if TYPE_CHECKING:
    from game.app import GameContext


class PauseScene(MenuScene):
    name = "pause"
    overlay = True
    back_keys = (pygame.K_ESCAPE, pygame.K_p)  # back = resume

    def __init__(self, ctx: GameContext, play: Scene) -> None:
        super().__init__(ctx)
        self.play = play
        self.menu = Menu(["Resume", "Restart", "Quit to levels"], pygame.Rect(490, 260, 300, 64))

    def choose(self, choice: str | None) -> None:
        if choice == "Resume":
            self.ctx.stack.pop()
        elif choice == "Restart":
            self.ctx.stack.pop()
            self.play.restart()  # type: ignore[attr-defined]
        elif choice == "Quit to levels":
            self.ctx.stack.pop_to("level_select")

    def draw(self, surface: pygame.Surface) -> None:
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((8, 4, 20, 190))
        surface.blit(shade, (0, 0))
        draw.text(surface, "PAUSED", (640, 170), 96, theme.ACCENT, "center", shadow=True)
        self.menu.draw(surface)
