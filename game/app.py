"""The game application: context shared by scenes, the input factory and the frame loop."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from game.audio.player import AudioPlayer
from game.audio.sfx import SoundEffects
from game.capture.base import PoseInput
from game.config import Settings
from game.demo import demo_input
from game.level.library import discover_levels
from game.level.model import Level
from game.pose.frame import PoseFrame
from game.progress import PlayRecord, ProgressStore
from game.scenes.hand import newest_pose
from game.scenes.song_run import PlaySetup
from game.scenes.stack import Scene, SceneStack
from game.scoring.score import ScoreSummary

if TYPE_CHECKING:
    from game.recording import TakeRecorder

SCREEN_SIZE = (1280, 720)
FPS = 60

Clock = Callable[[], float]


@dataclass(frozen=True)
class InputPlan:
    """Where the players' poses come from."""

    kind: str  # "camera", "video" (videos, maybe with a camera too), "demo"
    camera: int | None = 0
    videos: tuple[Path, ...] = ()
    model: Path | None = None

    @property
    def label(self) -> str:
        if self.kind == "demo":
            return "demo: the bot dances"
        names = [f"camera {self.camera}"] if self.camera is not None else []
        return " + ".join(names + [f"video {p.name}" for p in self.videos])


@dataclass
class GameContext:
    """What every scene can reach. Time comes from `now` (injected in tests)."""

    screen: pygame.Surface
    now: Clock
    settings: Settings
    audio: AudioPlayer
    sfx: SoundEffects
    plan: InputPlan
    level_roots: tuple[Path | None, Path | None] = (None, None)  # bundled, user (None: default)
    progress: ProgressStore = field(default_factory=ProgressStore)
    notice: str | None = None
    stack: SceneStack = field(default_factory=SceneStack)
    quit: bool = False
    camera_input: PoseInput | None = None
    input_factory: Callable[[PlaySetup, Callable[[float], float], bool], PoseInput] | None = None
    cache_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "cover-dance")
    default_players: int = 1
    last_median_lag: float | None = None
    hand_pose: PoseFrame | None = None
    recorder: TakeRecorder | None = None  # `play --record`: the play scene offers its frames

    def open_scene(self, name: str, *args: object) -> Scene:
        """A new scene by name (see game/scenes/registry.py): scenes never import each other."""
        from game.scenes.registry import SCENES

        return SCENES[name](self, *args)

    def list_levels(self) -> tuple[list[Level], list[str]]:
        """Every playable level (bundled first, then the player's), and one line per broken one."""
        bundled, user = self.level_roots
        entries = discover_levels(bundled, user)
        levels = [e.level for e in entries if e.level is not None]
        return levels, [line for e in entries for line in e.problems]

    def best(self, level: Level) -> tuple[float, str] | None:
        record = self.progress.best(level.folder.name)
        return None if record is None else (record.score, record.grade)

    def record_result(self, setup: PlaySetup, summaries: Sequence[ScoreSummary]) -> bool:
        """Save a finished song (each player's play); True if it set a new best."""
        new_best = False
        for summary in summaries:
            record = PlayRecord.from_summary(summary, setup.difficulty, setup.players)
            new_best |= self.progress.record(setup.level.folder.name, record)
        if self.progress.warnings:  # already printed; show the newest on screen too
            self.notice = self.progress.warnings[-1].removeprefix("warning: ")
            self.progress.warnings.clear()
        return new_best

    @property
    def input_latency(self) -> float:
        """Seconds between a camera frame's capture stamp and the moment it shows."""
        camera_only = self.plan.kind == "camera" and not self.plan.videos
        return self.settings.camera_latency_ms / 1000.0 if camera_only else 0.0

    def hand(self) -> PoseFrame | None:
        """The newest pose from the camera, for choosing menu buttons by hand (None without
        a camera)."""
        if self.camera_input is None:
            return None
        newest = newest_pose(self.camera_input.poll(self.now()))
        if newest is not None:
            self.hand_pose = newest
        return self.hand_pose

    def save_settings(self, settings: Settings) -> None:
        """Use `settings` now and save them; a failed save is a notice, not a crash."""
        self.settings = settings
        try:
            settings.save()
        except OSError as exc:
            self.notice = f"could not save settings to {settings.path()} ({exc})"
            print(f"cover-dance: {self.notice}", file=sys.stderr)

    def open_input(
        self, setup: PlaySetup, song_time_of: Callable[[float], float], clean_bot: bool = False
    ) -> PoseInput:
        """Pose input for one song (the camera stays open across songs)."""
        players = setup.players
        if self.input_factory is not None:
            return self.input_factory(setup, song_time_of, clean_bot)
        if self.plan.kind == "demo":
            return demo_input(setup, song_time_of, clean_bot)
        plan = self.plan
        sources = ([] if plan.camera is None else [None]) + list(plan.videos)  # None: the camera
        if len(sources) > 1:
            from game.capture.merged import MergedInput

            return MergedInput([self._open_one(source, 1) for source in sources[:players]])
        return self._open_one(sources[0], players)

    def _open_one(self, video: Path | None, players: int) -> PoseInput:
        """A video file (paced in real time) or the shared camera."""
        if video is not None:
            from game.capture.open import open_video_input

            return open_video_input(video, players, model_path=self.plan.model, clock=self.now)
        stale = self.camera_input is not None and self.camera_input.problem() is not None
        if self.camera_input is not None and (stale or self.camera_input.players != players):
            self.camera_input.close()
            self.camera_input = None
        if self.camera_input is None:
            from game.capture.open import open_webcam_input

            self.camera_input = open_webcam_input(
                self.plan.camera or 0, players, self.settings.camera_width,
                self.settings.camera_height, self.plan.model, clock=self.now,
            )  # fmt: skip
        return _Shared(self.camera_input)


