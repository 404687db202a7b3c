"""Drawing a song in progress (play and practice): the coach flashing on the beat, the
camera with the players' skeletons, pop-ups and counters, and the timeline."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from game.play_setup import PlaySetup
from game.pose.frame import is_stale
from game.render import theme
from game.render.image import ImageBlitter
from game.render.stage import CoachPart, PlayerView, draw_coach, draw_players
from game.render.timeline import draw_timeline
from game.scenes.song_layout import COACH_RECT, FREE_STRIP, PLAYER_RECT, TIMELINE_RECT
from game.scenes.song_run import SongRun
from game.spotlight import hint


def coach_parts(setup: PlaySetup) -> list[CoachPart]:
    """On a group level, each player's member, tagged with the player (one tag for two
    players on one member); on a level that follows one member of a group video, that
    member; nothing on a single dancer's level."""
    level = setup.level
    if not level.members:
        if level.meta.dancer is None:
            return []
        who = " ".join(f"P{p + 1}" for p in range(setup.players)) if setup.players > 1 else "YOU"
        color = theme.PLAYER_COLORS[0]
        return [CoachPart(level.pose, f"{who} · dancer {level.meta.dancer}", color)]
    parts: dict[int, list[int]] = {}
    for player in range(setup.players):
        parts.setdefault(setup.level_for(player).member, []).append(player)
    shown = []
    for member, players in parts.items():
        who = " ".join(f"P{p + 1}" for p in players) if setup.players > 1 else "YOU"
        color = theme.PLAYER_COLORS[players[0]]
        name = setup.level.members[member].name
        shown.append(CoachPart(setup.level.member_pose(member), f"{who} · {name}", color))
    return shown


def player_views(run: SongRun, song: float, counters: bool = True) -> list[PlayerView]:
    """Each player as the stage shows them at `song`: pose, badge, pop-up and counters."""
    views = []
    two = len(run.judging.players) > 1
    for index, state in enumerate(run.judging.players):
        pose = state.latest
        stale = is_stale(pose, song) or run.input_ended_song_s is not None
        verdict, at = run.popups.get(index, (None, song))
        message = "Video ended" if run.input_ended_song_s is not None else "Move into frame"
        views.append(
            PlayerView(
                pose, theme.PLAYER_COLORS[index], f"P{index + 1}" if two else "YOU", stale,
                verdict, song - at,
                state.processor.running_score() if counters else None,
                state.processor.combo,
                message if stale else None,
            )
        )  # fmt: skip
    return views


def draw_stage(
    surface: pygame.Surface,
    run: SongRun,
    blitters: tuple[ImageBlitter, ImageBlitter],
    players: Sequence[int],
    windows: range | None = None,
    counters: bool = True,
    thin: bool = False,
    timeline: pygame.Rect = TIMELINE_RECT,
) -> list[PlayerView]:
    """The coach (flashing on the beat), the camera with `players`' skeletons and the
    timeline of `windows`, at the run's song position; returns the players' views. Without
    `counters`, a strip is kept free at the top of the player panel for the caller; `thin`
    (see yourself): over a camera image, a thin skeleton with red joints, not the body;
    `timeline`: where the timeline goes."""
    song = run.clock.position
    shown = song - run.ctx.settings.visual_delay_ms / 1000.0
    level, mirror = run.setup.level, run.setup.mirror
    coach_blitter, camera_blitter = blitters
    spot, whole = run.spotlight, run.ctx.whole_group
    crop = spot.box_at(shown) if spot is not None and not whole else None
    draw_coach(surface, COACH_RECT, level, shown, mirror, run.video_frame, coach_blitter,
               coach_parts(run.setup), crop, hint=hint(whole) if spot else None)  # fmt: skip
    beat = level.grid.time_to_beat(shown)
    if beat >= 0:  # the coach's frame flashes on every beat, strongest on the bar
        glow = (1.0 - beat % 1.0) ** 3 * (1.0 if int(beat) % 4 == 0 else 0.6)
        color = theme.mix(theme.PANEL_EDGE, theme.ACCENT, glow)
        pygame.draw.rect(surface, color, COACH_RECT, width=3, border_radius=14)
    views = player_views(run, song, counters)
    image = None if run.input_ended_song_s is not None else run.input.latest_image()
    draw_players(
        surface, PLAYER_RECT, image, level.pose,
        [views[p] for p in players], run.judging.judge.specs, camera_blitter, (song * 4) % 1.0,
        None if counters else FREE_STRIP, thin,
    )  # fmt: skip
    judged = [
        {e.window: e.judgement for e in run.judging.players[p].processor.events} for p in players
    ]
    duet = [run.setup.level_for(p) for p in players] if run.setup.duet else []
    draw_timeline(surface, timeline, level, shown, judged, set(run.judging.windows), mirror,
                  windows, duet)  # fmt: skip
    return views
