"""What a scene can reach of the game: the narrow protocol every scene is written against.

`game.app.GameContext` is its one implementation; no scene imports `game.app`. Scenes move
between each other by name (`push`, `replace`, `pop_to`; see registry.py), so a scene never
holds another scene or the stack.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pygame

    from game.audio.player import AudioPlayer
    from game.audio.sfx import SoundEffects
    from game.config import Settings
    from game.inputs import PlayerInputs
    from game.level.library import LevelEntry
    from game.level.model import Level
    from game.play_setup import PlaySetup
    from game.scoring.score import ScoreSummary


class FrameRecorder(Protocol):
    """`play --record` (game.recording.TakeRecorder) as a song scene sees it: offered each
    frame the scene draws, told when its song ends, and a line to show."""

    error: str | None

    def add(
        self, owner: object, surface: pygame.Surface, song_time: float, audio: Path | None
    ) -> None: ...

    def finish(self, owner: object) -> None: ...

    @property
    def status(self) -> str | None: ...


class SceneContext(Protocol):
    """The game as the scenes see it. Time comes from `now` (injected in tests)."""

    notice: str | None
    """A one-line problem for the player (shown by the menus and at a song's start)."""
    quit: bool
    """Set to end the game."""
    whole_group: bool
    """The coach video shows the whole group rather than your member's spotlight (V)."""

    @property
    def now(self) -> Callable[[], float]: ...

    @property
    def settings(self) -> Settings:
        """The settings in use (`save_settings` changes them)."""
        ...

    @property
    def audio(self) -> AudioPlayer: ...

    @property
    def sfx(self) -> SoundEffects: ...

    @property
    def inputs(self) -> PlayerInputs:
        """Every pose input: the shared camera, videos, the demo's bots, the pointing hand."""
        ...

    @property
    def cache_dir(self) -> Path: ...

    @property
    def default_players(self) -> int: ...

    @property
    def saves_plays(self) -> bool:
        """False when the demo bot dances: its plays are not saved as the player's."""
        ...

    @property
    def recorder(self) -> FrameRecorder | None:
        """`play --record`: the play scene offers it each frame it draws."""
        ...

    def push(self, scene: str, *args: object) -> None:
        """Open the scene called `scene` (with `args`) over the current one."""
        ...

    def replace(self, scene: str, *args: object) -> None:
        """Open the scene called `scene` in the current one's place."""
        ...

    def pop(self) -> None:
        """Close the current scene: the one below it resumes."""
        ...

    def pop_to(self, scene: str) -> None:
        """Close scenes until the one called `scene` is on top."""
        ...

    def list_levels(self) -> tuple[list[LevelEntry], list[str]]:
        """Every level found (`load()` reads its pose tracks; a broken manifest is listed with
        its problems), and one line per problem found."""
        ...

    def levels_stamp(self) -> tuple[int, ...]:
        """Changes when a level folder is added to or removed from the level folders."""
        ...

    def best(self, level: Level | LevelEntry) -> tuple[float, str] | None: ...

    def record_result(self, setup: PlaySetup, summaries: Sequence[ScoreSummary]) -> bool: ...

    def learned(self, level: Level | LevelEntry) -> tuple[int, int] | None:
        """Learn mode: (sections cleared, sections), or None if never tried."""
        ...

    def save_learn(self, level: Level, sections: int, cleared: dict[int, float]) -> None: ...

    def save_settings(self, settings: Settings) -> None: ...
