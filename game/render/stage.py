"""The two big panels of the play screen: the coach, and the player(s) with red circles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pygame

from game.level.model import Level
from game.pose.frame import MIN_VISIBILITY, PoseFrame, PoseTrack
from game.pose.skeleton import AngleSpec
from game.render import draw, theme
from game.render.avatar import draw_avatar
from game.render.hud import POPUP_FONT, POPUP_SECONDS, draw_player_stats, draw_popup, popup_size
from game.render.image import ImageBlitter, blit_image
from game.render.layout import place_clear, pose_extent, union_box
from game.render.skeleton import draw_skeleton, draw_thin_skeleton, draw_wrong_joints
from game.render.spotlight_view import blit_crop, member_rect, shade_outside
from game.render.viewport import Viewport
from game.scoring.rules import WindowJudgement


@dataclass(frozen=True)
class CoachPart:
    """A group level's member on the coach panel, tagged with who dances the part."""

    pose: PoseTrack
    label: str  # e.g. "P1 · Dancer 2"
    color: theme.Color


def draw_coach(
    surface: pygame.Surface,
    rect: pygame.Rect,
    level: Level,
    song_time: float,
    mirror: bool,
    video_frame: np.ndarray | None,
    blitter: ImageBlitter,
    parts: Sequence[CoachPart] = (),
    crop: tuple[float, float, float, float] | None = None,
    lit: Sequence[PoseTrack] = (),
    hint: str | None = None,
) -> None:
    """The reference dancer: the level's video when it has one, else the avatar. On a group
    level each of `parts` is tagged over its member in the video, or, without a video,
    danced by an avatar of its own side by side (a duet). With `crop` (height units of the
    video), the video is enlarged to that part of it, your members (`parts`) lit and the
    rest dimmed; without, the members of `lit` are lit in the whole video. `hint` (e.g. the
    key that toggles the spotlight) goes in the panel's corner."""
    draw.panel(surface, rect)
    inner = rect.inflate(-16, -16)
    if video_frame is not None and crop is not None:
        clip = surface.get_clip()
        surface.set_clip(inner)
        view = blit_crop(surface, video_frame, crop, inner, mirror)
        shade_outside(surface, inner, member_rect(view, [p.pose for p in parts], song_time))
        for part in parts:
            _tag_member(surface, view, inner, part, song_time)
        surface.set_clip(clip)
    elif video_frame is not None:
        shown = blit_image(surface, blitter, video_frame, inner, mirror)
        view = Viewport.for_frame(shown, video_frame.shape[1] / video_frame.shape[0], mirror)
        if lit:
            shade_outside(surface, shown, member_rect(view, lit, song_time))
        for part in parts:
            _tag_member(surface, view, shown, part, song_time)
    elif len(parts) > 1:
        width = inner.width // len(parts)
        for k, part in enumerate(parts):
            column = pygame.Rect(inner.x + k * width, inner.y + 36, width, inner.height - 36)
            _draw_dancer(surface, column, part.pose, song_time, mirror)
            draw.tag(surface, part.label, (column.centerx, inner.y + 44), 22, part.color, "midtop")
    else:
        _draw_dancer(surface, inner, level.pose, song_time, mirror)
        if parts:
            draw.tag(surface, parts[0].label, (inner.right - 4, inner.y + 8), 22, parts[0].color,
                     "topright")  # fmt: skip
    label = "COACH (mirrored)" if mirror else "COACH"
    draw.tag(surface, label, (rect.x + 20, rect.y + 16), 24, theme.MUTED)
    if hint:
        draw.tag(surface, hint, (inner.right - 6, inner.bottom - 6), 20, theme.MUTED,
                 "bottomright")  # fmt: skip


def _draw_dancer(
    surface: pygame.Surface, area: pygame.Rect, pose: PoseTrack, song_time: float, mirror: bool
) -> None:
    """An avatar dancing `pose`, standing on a shadow."""
    frame = pose.frame_at(song_time)
    view = Viewport.for_track(area, pose, mirror)
    floor_y = view.to_screen(np.array([[0.0, view.box[1] + view.box[3] * 0.97]]))[0, 1]
    shadow = pygame.Rect(0, 0, area.width * 0.5, 26)
    shadow.center = (area.centerx, round(floor_y))
    pygame.draw.ellipse(surface, theme.mix(theme.PANEL, (0, 0, 0), 0.45), shadow)
    draw_avatar(surface, frame.landmarks, frame.visibility, view)


def _tag_member(
    surface: pygame.Surface, view: Viewport, within: pygame.Rect, part: CoachPart, song_time: float
) -> None:
    """`part`'s label over its member's head in the video shown through `view`."""
    frame = part.pose.frame_at(song_time)
    seen = frame.visibility >= MIN_VISIBILITY
    if not seen.any():
        return
    points = view.to_screen(frame.landmarks[seen, :2])
    x = float(np.clip(points[:, 0].mean(), within.left + 40, within.right - 40))
    top = max(float(points[:, 1].min()) - 14, within.top + 32)  # stays inside the video
    draw.tag(surface, part.label, (round(x), round(top)), 20, part.color, "midbottom")


