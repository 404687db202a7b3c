"""A small scene stack: the top scene gets input and updates; `draw()` never changes state."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

if TYPE_CHECKING:
    from game.scenes.context import SceneContext


class Scene:
    """One screen of the game. Subclasses override what they need.

    The stack calls the lifecycle in pairs: `enter` once when pushed and `leave` once when
    removed; `pause` when another scene covers it and `resume` when it is on top again."""

    name = "scene"
    overlay = False  # an overlay (pause) is drawn on top of the scene below it

    def __init__(self, ctx: SceneContext) -> None:
        self.ctx = ctx

    def enter(self) -> None:
        """Called once, when the scene is pushed."""

    def pause(self) -> None:
        """Called when another scene is pushed over this one."""

    def resume(self) -> None:
        """Called when this scene is the top again (the scene over it was removed)."""

    def leave(self) -> None:
        """Called once, when the scene is removed from the stack."""

    def handle(self, event: pygame.event.Event) -> bool:
        """React to one input event; True if the scene used it."""
        return False

    def update(self) -> None:
        """Advance one frame (the clock is ctx.now())."""

    def draw(self, surface: pygame.Surface) -> None:
        """Render the current state. Must not change it."""


class SceneStack:
    def __init__(self) -> None:
        self._scenes: list[Scene] = []

    @property
    def top(self) -> Scene | None:
        return self._scenes[-1] if self._scenes else None

    @property
    def scenes(self) -> tuple[Scene, ...]:
        return tuple(self._scenes)

    def push(self, scene: Scene) -> None:
        if self.top is not None:
            self.top.pause()
        self._scenes.append(scene)
        scene.enter()

    def pop(self) -> Scene | None:
        if not self._scenes:
            return None
        scene = self._scenes.pop()
        scene.leave()
        if self.top:
            self.top.resume()
        return scene

    def replace(self, scene: Scene) -> None:
        """`scene` takes the top's place (the scene below stays paused)."""
        if self._scenes:
            self._scenes.pop().leave()
        self._scenes.append(scene)
        scene.enter()

    def pop_to(self, name: str) -> None:
        """Pop until the scene called `name` is on top (or the stack is empty)."""
        popped = False
        while self._scenes and self._scenes[-1].name != name:
            self._scenes.pop().leave()
            popped = True
        if self.top and popped:
            self.top.resume()

    def draw(self, surface: pygame.Surface) -> None:
        first = len(self._scenes) - 1
        while first > 0 and self._scenes[first].overlay:
            first -= 1
        for scene in self._scenes[first:]:
            scene.draw(surface)
