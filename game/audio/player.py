"""Music playback behind one small interface: the real mixer, or a silent clock."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Protocol


class AudioPlayer(Protocol):
    """Plays one file; `position()` is seconds into the file heard so far, or None."""

    def load(self, path: Path) -> None: ...
    def play(self, start: float = 0.0) -> None: ...
    def position(self) -> float | None: ...
    def pause(self) -> None: ...
    def resume(self) -> None: ...
    def stop(self) -> None: ...
    def set_volume(self, volume: float) -> None: ...


class MixerAudio:
    """pygame.mixer.music. `get_pos()` ignores the start position, so it is added here."""

    def __init__(self) -> None:
        import pygame

        self._music = pygame.mixer.music
        self._start = 0.0
        self._playing = False

    def load(self, path: Path) -> None:
        self._music.load(str(path))
        self._playing = False

    def play(self, start: float = 0.0) -> None:
        self._start = start
        self._music.play(start=start)
        self._playing = True

    def position(self) -> float | None:
        if not self._playing:
            return None
        millis = self._music.get_pos()
        return None if millis < 0 else self._start + millis / 1000.0

    def pause(self) -> None:
        self._music.pause()

    def resume(self) -> None:
        self._music.unpause()

    def stop(self) -> None:
        self._music.stop()
        self._playing = False

    def set_volume(self, volume: float) -> None:
        self._music.set_volume(volume)


class SilentAudio:
    """No sound: the position follows a wall clock (tests, or no audio device)."""

    def __init__(self, wall: Callable[[], float]) -> None:
        self._wall = wall
        self._started_at: float | None = None
        self._start = 0.0
        self._paused_at: float | None = None

    def load(self, path: Path) -> None:
        self._started_at = None

    def play(self, start: float = 0.0) -> None:
        self._start, self._started_at, self._paused_at = start, self._wall(), None

    def position(self) -> float | None:
        if self._started_at is None:
            return None
        now = self._paused_at if self._paused_at is not None else self._wall()
        return self._start + now - self._started_at

    def pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self._wall()

    def resume(self) -> None:
        if self._paused_at is not None and self._started_at is not None:
            self._started_at += self._wall() - self._paused_at
        self._paused_at = None

    def stop(self) -> None:
        self._started_at = None

    def set_volume(self, volume: float) -> None:
        pass


def open_audio(wall: Callable[[], float]) -> AudioPlayer:
    """The real mixer if an audio device opens, else a silent clock (with a warning)."""
    import pygame

    try:
        if not pygame.mixer.get_init():
            pygame.mixer.init(frequency=44100, buffer=512)
        return MixerAudio()
    except pygame.error as exc:
        print(f"cover-dance: no audio output ({exc}); playing silently", file=sys.stderr)
        return SilentAudio(wall)


def play_song(
    audio: AudioPlayer, path: Path | None, volume: float, wall: Callable[[], float]
) -> tuple[AudioPlayer, str | None]:
    """Play `path` from its start on `audio`: (what plays, None). No file, or one that will
    not play, is danced to in silence (the clock still runs): (a silent clock, the reason)."""
    import pygame

    silent = SilentAudio(wall)
    problem = None
    try:
        if path is not None:
            audio.load(path)
            audio.set_volume(volume)
            audio.play(0.0)
            return audio, None
    except (pygame.error, OSError) as exc:
        problem = f"{path}: cannot play the audio ({exc}); dancing without sound"
    silent.play(0.0)
    return silent, problem