@dataclass(frozen=True)
class PlayerView:
    """What to draw for one player on the camera panel."""

    pose: PoseFrame | None
    color: theme.Color
    label: str = "YOU"  # the badge over the head: YOU, or P1 / P2
    stale: bool = False  # no recent pose: the player left the frame
    verdict: WindowJudgement | None = None  # the newest judged window (pop-up, red circles)
    verdict_age: float = 0.0  # seconds since it was judged
    score: float | None = None  # with a score, the counters show
    combo: int = 0
    message: str | None = None  # e.g. "Move into frame", where the player would be

    @property
    def circled_ratios(self) -> tuple[float, ...] | None:
        """The ratios whose joints are circled red: the pop-up's own window while it shows,
        and never with a PERFECT (a joint may slip a little in a PERFECT window)."""
        verdict = self.verdict
        if verdict is None or not 0.0 <= self.verdict_age < POPUP_SECONDS:
            return None
        if not verdict.judgement.tier.circles_joints:
            return None
        return verdict.joint_ratios


@dataclass(frozen=True)
class StageLayout:
    """Where things went on the player panel (for tests and for the caller's own text)."""

    view: Viewport
    area: pygame.Rect  # where bodies may be drawn
    image: pygame.Rect | None  # where the camera image went
    bodies: list[pygame.Rect | None]  # per player: the body with its badge, or the message
    popups: list[pygame.Rect | None]
    counters: list[pygame.Rect | None]
    circled: list[list[str]]  # per player: the joints circled red


def hud_band(players: Sequence[PlayerView]) -> int:
    """Height kept free above the bodies for the counters (none without counters)."""
    if not any(p.score is not None for p in players):
        return 0
    return 100 if len(players) > 1 else 84


def _view_box(
    image: np.ndarray | None, stage: PoseTrack, players: Sequence[PlayerView]
) -> tuple[float, float, float, float]:
    """The pose-space box to show: the camera frame (or the stage's steady dancer box), grown
    to hold every body whole, so raised hands and feet are never cut off."""
    if image is not None:
        base: tuple[float, float, float, float] = (0.0, 0.0, image.shape[1] / image.shape[0], 1)
    else:
        base = Viewport.for_track(pygame.Rect(0, 0, 1, 1), stage).box
        if len(players) > 1:  # two bots stand a quarter of the frame either side
            x0, y0, width, height = base
            spread = 0.25 * stage.aspect
            base = (x0 - spread, y0, width + 2 * spread, height)
    extents = [
        pose_extent(p.pose.landmarks, p.pose.visibility)
        for p in players
        if p.pose is not None and not p.stale
    ]
    box = union_box([base, *extents])
    assert box is not None
    return box


def _badge(surface: pygame.Surface, label: str, midbottom: tuple[int, int], color: theme.Color,
           within: pygame.Rect) -> pygame.Rect:  # fmt: skip
    """The player's name on a pill of their colour."""
    image = theme.font(24).render(label, True, (12, 8, 24))
    rect = image.get_rect().inflate(18, 6)
    rect.midbottom = midbottom
    rect = rect.clamp(within)
    pygame.draw.rect(surface, (12, 8, 24), rect.inflate(4, 4), border_radius=rect.height)
    pygame.draw.rect(surface, color, rect, border_radius=rect.height)
    surface.blit(image, image.get_rect(center=rect.center))
    return rect


