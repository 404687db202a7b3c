"""Render speed: the play scene at 1280x720 while the pose thread tracks a real clip."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

from game.benchmarks import benchmark, clips
from game.errors import UserError

GOAL_FPS = 60.0
SECONDS = 12.0


@benchmark("render")
def render_play_scene(args: argparse.Namespace) -> list[str]:
    return _render(args, record=False)


@benchmark("render-record")
def render_play_scene_recording(args: argparse.Namespace) -> list[str]:
    """The same, while `play --record` encodes the take on its background thread."""
    return _render(args, record=True)


def _render(args: argparse.Namespace, record: bool) -> list[str]:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    import pygame

    from game.app import SCREEN_SIZE, Game, GameContext
    from game.audio.player import SilentAudio
    from game.audio.sfx import SoundEffects
    from game.config import Settings
    from game.inputs import InputPlan
    from game.level.library import discover_levels
    from game.play_setup import PlaySetup
    from game.progress import ProgressStore
    from game.scenes.play import PlayScene

    clip = clips(args)[0]
    levels = [e.level for e in discover_levels() if e.level is not None]
    if not levels:
        raise UserError("no levels found to render")
    pygame.init()
    screen = pygame.display.set_mode(SCREEN_SIZE)
    clock = time.perf_counter
    ctx = GameContext(
        screen=screen, now=clock, settings=Settings(), audio=SilentAudio(clock),
        sfx=SoundEffects(), plan=InputPlan("video", camera=None, videos=(clip,)),
        progress=ProgressStore(Path(tempfile.mkdtemp()) / "progress.json"),
    )  # fmt: skip
    scene = PlayScene(ctx, PlaySetup(levels[-1]))
    recorder = None
    if record:
        from game.recording import TakeRecorder

        recorder = TakeRecorder(Path(tempfile.mkdtemp()) / "take.mp4")
        ctx.recorder = recorder
    game = Game(ctx, scene)
    frame_ms: list[float] = []
    ticker = pygame.time.Clock()
    began = clock()
    while clock() < began + SECONDS and ctx.stack.top is scene:
        start = clock()
        game.frame(pygame.event.get())
        pygame.display.flip()
        frame_ms.append((clock() - start) * 1000.0)
        ticker.tick(GOAL_FPS)  # as the game runs: capped at 60, the rest left to the pose thread
    elapsed = clock() - began
    poses = len(scene.judging.players[0].buffer)
    game.close()
    encoded = ""
    if recorder is not None:
        closing = clock()
        recorder.close()
        encoded = (
            f"; recording {recorder.frames} frames at {recorder.fps} fps, "
            f"{recorder.dropped} dropped, {clock() - closing:.1f} s to finish the file"
        )
    work = np.array(frame_ms[10:])  # skip warm-up frames
    fps = len(frame_ms) / elapsed
    verdict = "ok" if fps >= GOAL_FPS * 0.97 else "below the goal"
    what = "render + record" if record else "render"
    return [
        f"{what}: play scene 1280x720 while {clip.name} is tracked live: {fps:.1f} fps "
        f"(goal {GOAL_FPS:.0f}: {verdict}); work per frame median {np.median(work):.1f} ms, "
        f"p95 {np.percentile(work, 95):.1f} ms; {poses / elapsed:.0f} poses/s tracked meanwhile"
        f"{encoded}"
    ]
