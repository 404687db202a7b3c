"""Clap on the beat: the lag between the beeps and the claps the camera sees is the
latency to judge by (sound out, reaction and camera in, all together)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pygame

from game.capture.base import CaptureError, PoseInput
from game.pose.frame import MIN_VISIBILITY, PoseFrame, PoseTrack, is_stale
from game.pose.skeleton import L_SHOULDER, L_WRIST, NUM_LANDMARKS, R_SHOULDER, R_WRIST
from game.render import draw, theme
from game.render.image import ImageBlitter
from game.render.stage import PlayerView, draw_players
from game.scenes.menu import Menu, MenuScene
from game.session import screen_order

if TYPE_CHECKING:
    from game.scenes.context import SceneContext

BPM = 100.0
LEAD_IN = 4  # beats to get the feel before claps count
CLAPS = 8
TOGETHER = 0.6  # hands closer than this many shoulder widths: a clap
MIN_CLAPS = 4
PANEL = pygame.Rect(640, 90, 600, 460)


def hands_apart(pose: PoseFrame) -> float | None:
    """Distance between the wrists in shoulder widths (None if not all seen)."""
    points = (L_WRIST, R_WRIST, L_SHOULDER, R_SHOULDER)
    if min(pose.visibility[p] for p in points) < MIN_VISIBILITY:
        return None
    xy = pose.landmarks[:, :2]
    shoulders = float(np.linalg.norm(xy[L_SHOULDER] - xy[R_SHOULDER]))
    return float(np.linalg.norm(xy[L_WRIST] - xy[R_WRIST])) / max(shoulders, 1e-6)


def clap_times(poses: list[PoseFrame]) -> list[float]:
    """Times when the hands meet: the closest moment of each stretch spent together."""
    claps, best = [], None
    for pose in poses:
        apart = hands_apart(pose)
        if apart is not None and apart < TOGETHER:
            if best is None or apart < best[0]:
                best = (apart, pose.time)
        elif best is not None:
            claps.append(best[1])
            best = None
    if best is not None:
        claps.append(best[1])
    return claps


def median_lag(claps: list[float], beats: list[float]) -> float | None:
    """Median of each clap's lag behind its nearest beat (None with too few claps)."""
    if not beats:
        return None
    period = beats[1] - beats[0] if len(beats) > 1 else 1.0
    lags = [t - min(beats, key=lambda b: abs(t - b)) for t in claps]
    lags = [lag for lag in lags if abs(lag) < period / 2]
    return float(np.median(lags)) if len(lags) >= MIN_CLAPS else None


class ClapScene(MenuScene):
    name = "clap"

    def __init__(self, ctx: SceneContext) -> None:
        super().__init__(ctx)
        self.menu = Menu(
            [("save", "Save"), ("again", "Again"), ("back", "Back")], pygame.Rect(170, 420, 300, 58)
        )
        self.input: PoseInput | None = None
        self.blitter = ImageBlitter()
        self._stage_track: PoseTrack | None = None
        self._begin()

    def _begin(self) -> None:
        now = self.ctx.now() + 1.0
        period = 60.0 / BPM
        self.beats = [now + k * period for k in range(LEAD_IN + CLAPS)]  # wall clock
        self.said = 0
        self.captured: list[PoseFrame] = []  # capture time: the wall clock too
        self.result: float | None = None
        self.finished = False
        self.message = ""

    def enter(self) -> None:
        if self.input is None and not self.finished:
            try:
                self.input = self.ctx.inputs.open_camera_alone()
            except CaptureError as exc:  # no camera: say so, offer Back
                self.finished, self.message = True, str(exc)

    def leave(self) -> None:
        if self.input is not None:
            self.input.close()

    def update(self) -> None:
        now = self.ctx.now()
        if self.input is None:
            super().update()
            return
        for frames in screen_order(self.input.poll(now))[:1]:
            self.captured.extend(frames)
        while self.said < len(self.beats) and now >= self.beats[self.said]:
            self.ctx.sfx.play("go" if self.said == LEAD_IN else "count")
            self.said += 1
        if not self.finished and now > self.beats[-1] + 0.5:
            self.finished = True
            counted = [p for p in self.captured if p.time >= self.beats[LEAD_IN] - 0.3]
            self.result = median_lag(clap_times(counted), self.beats[LEAD_IN:])
        if self.finished:
            super().update()

    def choose(self, item: str | None) -> None:
        if not self.finished or item is None:
            return
        if item == "save" and self.result is not None:
            latency = round(1000.0 * self.result, 1)
            self.ctx.save_settings(self.ctx.settings.with_(camera_latency_ms=latency))
            self.message = f"Saved: camera latency {latency:.0f} ms"
        elif item == "again" and self.input is not None:
            self._begin()
        elif item == "back":
            self.ctx.pop()

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        draw.text(surface, "Clap on the beat", (40, 40), 64, theme.ACCENT)
        now = self.ctx.now()
        if not self.finished:
            counting = self.said > LEAD_IN
            hint = "Clap with every beep!" if counting else "Listen... clapping starts on GO"
            draw.text(surface, hint, (40, 130), 34, theme.TEXT)
            phase = min((now - b) for b in self.beats[: max(self.said, 1)]) if self.said else 1.0
            size = round(70 + 50 * max(0.0, 1.0 - phase * 3))
            color = theme.GOLD if counting else theme.ACCENT_2
            pygame.draw.circle(surface, color, (300, 320), size)
            left = max(0, len(self.beats) - self.said)
            draw.text(surface, str(left), (300, 320), 72, theme.BACKGROUND, "center")
        elif self.result is None:
            draw.text(surface, "Not enough claps seen: keep both hands in view", (40, 140),
                      32, theme.WRONG)  # fmt: skip
            draw.text(surface, "and clap with each beep.", (40, 180), 32, theme.WRONG)
        else:
            draw.text(surface, f"Your claps land {self.result * 1000:+.0f} ms after the beat",
                      (40, 140), 36, theme.TEXT)  # fmt: skip
            draw.text(surface, "Save it to judge your timing fairly.", (40, 190), 28, theme.MUTED)
        if self.finished:
            self.menu.draw(surface)
        if self.message:
            draw.text(surface, self.message, (320, 660), 30, theme.GOLD, "center")
        image = self.input.latest_image() if self.input is not None else None
        pose = self.captured[-1] if self.captured else None
        if image is None and pose is None:
            draw.panel(surface, PANEL)
            draw.text(surface, "Step into view of the camera", PANEL.center, 28, theme.MUTED,
                      "center")  # fmt: skip
            return
        view = PlayerView(pose, theme.PLAYER_COLORS[0], "YOU", is_stale(pose, now))
        draw_players(surface, PANEL, image, self._stage(), [view], (), self.blitter, 0.0)

    def _stage(self) -> PoseTrack:
        """The clapper's first pose seen: frames the view when there is no image (made once:
        the view caches its box per track)."""
        first = self.captured[:1]
        if self._stage_track is None or not len(self._stage_track):
            self._stage_track = PoseTrack(
                np.array([f.time for f in first], np.float64),
                np.array([f.landmarks for f in first], np.float32).reshape(-1, NUM_LANDMARKS, 3),
                np.array([f.visibility for f in first], np.float32).reshape(-1, NUM_LANDMARKS),
            )
        return self._stage_track
