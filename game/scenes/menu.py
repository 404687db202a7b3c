"""A vertical button menu driven by keyboard (up/down/enter) and mouse (hover/click)."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from game.pose.frame import PoseFrame
from game.render import draw
from game.scenes.hand import HandPointer
from game.scenes.stack import Scene

GAP = 16
MENU_EVENTS = (pygame.KEYDOWN, pygame.MOUSEMOTION, pygame.MOUSEBUTTONDOWN)


class Menu:
    """Buttons of (id, label): choosing one gives its id, whatever the label says."""

    def __init__(
        self, items: Sequence[tuple[str, str]], first: pygame.Rect, size: int = 34
    ) -> None:
        self.ids = [item_id for item_id, _ in items]
        self.labels = [label for _, label in items]
        self.rects = [first.move(0, i * (first.height + GAP)) for i in range(len(items))]
        self.focus = 0
        self.size = size
        self.pointer = HandPointer()

    def update_hand(self, pose: PoseFrame | None, now: float) -> str | None:
        """The item chosen by a hand held over it, if any (see game.scenes.hand)."""
        chosen = self.pointer.update(pose, now, self.rects)
        if self.pointer.position is not None:
            hovered = [i for i, r in enumerate(self.rects) if r.collidepoint(self.pointer.position)]
            self.focus = hovered[0] if hovered else self.focus
        return None if chosen is None else self.ids[chosen]

    def handle(self, event: pygame.event.Event) -> str | None:
        """The chosen item's id, if this event chose one."""
        if event.type == pygame.KEYDOWN:
            if event.key in (pygame.K_UP, pygame.K_w):
                self.focus = (self.focus - 1) % len(self.ids)
            elif event.key in (pygame.K_DOWN, pygame.K_s):
                self.focus = (self.focus + 1) % len(self.ids)
            elif event.key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
                return self.ids[self.focus]
        elif event.type == pygame.MOUSEMOTION:
            for i, rect in enumerate(self.rects):
                if rect.collidepoint(event.pos):
                    self.focus = i
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            for i, rect in enumerate(self.rects):
                if rect.collidepoint(event.pos):
                    self.focus = i
                    return self.ids[i]
        return None

    def draw(self, surface: pygame.Surface) -> None:
        for i, (label, rect) in enumerate(zip(self.labels, self.rects, strict=True)):
            draw.button(surface, rect, label, i == self.focus, self.size)
        self.pointer.draw(surface)


class MenuScene(Scene):
    """A scene that is mostly a Menu: keys, mouse and a held hand choose; Esc goes back."""

    menu: Menu
    back_keys: tuple[int, ...] = (pygame.K_ESCAPE,)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN and event.key in self.back_keys:
            self.back()
            return True
        self.choose(self.menu.handle(event))
        return event.type in MENU_EVENTS

    def update(self) -> None:
        self.choose(self.menu.update_hand(self.ctx.inputs.hand(), self.ctx.now()))

    def back(self) -> None:
        self.ctx.pop()

    def choose(self, item: str | None) -> None:
        """Act on the id of a chosen menu item (None: nothing chosen this time)."""
