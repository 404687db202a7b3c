"""Drive the whole game headless: a fake clock, scripted keys, a bot or scripted poses."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pygame
import pytest
import soundfile as sf
from synthetic import dancer_track

from game.app import SCREEN_SIZE, Game, GameContext
from game.audio.player import SilentAudio
from game.audio.sfx import SoundEffects
from game.capture.bot import BotDancer, BotPoseInput, Mistake
from game.config import Settings
from game.inputs import InputPlan
from game.level.model import LevelMeta
from game.level.writer import write_level
from game.play_setup import PlaySetup
from game.progress import ProgressStore
from game.scenes.stack import Scene

FRAME_S = 1 / 60


class FakeClock:
    """The one test clock: `clock()` is `clock.time`, which the test moves on by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.time = start

    def __call__(self) -> float:
        return self.time


def make_test_level(folder: Path, name: str = "synthetic-song", seconds: float = 20.0) -> Path:
    """A 120 BPM level: the synthetic dancer and a click track, 18 windows of 2 beats."""
    rate = 22050
    t = np.arange(int(rate * seconds)) / rate
    clicks = np.sin(2 * np.pi * 880 * t) * np.exp(-((t - 1.0) % 0.5) * 30) * 0.3
    buffer_path = folder / f".{name}.ogg"
    folder.mkdir(parents=True, exist_ok=True)
    sf.write(buffer_path, clicks.astype(np.float32), rate, format="OGG")
    meta = LevelMeta(
        title="Synthetic Song", audio="song.ogg", bpm=120.0, offset=1.0, beats_per_window=2,
        duration=seconds - 1.0, artist="Test Suite", rating="easy",
    )  # fmt: skip
    dest = write_level(folder / name, meta, dancer_track(seconds), {"song.ogg": buffer_path})
    buffer_path.unlink()
    return dest


def make_game(levels_dir: Path, clock: FakeClock, first: type[Scene] | None = None,
              plan: InputPlan | None = None, players: int = 1) -> Game:  # fmt: skip
    from game.scenes.title import TitleScene

    pygame.init()
    ctx = GameContext(
        screen=pygame.Surface(SCREEN_SIZE), now=clock, settings=Settings(difficulty="normal"),
        audio=SilentAudio(clock), sfx=SoundEffects(), plan=plan or InputPlan("demo"),
        level_roots=(levels_dir, levels_dir.parent / "user-levels"), default_players=players,
        progress=ProgressStore(levels_dir.parent / "progress.json"),
        cache_dir=levels_dir.parent / "cache",
    )  # fmt: skip
    return Game(ctx, (first or TitleScene)(ctx))


def scripted(lag: float = 0.0, mistakes: tuple[Mistake, ...] = (), jitter: float = 0.0):
    """An input factory: a bot with exactly this lag, jitter and mistakes (any player count)."""

    def factory(setup: PlaySetup, song_time_of, clean: bool) -> BotPoseInput:
        dancers = [
            BotDancer(setup.level.pose, lag=lag, jitter=jitter, seed=k,
                      mistakes=() if clean else mistakes)
            for k in range(setup.players)
        ]  # fmt: skip
        return BotPoseInput(dancers, song_time_of)

    return factory


def key(k: int) -> pygame.event.Event:
    return pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="")


def run(game: Game, clock: FakeClock, seconds: float, events: Iterable[pygame.event.Event] = (),
        until: str | None = None) -> None:  # fmt: skip
    """Advance `seconds` of game time at 60 fps (events go in the first frame); stop early
    once the top scene is named `until`."""
    pending = list(events)
    for _ in range(round(seconds / FRAME_S)):
        game.frame(pending)
        pending = []
        clock.time += FRAME_S
        if until is not None and top_name(game) == until:
            return


def top_name(game: Game) -> str | None:
    top = game.ctx.stack.top
    return top.name if top else None


def play_live(
    setup: PlaySetup,
    video: Path,
    folder: Path,
    screenshot: Path,
    at: float,
    speed: float = 1.0,
    recorder: object | None = None,
) -> Scene:
    """Play `setup` in real time with `video` as the camera (real MediaPipe in its thread),
    saving a screenshot `at` seconds into the song; returns the scene on top at the end.
    `speed` > 1 runs the game's clock (song, video pacing, capture stamps) that many times
    faster than the wall, so a long song plays in less time, with fewer poses a song second;
    `recorder`: a TakeRecorder that records the song."""
    import time

    from game.scenes.play import PlayScene

    pygame.init()
    clock = (lambda: speed * time.monotonic()) if speed != 1.0 else time.monotonic
    ctx = GameContext(
        screen=pygame.Surface(SCREEN_SIZE), now=clock, settings=Settings(),
        audio=SilentAudio(clock), sfx=SoundEffects(),
        plan=InputPlan("video", camera=None, videos=(video,)),
        progress=ProgressStore(folder / "progress.json"),
    )  # fmt: skip
    ctx.recorder = recorder
    scene = PlayScene(ctx, setup)
    game = Game(ctx, scene)
    ticker = pygame.time.Clock()
    shot = False
    deadline = clock() + setup.level.grid.end_time + 15.0
    while ctx.stack.top is scene and clock() < deadline:
        game.frame([])
        ticker.tick(60)
        if not shot and scene.run is not None and scene.run.clock.position > at:
            pygame.image.save(ctx.screen, screenshot)
            shot = True
    top = ctx.stack.top
    game.close()
    assert top is not None
    return top


def straight_headless(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Let `cover-dance play --level NAME --demo` (straight to the song) run headless and
    silent on a fake clock that each frame advances by 1/30 s; returns that clock."""
    from game.audio.player import SilentAudio

    clock = FakeClock()

    class Ticker:  # pygame.time.Clock: each frame advances the fake clock by 1/30 s
        def tick(self, fps: float = 0.0) -> int:
            clock.time += 1 / 30
            return 33

    monkeypatch.setattr(pygame.time, "Clock", Ticker)
    monkeypatch.setattr("game.launch.wall_clock", clock)
    monkeypatch.setattr("game.launch.open_audio", SilentAudio)
    return clock
