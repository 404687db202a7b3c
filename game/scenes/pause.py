"""Pause overlay: resume, restart or quit to the menu. Quitting saves nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pygame

from game.render import draw, theme
from game.scenes.menu import Menu, MenuScene

if TYPE_CHECKING:
    from game.scenes.context import SceneContext


class PauseScene(MenuScene):
    """Over a song (or a practice loop): resume, restart, or quit to the scene `quit_to`."""

    name = "pause"
    overlay = True
    back_keys = (pygame.K_ESCAPE, pygame.K_p)  # back = resume

    def __init__(
        self,
        ctx: SceneContext,
        restart: Callable[[], None],
        quit_to: str = "level_select",
        quit_label: str = "Quit to levels",
        loop: Callable[[], None] | None = None,
    ) -> None:
        """`loop`: offer "Loop a stretch" (A-B loop from here)."""
        super().__init__(ctx)
        self.restart = restart
        self.quit_to = quit_to
        self.loop = loop
        items = [("resume", "Resume"), ("restart", "Restart"), ("quit", quit_label)]
        items += [("loop", "Loop a stretch")] if loop is not None else []  # quit stays third
        self.menu = Menu(items, pygame.Rect(490, 240 if loop else 260, 300, 64))

    def choose(self, choice: str | None) -> None:
        if choice == "resume":
            self.ctx.pop()
        elif choice == "restart":
            self.ctx.pop()
            self.restart()
        elif choice == "loop" and self.loop is not None:
            self.ctx.pop()
            self.loop()
        elif choice == "quit":
            self.ctx.pop_to(self.quit_to)

    def draw(self, surface: pygame.Surface) -> None:
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((8, 4, 20, 190))
        surface.blit(shade, (0, 0))
        box = pygame.Rect(440, 110, 400, 470 if self.loop else 400)
        draw.panel(surface, box, theme.mix(theme.PANEL, theme.BACKGROUND, 0.3))
        draw.text(surface, "PAUSED", (640, 170), 96, theme.ACCENT, "center", shadow=True)
        self.menu.draw(surface)
