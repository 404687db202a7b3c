"""Instant replay: the player's last try beside the coach, at the speed it was tried, with each
window's judgement and the wrong joints circled; it loops until a key (or a click)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pygame

from game.play_setup import PlaySetup
from game.render import draw, theme
from game.render.image import ImageBlitter
from game.render.skeleton import draw_skeleton, draw_wrong_joints
from game.render.stage import draw_coach
from game.render.timeline import draw_timeline
from game.render.viewport import Viewport, steady_box
from game.scenes.song_layout import COACH_RECT, PLAYER_RECT, TIMELINE_RECT
from game.scenes.stack import Scene
from game.scoring.loop_pass import LoopPass

if TYPE_CHECKING:
    from game.scenes.context import SceneContext

HOLD_S = 1.0  # the replay holds on its last frame this long before it starts again


def take_box(take: LoopPass) -> tuple[float, float, float, float] | None:
    """Where the player danced in `take`, framed as the coach is framed (`steady_box`): a
    joint guessed far out of frame now and then does not shrink the player."""
    if not take.poses:
        return None
    landmarks = np.stack([p.landmarks for p in take.poses])
    visibility = np.stack([p.visibility for p in take.poses])
    return steady_box(landmarks, visibility)


class ReplayScene(Scene):
    name = "replay"

    def __init__(
        self, ctx: SceneContext, setup: PlaySetup, take: LoopPass, player: int = 0
    ) -> None:
        """Replay `take` of `player` dancing `setup`."""
        super().__init__(ctx)
        self.setup = setup
        self.take = take
        self.player = player
        self.started = ctx.now()
        self.blitter = ImageBlitter()
        self.box = take_box(take)

    @property
    def song_time(self) -> float:
        """Where the replay is: song time, moving at the speed the try was danced."""
        take = self.take
        length = max(0.1, (take.end_s - take.start_s) / take.speed)
        elapsed = (self.ctx.now() - self.started) % (length + HOLD_S)
        return take.start_s + min(elapsed, length) * take.speed

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN or (
            event.type == pygame.MOUSEBUTTONDOWN and event.button == 1
        ):
            self.ctx.pop()
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        take, level = self.take, self.setup.level_for(self.player)
        time = self.song_time
        what = f"try {take.number}" if take.number else "your song"
        title = f"REPLAY  {what}  ·  {take.span.label}  ·  {take.speed:g}x"
        draw.text(surface, title, (24, 14), 36, theme.ACCENT)
        # a try passed or not by the pass rule; the song (number 0) was never a try
        verdict = ("passed  ·  " if take.passed else "not passed  ·  ") if take.number else ""
        draw.text(surface, f"{verdict}any key: back", (1256, 22), 24, theme.MUTED, "topright")
        draw_coach(surface, COACH_RECT, level, time, take.mirror, None, self.blitter)
        draw.panel(surface, PLAYER_RECT)
        inner = PLAYER_RECT.inflate(-16, -16)
        label = "YOU  (last try)" if take.number else "YOU  (your song)"
        draw.tag(surface, label, (PLAYER_RECT.x + 20, PLAYER_RECT.y + 16), 24,
                 theme.PLAYER_COLORS[self.player])  # fmt: skip
        event = take.event_at(time)
        pose = take.pose_at(time)
        if pose is not None and self.box is not None:
            area = pygame.Rect(inner.x, inner.y + 50, inner.width, inner.height - 50)
            view = Viewport(area, self.box, mirror=True)
            color = theme.PLAYER_COLORS[self.player]
            points = draw_skeleton(surface, pose.landmarks, pose.visibility, view, color)
            wrong = event.joint_ratios if event and event.judgement.tier.circles_joints else None
            draw_wrong_joints(surface, points, pose.visibility, level.angle_specs, wrong,
                              max(16, round(0.06 * view.scale)))  # fmt: skip
        elif pose is None:
            draw.text(surface, "no pose yet", inner.center, 32, theme.MUTED, "center")
        if event is not None:
            tier = event.judgement.tier
            where = (PLAYER_RECT.right - 24, PLAYER_RECT.y + 14)
            draw.outlined_text(surface, tier.label, where, 44, tier.color, "topright")
        judged = [{e.window: e.judgement for e in take.events}]
        windows = take.span.windows(level.grid)
        draw_timeline(surface, TIMELINE_RECT, level, time, judged, {e.window for e in take.events},
                      take.mirror, windows)  # fmt: skip
        progress = (time - take.start_s) / max(0.1, take.end_s - take.start_s)
        bar = pygame.Rect(24, 704, 1232, 8)
        pygame.draw.rect(surface, theme.PANEL, bar, border_radius=4)
        done = pygame.Rect(bar.x, bar.y, round(bar.width * progress), bar.height)
        pygame.draw.rect(surface, theme.ACCENT, done, border_radius=4)
