"""A song (or a practice slice of it) in progress, shared by the play and practice scenes:
what the player chose, the song clock, the pose input and the live judging."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pygame

from game.audio.player import AudioPlayer, SilentAudio
from game.capture.base import PoseInput
from game.capture.reference_video import ReferenceVideo
from game.level.model import Level
from game.pose.frame import is_stale
from game.render import theme
from game.render.image import ImageBlitter
from game.render.stage import CoachPart, PlayerView, draw_coach, draw_players
from game.render.timeline import draw_timeline
from game.scenes.stack import Scene
from game.scoring.judge import Judge
from game.scoring.live import LiveSession
from game.scoring.rules import DEFAULT_DIFFICULTY, DIFFICULTIES, WindowJudgement
from game.session import SongSession

if TYPE_CHECKING:
    from game.app import GameContext

COACH_RECT = pygame.Rect(24, 64, 540, 500)
PLAYER_RECT = pygame.Rect(584, 64, 672, 500)
TIMELINE_RECT = pygame.Rect(24, 580, 1232, 120)
FREE_STRIP = 64  # kept free at the top of the player panel when there are no counters


@dataclass(frozen=True)
class PlaySetup:
    """What the player chose in level select (and, for a group level, the member pick)."""

    level: Level
    difficulty: str = DEFAULT_DIFFICULTY
    mirror: bool = True  # the coach is shown mirrored; the player dances the original moves
    players: int = 1
    parts: tuple[int, ...] = ()
    """A group level: the member (0-based) each player dances, P1 first; empty: the level's
    own part (member 1) for everyone."""

    def level_for(self, player: int) -> Level:
        """The level with `player`'s part as its pose."""
        if not self.parts:
            return self.level
        return self.level.with_member(self.parts[player])

    def part_name(self, player: int) -> str | None:
        """The name of the member `player` dances, for a group level."""
        level = self.level_for(player)
        return level.members[level.member].name if level.members else None

    @property
    def player_mirrored(self) -> bool:
        """The player dances the mirror image of the level's moves: the coach is shown as
        filmed, and a player facing it copies it like a mirror (the one left/right rule of
        judging, coaching words and the demo's bots)."""
        return not self.mirror

    @property
    def duet(self) -> bool:
        """Players dancing different members' parts."""
        return len(set(self.parts[: self.players])) > 1

    def judge(self, player: int = 0) -> Judge:
        level = self.level_for(player)
        return Judge(
            level.pose,
            level.grid,
            level.angle_specs,
            level.tolerances,
            DIFFICULTIES[self.difficulty],
            mirror=self.player_mirrored,
        )

    def judges(self) -> list[Judge]:
        """One judge per player, each against their own part."""
        return [self.judge(player) for player in range(self.players)]


def coach_parts(setup: PlaySetup) -> list[CoachPart]:
    """On a group level, each player's member, tagged with the player (one tag for two
    players on one member); nothing on a single-dancer level."""
    if not setup.level.members:
        return []
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


def open_coach_video(level: Level) -> ReferenceVideo | None:
    """The level's reference video, or None (no video, or it cannot be opened: the avatar
    dances instead)."""
    if level.video_path is None:
        return None
    try:
        return ReferenceVideo(level.video_path)
    except OSError:
        return None


def start_song(ctx: GameContext, path: Path | None) -> AudioPlayer:
    """Play `path` from its start; no file, or one that will not play, is danced to in
    silence (the clock still runs) and the reason is shown."""
    silent = SilentAudio(ctx.now)
    try:
        if path is not None:
            ctx.audio.load(path)
            ctx.audio.set_volume(ctx.settings.volume)
            ctx.audio.play(0.0)
            return ctx.audio
    except (pygame.error, OSError) as exc:
        ctx.notice = f"{path}: cannot play the audio ({exc}); dancing without sound"
    silent.play(0.0)
    return silent


