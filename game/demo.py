"""The demo: bots dance the song in place of the players (no camera needed)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from game.capture.bot import BotDancer, BotPoseInput, Mistake
from game.level.model import Level
from game.play_setup import PlaySetup
from game.pose.frame import MIN_VISIBILITY, PoseTrack
from game.pose.skeleton import L_HIP, R_HIP
from game.session import capture_order


def demo_mistakes(level: Level) -> tuple[Mistake, ...]:
    """The demo bot fumbles two stretches, so the scorecard has something to practise."""
    grid = level.grid
    bar = 4 * grid.seconds_per_beat
    first = grid.beat_to_time(16)  # bars 5-6
    late = grid.window_start(int(grid.window_count * 0.7))
    return (Mistake(first, first + 2 * bar, "freeze_arms"), Mistake(late, late + bar, "drop_arms"))


def demo_input(
    setup: PlaySetup, song_time_of: Callable[[float], float], clean: bool = False
) -> BotPoseInput:
    """Bots dancing each player's part, standing where the players would (capture order);
    the leftmost bot in the image (the one player, or P2) fumbles the demo stretches unless
    `clean`. The bots dance what the player should: the mirror image when the coach is not
    mirrored."""
    players = setup.players
    spread = 0.25 * setup.level.pose.aspect if players > 1 else 0.0
    dancers = []
    for k, player in enumerate(capture_order(range(players))):
        part = setup.level_for(player).pose
        part = part.mirrored() if setup.player_mirrored else part
        shift = centring_shift(part) if setup.level.members else 0.0  # members stand apart
        dancers.append(
            BotDancer(
                part,
                lag=0.12,
                jitter=0.003,
                seed=k,
                x_offset=(2 * k - 1) * spread + shift,
                mistakes=() if clean or k > 0 else demo_mistakes(setup.level),
            )
        )
    return BotPoseInput(dancers, song_time_of)


def centring_shift(track: PoseTrack) -> float:
    """How far to move `track` sideways so that its dancer's hips are mid-image."""
    hips = track.landmarks[:, [L_HIP, R_HIP], 0]
    seen = (track.visibility[:, [L_HIP, R_HIP]] >= MIN_VISIBILITY).all(axis=1)
    return float(track.aspect / 2 - np.median(hips[seen])) if seen.any() else 0.0
