"""Latency calibration from the median pose lag of the last song."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.render import draw, theme
from game.scenes.menu import Menu, MenuScene

if TYPE_CHECKING:
    from game.scenes.context import SceneContext


class CalibrateScene(MenuScene):
    """Sets the camera latency: from how late poses arrived in the last song (the median
    of the judge's best lags), or from a clap-on-the-beat test."""

    name = "calibrate"

    def __init__(self, ctx: SceneContext) -> None:
        super().__init__(ctx)
        self.menu = Menu(
            [
                ("last_song", "Use last song"),
                ("clap", "Clap test"),
                ("reset", "Reset to 0"),
                ("back", "Back"),
            ],
            pygame.Rect(490, 380, 300, 58),
        )
        self.message = ""

    def choose(self, choice: str | None) -> None:
        settings = self.ctx.settings
        lag = self.ctx.inputs.camera_lag
        if choice == "clap":
            self._clap_test()
        elif choice == "last_song" and lag is not None:
            latency = settings.camera_latency_ms + lag * 1000.0
            self.ctx.save_settings(settings.with_(camera_latency_ms=round(latency, 1)))
            self.ctx.inputs.camera_lag = 0.0
            self.message = f"Saved: camera latency {latency:.0f} ms"
        elif choice == "reset":
            self.ctx.save_settings(settings.with_(camera_latency_ms=0.0))
            self.message = "Camera latency reset to 0 ms"
        elif choice == "back":
            self.ctx.pop()

    def _clap_test(self) -> None:
        self.ctx.push("clap")

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        draw.text(surface, "Latency calibration", (640, 90), 72, theme.ACCENT, "center")
        current = self.ctx.settings.camera_latency_ms
        draw.text(
            surface, f"Camera latency now: {current:.0f} ms", (640, 200), 36, theme.TEXT, "center"
        )
        lag = self.ctx.inputs.camera_lag
        if lag is None:
            line = "Dance one song first: its median pose lag calibrates the camera."
        else:
            line = f"Last song, your poses matched the coach {lag * 1000:+.0f} ms late (median)."
        draw.text(surface, line, (640, 270), 30, theme.MUTED, "center")
        draw.text(
            surface,
            "Use it, or clap along to a beat, so your timing is judged fairly.",
            (640, 320),
            26,
            theme.MUTED,
            "center",
        )
        self.menu.draw(surface)
        if self.message:
            draw.text(surface, self.message, (640, 680), 30, theme.GOLD, "center")
