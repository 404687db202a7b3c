"""Member pick: on a group level each player chooses the member whose part they dance, from
a card per member with that member dancing. Two players on two members dance a duet."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

import pygame

from game.capture.reference_video import ReferenceVideo, open_reference_video
from game.play_setup import PlaySetup
from game.render import draw, theme
from game.render.avatar import draw_avatar
from game.render.image import ImageBlitter
from game.render.stage import CoachPart, draw_coach
from game.render.viewport import Viewport
from game.scenes.hand import HandPointer
from game.scenes.stack import Scene

if TYPE_CHECKING:
    from game.scenes.context import SceneContext

CARDS_RECT = pygame.Rect(40, 150, 1200, 480)
VIDEO_RECT = pygame.Rect(24, 140, 400, 500)  # the group video, when the level has one
CARDS_BESIDE_VIDEO = pygame.Rect(444, 150, 812, 480)
CARD_GAP = 16
MAX_COLUMNS = 6
AS_FILMED = False  # the video and cards unmirrored: members numbered left to right, as imported
NUMBER_KEYS = {getattr(pygame, f"K_{n}"): n - 1 for n in range(1, 10)}


def card_rects(count: int, area: pygame.Rect = CARDS_RECT) -> list[pygame.Rect]:
    """One card per member, in rows of at most MAX_COLUMNS, centred in `area`."""
    columns = min(count, MAX_COLUMNS)
    rows = math.ceil(count / columns)
    width = min(260, (area.width - (columns - 1) * CARD_GAP) // columns)
    height = (area.height - (rows - 1) * CARD_GAP) // rows
    cards = []
    for i in range(count):
        row, column = divmod(i, columns)
        in_row = min(columns, count - row * columns)
        left = area.centerx - (in_row * width + (in_row - 1) * CARD_GAP) // 2
        cards.append(
            pygame.Rect(left + column * (width + CARD_GAP), area.y + row * (height + CARD_GAP),
                        width, height)
        )  # fmt: skip
    return cards


class MemberPickScene(Scene):
    """P1 picks, then P2; Esc takes back the last pick (or returns to level select)."""

    name = "member_pick"

    def __init__(self, ctx: SceneContext, setup: PlaySetup, then: str = "get_ready") -> None:
        """Pick `setup`'s members, then go on to scene `then` (get ready for the song, or
        "learn": learn mode on your member's part)."""
        super().__init__(ctx)
        self.setup = setup
        self.then = then
        self.members = setup.level.members
        self.picks: list[int] = []  # the members chosen so far, P1 first
        self.cursor = 0
        self.opened_at = ctx.now()
        self.pointer = HandPointer()
        self.video: ReferenceVideo | None = None
        self.blitter = ImageBlitter()

    def enter(self) -> None:
        if self.video is None:
            self.video = open_reference_video(self.setup.level.video_path)

    def leave(self) -> None:
        if self.video is not None:
            self.video.close()
            self.video = None

    @property
    def cards(self) -> list[pygame.Rect]:
        """Where each member's card is: beside the group video when there is one."""
        area = CARDS_RECT if self.setup.level.video_path is None else CARDS_BESIDE_VIDEO
        return card_rects(len(self.members), area)

    @property
    def picking(self) -> int:
        """The player choosing now (0: P1)."""
        return len(self.picks)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN:
            return self._key(event.key)
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            hit = next((i for i, r in enumerate(self.cards) if r.collidepoint(event.pos)), None)
            if hit is not None:
                self.choose(hit)
                return True
        return False

    def _key(self, key: int) -> bool:
        count = len(self.members)
        columns = min(count, MAX_COLUMNS)
        moves = {pygame.K_LEFT: -1, pygame.K_a: -1, pygame.K_RIGHT: 1, pygame.K_d: 1,
                 pygame.K_UP: -columns, pygame.K_w: -columns, pygame.K_DOWN: columns,
                 pygame.K_s: columns}  # fmt: skip
        if key in moves:
            self.cursor = (self.cursor + moves[key]) % count
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self.choose(self.cursor)
        elif key in NUMBER_KEYS and NUMBER_KEYS[key] < count:
            self.choose(NUMBER_KEYS[key])
        elif key in (pygame.K_ESCAPE, pygame.K_BACKSPACE):
            if self.picks:
                self.cursor = self.picks.pop()
            else:
                self.ctx.pop()
        else:
            return False
        return True

    def update(self) -> None:
        chosen = self.pointer.update(
            self.ctx.inputs.hand(), self.ctx.now(), card_rects(len(self.members))
        )
        if chosen is not None:
            self.choose(chosen)

    def choose(self, member: int) -> None:
        """`member` is the current player's part; once every player has one, go on."""
        self.ctx.sfx.play("select")
        self.picks.append(member)
        if len(self.picks) < self.setup.players:
            self.cursor = (member + 1) % len(self.members)  # suggest a duet
            return
        level = self.setup.level.with_member(self.picks[0])
        chosen = replace(self.setup, level=level, parts=tuple(self.picks))
        self.ctx.replace(self.then, chosen)

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        level = self.setup.level
        color = theme.PLAYER_COLORS[self.picking]
        who = f"P{self.picking + 1}: " if self.setup.players > 1 else ""
        draw.text(surface, f"{who}Choose the member you dance", (640, 30), 52, color, "midtop")
        line = f"{level.title}  ·  {len(self.members)} members"
        if self.setup.players > 1:
            line += "  ·  two different members make a duet"
        draw.text(surface, line, (640, 96), 28, theme.MUTED, "midtop")
        t = (self.ctx.now() - self.opened_at) % max(1.0, level.grid.end_time) + level.meta.offset
        if self.video is not None:
            self._draw_video(surface, t)
        for index, rect in enumerate(self.cards):
            self._draw_card(surface, index, rect, t)
        self.pointer.draw(surface)
        hint = "Left/Right: member   Enter or 1-9: choose   Esc: back"
        draw.text(surface, hint, (640, 690), 26, theme.MUTED, "center")

    def _draw_video(self, surface: pygame.Surface, t: float) -> None:
        """The group video with each member's number over their head (the cursor's in the
        choosing player's colour)."""
        assert self.video is not None
        frame = self.video.frame_at(t)
        tags = [
            CoachPart(member.pose, str(i + 1),
                      theme.PLAYER_COLORS[self.picking] if i == self.cursor else theme.TEXT)
            for i, member in enumerate(self.members)
        ]  # fmt: skip
        lit = [self.members[self.cursor].pose]  # the member under the cursor in the spotlight
        draw_coach(surface, VIDEO_RECT, self.setup.level, t, AS_FILMED, frame, self.blitter, tags,
                   lit=lit)  # fmt: skip

    def _draw_card(self, surface: pygame.Surface, index: int, rect: pygame.Rect, t: float) -> None:
        member = self.members[index]
        current = index == self.cursor
        color = theme.PLAYER_COLORS[self.picking]
        pygame.draw.rect(surface, theme.mix(theme.PANEL, color, 0.12 if current else 0.0), rect,
                         border_radius=14)  # fmt: skip
        if current:
            pygame.draw.rect(surface, theme.mix(theme.BACKGROUND, color, 0.5), rect.inflate(10, 10),
                             3, 18)  # fmt: skip
        pygame.draw.rect(surface, color if current else theme.PANEL_EDGE, rect, 4 if current else 2,
                         14)  # fmt: skip
        stage = rect.inflate(-16, -70).move(0, 8)
        frame = member.pose.frame_at(t)
        view = Viewport.for_track(stage, member.pose, AS_FILMED)
        draw_avatar(surface, frame.landmarks, frame.visibility, view)
        draw.text(surface, str(index + 1), (rect.x + 14, rect.y + 8), 40, theme.TEXT)
        name = member.name
        while theme.font(26).size(name)[0] > rect.width - 16 and len(name) > 4:
            name = name[:-2] + "…"
        draw.text(surface, name, (rect.centerx, rect.bottom - 12), 26, theme.TEXT, "midbottom")
        for player, pick in enumerate(self.picks):
            if pick == index:
                draw.tag(surface, f"P{player + 1}", (rect.right - 12 - 56 * player, rect.y + 12),
                         24, theme.PLAYER_COLORS[player], "topright")  # fmt: skip