def draw_players(
    surface: pygame.Surface,
    rect: pygame.Rect,
    image: np.ndarray | None,
    stage: PoseTrack,
    players: Sequence[PlayerView],
    specs: Sequence[AngleSpec],
    blitter: ImageBlitter,
    pulse: float,
    band: int | None = None,
    thin: bool = False,
) -> StageLayout:
    """The camera image (mirrored like a mirror) with every player's body on it, their
    badges, red circles, counters and pop-ups; nothing is drawn over a body but its circles.

    The view holds the whole of every body: when the camera image would cut one off, the
    image is shown smaller instead. Without a camera image (the bot), the dancers are framed
    like the `stage` track. `band` (default: room for the counters) is kept free at the top;
    a `band` given is the caller's strip, kept clear of pop-ups too.
    `thin` (see yourself): over a camera image each player is a thin skeleton with the wrong
    joints red, so the player sees themselves; without an image the body is drawn whole."""
    draw.panel(surface, rect)
    inner = rect.inflate(-16, -16)
    strip = None if band is None else pygame.Rect(inner.x, inner.y, inner.width, band)
    band = hud_band(players) if band is None else band
    area = pygame.Rect(inner.x, inner.y + band, inner.width, inner.height - band)
    view = Viewport(area, _view_box(image, stage, players), mirror=True)
    image_rect = None
    if image is not None:
        aspect = image.shape[1] / image.shape[0]
        image_rect = view.box_on_screen((0.0, 0.0, aspect, 1.0))
        surface.blit(blitter.surface(image, image_rect.size, True), image_rect)
        shade = pygame.Surface(image_rect.size, pygame.SRCALPHA)
        shade.fill((0, 0, 0, 30 if thin else 90))
        surface.blit(shade, image_rect)
    else:
        pygame.draw.rect(surface, theme.mix(theme.PANEL, theme.BACKGROUND, 0.6), inner, 0, 10)
    clip = surface.get_clip()
    surface.set_clip(inner)
    bodies: list[pygame.Rect | None] = []
    circled: list[list[str]] = []
    slots = [_slot(area, i, len(players)) for i in range(len(players))]
    for player in players:
        if player.pose is None or player.stale:
            bodies.append(None)
            circled.append([])
            continue
        pose = player.pose
        if thin and image is not None:
            points = draw_thin_skeleton(surface, pose.landmarks, pose.visibility, view,
                                        player.color, player.circled_ratios, specs)  # fmt: skip
        else:
            points = draw_skeleton(surface, pose.landmarks, pose.visibility, view, player.color)
        radius = max(16, round(0.06 * view.scale))
        circled.append(draw_wrong_joints(surface, points, pose.visibility, specs,
                                         player.circled_ratios, radius, pulse))  # fmt: skip
        extent = pose_extent(pose.landmarks, pose.visibility)
        bodies.append(None if extent is None else view.box_on_screen(extent))
    for i, player in enumerate(players):
        body = bodies[i]
        if body is not None and player.label:
            top = body.top + round(0.06 * body.height)
            badge = _badge(surface, player.label, (body.centerx, top), player.color, inner)
            bodies[i] = body.union(badge)
        elif player.message:  # no body to show: the message stands where the player would
            size = theme.font(38).size(player.message)
            plate = pygame.Rect(0, 0, size[0] + 40, size[1] + 20)
            plate.center = slots[i].center
            draw.plate(surface, plate, player.color)
            draw.outlined_text(surface, player.message, plate.center, 38, player.color, "center")
            bodies[i] = plate  # pop-ups keep clear of it like of a body
    counters = _draw_counters(surface, inner, players)
    top = inner.y if strip is None else strip.bottom
    popups = _draw_popups(surface, inner, slots, players, bodies, [*counters, strip], top)
    surface.set_clip(clip)
    return StageLayout(view, area, image_rect, bodies, popups, counters, circled)


def _slot(area: pygame.Rect, index: int, count: int) -> pygame.Rect:
    """Where player `index` of `count` stands on the screen (left to right)."""
    width = area.width // max(1, count)
    return pygame.Rect(area.x + index * width, area.y, width, area.height)


def _draw_counters(
    surface: pygame.Surface, inner: pygame.Rect, players: Sequence[PlayerView]
) -> list[pygame.Rect | None]:
    two = len(players) > 1
    out: list[pygame.Rect | None] = []
    for i, player in enumerate(players):
        if player.score is None:
            out.append(None)
            continue
        left = two and i == 0
        anchor = (inner.x + 14, inner.y + 6) if left else (inner.right - 14, inner.y + 6)
        out.append(draw_player_stats(surface, anchor, player.score, player.combo, player.color,
                                     player.label if two else None,
                                     "topleft" if left else "topright"))  # fmt: skip
    return out


def _draw_popups(
    surface: pygame.Surface,
    inner: pygame.Rect,
    slots: Sequence[pygame.Rect],
    players: Sequence[PlayerView],
    bodies: Sequence[pygame.Rect | None],
    counters: Sequence[pygame.Rect | None],
    top: int,
) -> list[pygame.Rect | None]:
    """Each player's newest judgement beside their body, clear of every body and counter
    (with no room clear, at the top of the player's slot: at `top`)."""
    taken = [r for r in (*bodies, *counters) if r is not None]
    out: list[pygame.Rect | None] = []
    for i, player in enumerate(players):
        verdict = player.verdict
        if verdict is None or not 0.0 <= player.verdict_age < POPUP_SECONDS:
            out.append(None)
            continue
        target = bodies[i] or pygame.Rect(slots[i].centerx, slots[i].centery, 0, 0)
        spot = None
        for font_size in (POPUP_FONT, round(POPUP_FONT * 0.75), round(POPUP_FONT * 0.55)):
            size = popup_size(verdict.judgement, font_size)
            spot = place_clear(size, target, taken, inner)
            if spot is not None:
                break
        if spot is None:  # no room anywhere clear: the top of the player's own slot
            size = popup_size(verdict.judgement, round(POPUP_FONT * 0.55))
            spot = pygame.Rect((0, 0), size)
            spot.midtop = (slots[i].centerx, top + 4)
            spot = spot.clamp(inner)
            font_size = round(POPUP_FONT * 0.55)
        draw_popup(surface, spot, verdict.judgement, player.verdict_age, font_size)
        taken.append(spot)
        out.append(spot)
    return out
