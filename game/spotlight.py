"""Your member in the spotlight: which members the coach video follows, and the key that
switches between them and the whole group."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from game.pose.spotlight import Spotlight, spotlight

if TYPE_CHECKING:
    from game.play_setup import PlaySetup

TOGGLE_KEYS = (pygame.K_v,)


def followed(setup: PlaySetup) -> list:
    """The pose tracks of the members the players dance: each player's member of a group
    level (both of a duet), or the member a `--dancer N` level follows; none for a solo
    dancer's level."""
    level = setup.level
    if level.members:
        parts = dict.fromkeys(setup.level_for(p).member for p in range(setup.players))
        return [level.member_pose(member) for member in parts]
    if level.meta.dancer is not None:
        return [level.pose]
    return []


def coach_spotlight(setup: PlaySetup, panel: pygame.Rect) -> Spotlight | None:
    """The crop following the players' members in the level's video, shown in `panel`;
    None for a level whose video is not of a group (or that has no video)."""
    if setup.level.video_path is None:
        return None
    tracks = followed(setup)
    if not tracks:
        return None
    return spotlight(tracks, panel.width / panel.height, setup.level.pose.aspect)


def hint(whole_group: bool) -> str:
    return "V: your member" if whole_group else "V: whole group"