class SongRun:
    """A song (or a practice slice of it) in progress: the pygame-free `SongSession` (clock,
    input, judging) with the song's audio, the coach video, sound effects and pop-ups.

    Shared by the play and practice scenes; owns no drawing.
    """

    def __init__(
        self,
        scene: Scene,
        setup: PlaySetup,
        session: LiveSession,
        audio_path: Path | None,
        song_start: float = 0.0,
        rate: float = 1.0,
        clean_bot: bool = False,
    ) -> None:
        """Plays `audio_path`, whose first sample is song time `song_start`, at `rate`."""
        ctx = scene.ctx
        self.ctx = ctx
        self.setup = setup
        self.session = session
        self.song_start = song_start
        self.rate = rate
        self.song = SongSession(
            session,
            lambda song_time_of: ctx.inputs.open(setup, song_time_of, clean_bot),
            ctx.now,
            self._heard,
            start=song_start,
            rate=rate,
            audio_offset_s=ctx.settings.audio_offset_ms / 1000.0,
            input_latency_s=ctx.inputs.latency,
        )
        self.clock = self.song.clock
        self.input: PoseInput = self.song.input
        self.popups: dict[int, tuple[WindowJudgement, float]] = {}  # player -> newest, song s
        self.video = open_coach_video(setup.level)
        self.video_frame: np.ndarray | None = None
        self.audio = start_song(ctx, audio_path)

    @property
    def input_ended_song_s(self) -> float | None:
        return self.song.input_ended_song_s

    def _heard(self) -> float | None:
        position = self.audio.position()  # asked from step() on, once the song plays
        return None if position is None else self.song_start + position * self.rate

    def step(self) -> float:
        """One frame: the session's step, the coach video's frame, pop-ups and sounds."""
        song, closed = self.song.step()
        if self.video is not None:
            self.video_frame = self.video.frame_at(song)
        for player, event in closed:
            self.popups[player] = (event, song)
            self.ctx.sfx.play_judgement(event.judgement)
        return song

    def player_views(self, song: float, counters: bool = True) -> list[PlayerView]:
        views = []
        two = len(self.session.players) > 1
        for index, state in enumerate(self.session.players):
            pose = state.latest
            stale = is_stale(pose, song) or self.input_ended_song_s is not None
            verdict, at = self.popups.get(index, (None, song))
            message = "Video ended" if self.input_ended_song_s is not None else "Move into frame"
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

    def pause(self) -> None:
        """Hold the song: clock, audio, and a video used as the camera."""
        self.song.pause()
        self.audio.pause()

    def resume(self) -> None:
        self.song.resume()
        self.audio.resume()

    def close(self) -> None:
        self.song.close()
        self.audio.stop()
        if self.video is not None:
            self.video.close()


def draw_stage(
    surface: pygame.Surface,
    run: SongRun,
    blitters: tuple[ImageBlitter, ImageBlitter],
    players: Sequence[int],
    windows: range | None = None,
    counters: bool = True,
) -> list[PlayerView]:
    """The coach (flashing on the beat), the camera with `players`' skeletons and the
    timeline of `windows`, at the run's song position; returns the players' views. Without
    `counters`, a strip is kept free at the top of the player panel for the caller."""
    song = run.clock.position
    shown = song - run.ctx.settings.visual_delay_ms / 1000.0
    level, mirror = run.setup.level, run.setup.mirror
    coach_blitter, camera_blitter = blitters
    draw_coach(surface, COACH_RECT, level, shown, mirror, run.video_frame, coach_blitter,
               coach_parts(run.setup))  # fmt: skip
    beat = level.grid.time_to_beat(shown)
    if beat >= 0:  # the coach's frame flashes on every beat, strongest on the bar
        glow = (1.0 - beat % 1.0) ** 3 * (1.0 if int(beat) % 4 == 0 else 0.6)
        color = theme.mix(theme.PANEL_EDGE, theme.ACCENT, glow)
        pygame.draw.rect(surface, color, COACH_RECT, width=3, border_radius=14)
    views = run.player_views(song, counters)
    image = None if run.input_ended_song_s is not None else run.input.latest_image()
    draw_players(
        surface, PLAYER_RECT, image, level.pose,
        [views[p] for p in players], run.session.judge.specs, camera_blitter, (song * 4) % 1.0,
        None if counters else FREE_STRIP,
    )  # fmt: skip
    judged = [
        {e.window: e.judgement for e in run.session.players[p].processor.events} for p in players
    ]
    duet = [run.setup.level_for(p) for p in players] if run.setup.duet else []
    draw_timeline(surface, TIMELINE_RECT, level, shown, judged, set(run.session.windows), mirror,
                  windows, duet)  # fmt: skip
    return views