class _Shared:
    """A camera input lent to one scene: closing it does not close the camera."""

    def __init__(self, inner: PoseInput) -> None:
        self._inner = inner
        self.players = inner.players

    def poll(self, now: float):
        return self._inner.poll(now)

    def latest_image(self):
        return self._inner.latest_image()

    def problem(self) -> str | None:
        return self._inner.problem()

    @property
    def ended(self) -> bool:
        return self._inner.ended

    def pause(self) -> None:
        self._inner.pause()

    def resume(self) -> None:
        self._inner.resume()

    def close(self) -> None:
        pass


class Game:
    """Runs the scene stack one frame at a time."""

    def __init__(self, ctx: GameContext, first: Scene) -> None:
        self.ctx = ctx
        ctx.stack.push(first)
        self.frames = 0

    def frame(self, events: Iterable[pygame.event.Event]) -> bool:
        """Handle `events`, update and draw one frame; False once the game should end."""
        stack = self.ctx.stack
        for event in events:
            if event.type == pygame.QUIT:
                self.ctx.quit = True
                continue
            used = stack.top is not None and stack.top.handle(event)
            if not used and event.type == pygame.KEYDOWN and event.key == pygame.K_F11:
                self.toggle_fullscreen()
        if stack.top is not None and not self.ctx.quit:
            stack.top.update()
        self.ctx.screen.fill((0, 0, 0))
        stack.draw(self.ctx.screen)
        self.frames += 1
        return not self.ctx.quit and stack.top is not None

    def toggle_fullscreen(self) -> None:
        """F11 anywhere: fullscreen on or off, remembered in the settings."""
        try:
            pygame.display.toggle_fullscreen()
        except pygame.error:
            return  # a display that cannot (a dummy one in tests)
        settings = self.ctx.settings
        self.ctx.save_settings(settings.with_(fullscreen=not settings.fullscreen))

    def run(self) -> None:
        """The real loop: 60 fps, display flip, events from pygame."""
        clock = pygame.time.Clock()
        while self.frame(pygame.event.get()):
            pygame.display.flip()
            clock.tick(FPS)
        self.close()

    def close(self) -> None:
        while self.ctx.stack.top is not None:
            self.ctx.stack.pop()
        if self.ctx.camera_input is not None:
            self.ctx.camera_input.close()
        self.ctx.audio.stop()


def wall_clock() -> float:
    return time.monotonic()
