"""The game application: the context shared by scenes, and the frame loop."""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import InitVar, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from game.audio.player import AudioPlayer
from game.audio.sfx import SoundEffects
from game.config import Settings
from game.inputs import InputPlan, PlayerInputs
from game.level.library import LevelEntry, discover_levels, levels_stamp
from game.level.model import Level
from game.play_setup import PlaySetup
from game.progress import LearnRecord, PlayRecord, ProgressStore
from game.scenes.stack import Scene, SceneStack
from game.scoring.score import ScoreSummary

if TYPE_CHECKING:
    from game.recording import TakeRecorder

SCREEN_SIZE = (1280, 720)
FPS = 60

Clock = Callable[[], float]


@dataclass
class GameContext:
    """What every scene can reach: the one implementation of the scenes' protocol
    (game.scenes.context.SceneContext). Time comes from `now` (injected in tests)."""

    screen: pygame.Surface
    now: Clock
    settings: Settings
    audio: AudioPlayer
    sfx: SoundEffects
    plan: InitVar[InputPlan]  # handed to `inputs`, which owns it
    level_roots: tuple[Path | None, Path | None] = (None, None)  # bundled, user (None: default)
    progress: ProgressStore = field(default_factory=ProgressStore)
    notice: str | None = None
    """A one-line problem for the player (shown by the menus and at a song's start); it lasts
    until the next song starts."""
    stack: SceneStack = field(default_factory=SceneStack)
    quit: bool = False
    cache_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "cover-dance")
    default_players: int = 1
    recorder: TakeRecorder | None = None  # `play --record`: the play scene offers its frames
    whole_group: bool = False  # the coach video shows the whole group, not your member (V)
    saves_plays: bool = True
    """False when the demo bot dances (`play --demo`, or no camera): its scores and learn
    progress are not the player's, so none is saved (the scorecard says so)."""

    def __post_init__(self, plan: InputPlan) -> None:
        self.inputs = PlayerInputs(plan, self.now, lambda: self.settings)
        """Every pose input: the shared camera, videos, the demo's bots, the pointing hand."""
        self.inputs.notify = self.show_notice

    def show_notice(self, line: str) -> None:
        """Show `line` to the player (menus, and the first seconds of a song)."""
        self.notice = line

    def open_scene(self, name: str, *args: object) -> Scene:
        """A new scene by name (see game/scenes/registry.py): scenes never import each other."""
        from game.scenes.registry import SCENES

        return SCENES[name](self, *args)

    def push(self, scene: str, *args: object) -> None:
        self.stack.push(self.open_scene(scene, *args))

    def replace(self, scene: str, *args: object) -> None:
        self.stack.replace(self.open_scene(scene, *args))

    def pop(self) -> None:
        self.stack.pop()

    def pop_to(self, scene: str) -> None:
        self.stack.pop_to(scene)

    def list_levels(self) -> tuple[list[LevelEntry], list[str]]:
        """Every level found, bundled first, then the player's (no pose track read:
        `entry.load()` reads them; one whose manifest is broken is listed with its problems),
        and one line per problem found."""
        bundled, user = self.level_roots
        entries = discover_levels(bundled, user)
        return entries, [line for e in entries for line in e.problems]

    def levels_stamp(self) -> tuple[int, ...]:
        """Changes when a level folder is added to or removed from the level folders."""
        return levels_stamp(*self.level_roots)

    def best(self, level: Level | LevelEntry) -> tuple[float, str] | None:
        record = self.progress.best(level.id)
        return None if record is None else (record.score, record.grade)

    def learned(self, level: Level | LevelEntry) -> tuple[int, int] | None:
        """Learn mode: (sections cleared, sections), or None if never tried."""
        record = self.progress.learned(level.id)
        return None if record is None else (record.count, record.sections)

    def save_learn(self, level: Level, sections: int, cleared: dict[int, float]) -> None:
        """Save learn mode's sections cleared (section -> fastest speed); not the bot's."""
        if not self.saves_plays:
            return
        self.progress.record_learn(level.folder.name, LearnRecord(sections, cleared))
        if self.progress.warnings:
            self.notice = self.progress.warnings[-1].removeprefix("warning: ")
            self.progress.warnings.clear()

    def record_result(self, setup: PlaySetup, summaries: Sequence[ScoreSummary]) -> bool:
        """Save a finished song (each player's play); True if it set a new best. The demo
        bot's plays are not saved (`saves_plays`)."""
        if not self.saves_plays:
            return False
        new_best = False
        for summary in summaries:
            record = PlayRecord.from_summary(summary, setup.difficulty, setup.players)
            new_best |= self.progress.record(setup.level.folder.name, record)
        if self.progress.warnings:  # already printed; show the newest on screen too
            self.notice = self.progress.warnings[-1].removeprefix("warning: ")
            self.progress.warnings.clear()
        return new_best

    def save_settings(self, settings: Settings) -> None:
        """Use `settings` now and save them; a failed save is a notice, not a crash."""
        self.settings = settings
        try:
            settings.save()
        except OSError as exc:
            self.notice = f"could not save settings to {settings.path()} ({exc})"
            print(f"cover-dance: {self.notice}", file=sys.stderr)


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
        self.ctx.inputs.close()
        self.ctx.audio.stop()


def wall_clock() -> float:
    return time.monotonic()
