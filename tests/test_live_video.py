"""The whole live path on a real clip: a level imported from a video, then that same video
played as the camera in real time (MediaPipe in its own thread, the song clock, the judge).
Dancing exactly like the coach must score like it."""

from __future__ import annotations

import time
from pathlib import Path

import pygame

from game.app import SCREEN_SIZE, Game, GameContext, InputPlan
from game.audio.player import SilentAudio
from game.audio.sfx import SoundEffects
from game.config import Settings
from game.level.importer import ImportOptions, import_video
from game.level.loader import load_level
from game.progress import ProgressStore
from game.scenes.play import PlayScene
from game.scenes.song_run import PlaySetup
from game.scoring.judge import Judgement


def test_the_coach_video_as_the_camera_scores_near_perfect(
    realdata: Path, tmp_path: Path, screenshots: Path
) -> None:
    clip = realdata / "justidol_easy.mp4"
    import_video(clip, tmp_path / "easy", ImportOptions(title="Just Idol easy", keep_video=True))
    level = load_level(tmp_path / "easy")
    pygame.init()
    clock = time.monotonic
    ctx = GameContext(
        screen=pygame.Surface(SCREEN_SIZE), now=clock, settings=Settings(),
        audio=SilentAudio(clock), sfx=SoundEffects(),
        plan=InputPlan("video", camera=None, videos=(clip,)),
        progress=ProgressStore(tmp_path / "progress.json"),
    )  # fmt: skip
    scene = PlayScene(ctx, PlaySetup(level, mirror=True))
    game = Game(ctx, scene)
    ticker = pygame.time.Clock()
    shot = False
    deadline = clock() + level.grid.end_time + 15.0
    while ctx.stack.top is scene and clock() < deadline:
        game.frame([])
        ticker.tick(60)
        if not shot and scene.run is not None and scene.run.clock.position > 6.0:
            pygame.image.save(ctx.screen, screenshots / "live-video-play.png")
            shot = True
    assert ctx.stack.top is not None and ctx.stack.top.name == "results"
    (summary,) = ctx.stack.top.summaries
    game.close()
    judged = summary.judged_windows
    assert judged == summary.total_windows > 5
    good = summary.counts[Judgement.PERFECT] + summary.counts[Judgement.GOOD]
    assert good >= 0.9 * judged, summary.counts
    assert summary.counts[Judgement.NO_POSE] <= 1
    assert summary.score >= 90.0, summary
