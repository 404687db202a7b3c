"""The two big panels of the play screen: the coach, and the player(s) with red circles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pygame

from game.level.model import Level
from game.pose.frame import PoseFrame, PoseTrack
from game.pose.skeleton import AngleSpec
from game.render import draw, theme
from game.render.avatar import draw_avatar
from game.render.image import ImageBlitter, blit_image
from game.render.skeleton import draw_skeleton, draw_wrong_joints
from game.render.viewport import Viewport


def draw_coach(
    surface: pygame.Surface,
    rect: pygame.Rect,
    level: Level,
    song_time: float,
    mirror: bool,
    video_frame: np.ndarray | None,
    blitter: ImageBlitter,
) -> None:
    """The reference dancer: the level's video when it has one, else the avatar."""
    draw.panel(surface, rect)
    inner = rect.inflate(-16, -16)
    if video_frame is not None:
        blit_image(surface, blitter, video_frame, inner, mirror)
    else:
        frame = level.pose.frame_at(song_time)
        view = Viewport.for_track(inner, level.pose, mirror)
        floor_y = view.to_screen(np.array([[0.0, view.box[1] + view.box[3] * 0.97]]))[0, 1]
        shadow = pygame.Rect(0, 0, inner.width * 0.5, 26)
        shadow.center = (inner.centerx, round(floor_y))
        pygame.draw.ellipse(surface, theme.mix(theme.PANEL, (0, 0, 0), 0.45), shadow)
        draw_avatar(surface, frame.landmarks, frame.visibility, view)
    label = "COACH (mirrored)" if mirror else "COACH"
    draw.tag(surface, label, (rect.x + 20, rect.y + 16), 24, theme.MUTED)


@dataclass(frozen=True)
class PlayerView:
    """What to draw for one player on the camera panel."""

    pose: PoseFrame | None
    ratios: np.ndarray | None  # live error / tolerance per joint (red circles where > 1)
    color: theme.Color
    stale: bool = False  # no recent pose: the player left the frame


def draw_players(
    surface: pygame.Surface,
    rect: pygame.Rect,
    image: np.ndarray | None,
    stage: PoseTrack,
    players: Sequence[PlayerView],
    specs: Sequence[AngleSpec],
    blitter: ImageBlitter,
    pulse: float,
) -> None:
    """The camera image (mirrored like a mirror) with every player's skeleton on it.

    Without a camera image (the bot), the dancers are framed like the `stage` track."""
    draw.panel(surface, rect)
    inner = rect.inflate(-16, -16)
    if image is not None:
        area = blit_image(surface, blitter, image, inner, mirror=True, dim=0.35)
        view = Viewport.for_frame(area, image.shape[1] / image.shape[0], mirror=True)
    else:
        area = inner
        pygame.draw.rect(surface, theme.mix(theme.PANEL, theme.BACKGROUND, 0.6), area, 0, 10)
        view = Viewport.for_track(area, stage, mirror=True)
        if len(players) > 1:  # two bots stand a quarter of the frame either side
            x0, y0, width, height = view.box
            spread = 0.25 * stage.aspect
            view = Viewport(area, (x0 - spread, y0, width + 2 * spread, height), mirror=True)
    clip = surface.get_clip()
    surface.set_clip(area)
    for player in players:
        if player.pose is None or player.stale:
            continue
        points = draw_skeleton(
            surface, player.pose.landmarks, player.pose.visibility, view, player.color, width=6
        )
        draw_wrong_joints(
            surface, points, player.pose.visibility, specs, player.ratios, radius=24, pulse=pulse
        )
    surface.set_clip(clip)
