"""Full-length songs, as real users bring them: a shared clip looped to 3.7 minutes with its
music, imported, checked, played headless to the end and scored. Short clips never showed
what breaks at this length (the song's audio crashing the encoder, a scorecard with dozens
of missed segments). Long videos are tracked at a low --fps to keep the suite quick."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import av
import pygame
import pytest
import soundfile as sf
from game_driver import FakeClock, key, make_game, play_live, scripted, top_name

from game.app import Game
from game.benchmarks.long_song import looped_clip
from game.capture.bot import Mistake
from game.cli import main
from game.level.loader import load_level
from game.play_setup import PlaySetup
from game.scenes.play import PlayScene
from game.scoring.rules import Judgement

SONG_S = 222.0  # 3:42, a K-pop song's length
STEP_S = 1 / 15  # the headless game steps at 15 fps: the judge sees every pose either way


def test_a_four_minute_song_encodes_whole(tmp_path: Path) -> None:
    """The level writer's OGG encoder on a 4-minute song (in one call, libvorbis overflowed
    the stack past ~48 s: a segfault), in a child process so a crash is a clear failure."""
    target = tmp_path / "song.ogg"
    code = (
        "import numpy as np, sys; from game.audio.ogg import ogg_vorbis_bytes\n"
        "t = np.arange(240 * 44100) / 44100\n"
        "x = np.stack([np.sin(2 * np.pi * 440 * t), np.sin(2 * np.pi * 330 * t)], 1) * 0.3\n"
        "x += np.random.default_rng(0).normal(0, 0.05, x.shape)\n"
        f"open({str(target)!r}, 'wb').write(ogg_vorbis_bytes(x.astype('float32'), 44100))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-500:]
    info = sf.info(str(target))
    assert info.samplerate == 44100 and info.channels == 2
    assert abs(info.frames - 240 * 44100) <= 44100 // 10


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from conftest import REALDATA

    source = REALDATA / "mruchus_nat2.mp4"
    if not source.is_file():
        pytest.skip(f"real dance clips not found in {REALDATA} (README: Set-up)")
    return looped_clip(source, tmp_path_factory.mktemp("long") / "long-dance.mp4", SONG_S)


@pytest.fixture(scope="module")
def long_level(long_clip: Path) -> Path:
    folder = long_clip.parent / "long-dance"
    argv = ["import", str(long_clip), "--fps", "5", "--out", str(folder), "--quiet"]
    assert main(argv) == 0
    return folder


def test_a_full_length_dance_video_imports_whole(long_level: Path, capsys) -> None:
    """The whole song is written (not a crash at 48 s) and passes the level checks."""
    level = load_level(long_level)
    assert level.meta.duration >= SONG_S - 3.0
    assert level.grid.window_count >= 150
    song = sf.info(str(long_level / level.meta.audio))
    assert song.duration >= SONG_S - 1.0
    assert main(["check-level", str(long_level)]) == 0
    assert f"{level.grid.window_count} windows" in capsys.readouterr().out


def _play_whole_song(levels: Path, folder: str, factory) -> tuple[Game, pygame.Surface | None]:
    """Play level `folder` of `levels` from its first beat to the scorecard at 15 fps of
    fake time; returns the game and a screenshot taken mid-song."""
    clock = FakeClock()
    game = make_game(levels, clock)
    game.ctx.inputs.factory = factory
    level = load_level(levels / folder)
    game.ctx.stack.push(PlayScene(game.ctx, PlaySetup(level, mirror=True)))
    middle = None
    for _ in range(round((level.grid.end_time + 10.0) / STEP_S)):
        game.frame([])
        clock.time += STEP_S
        scene = game.ctx.stack.top
        halfway = (
            isinstance(scene, PlayScene)
            and scene.run is not None
            and (scene.run.clock.position > level.grid.end_time / 2)
        )
        if middle is None and halfway:
            middle = game.ctx.screen.copy()
        if top_name(game) == "results":
            break
    assert top_name(game) == "results"
    game.frame([])
    return game, middle


def test_the_bot_dances_a_full_length_song_to_the_scorecard(
    long_level: Path, screenshots: Path
) -> None:
    game, middle = _play_whole_song(long_level.parent, long_level.name, scripted())
    (summary,) = game.ctx.stack.top.summaries
    assert summary.judged_windows == summary.total_windows >= 150
    assert summary.counts[Judgement.PERFECT] == summary.total_windows  # autoplay oracle
    assert middle is not None
    pygame.image.save(middle, screenshots / "full-length-play.png")


def test_a_full_length_scorecard_lists_every_missed_segment_and_scrolls(
    long_level: Path, screenshots: Path
) -> None:
    """A dancer who stands still for 4 s every 11 s: a score of missed segments, all
    listed, the list scrolled by keys and the mouse wheel."""
    slips = tuple(Mistake(t, t + 4.0, "freeze") for t in range(12, int(SONG_S) - 10, 11))
    game, _ = _play_whole_song(long_level.parent, long_level.name, scripted(mistakes=slips))
    results = game.ctx.stack.top
    (summary,) = results.summaries
    assert len(summary.missed_segments) >= 15
    assert len(results.segments) == len(summary.missed_segments)  # none dropped from the list
    pygame.image.save(game.ctx.screen, screenshots / "full-length-results.png")
    for _ in range(len(results.segments) - 1):  # down to the last segment
        game.frame([key(pygame.K_DOWN)])
    assert results.focus == len(results.segments) - 1
    assert results.first_row == len(results.segments) - 5  # the focused row is in view
    game.frame([])
    pygame.image.save(game.ctx.screen, screenshots / "full-length-results-scrolled.png")
    game.frame([pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=3)])
    assert results.first_row == len(results.segments) - 8
    game.frame([key(pygame.K_RETURN)])  # Enter practises the focused (last) segment
    assert top_name(game) == "practice"


def test_a_full_length_cover_is_scored_with_a_readable_report(
    long_level: Path, long_clip: Path, tmp_path: Path
) -> None:
    """`score` of the whole song: the video it was made from lines up by its music and
    scores near 100; the report's chart keeps to a dozen time labels."""
    out, page = tmp_path / "score.json", tmp_path / "report.html"
    argv = ["score", str(long_level), str(long_clip), "--fps", "5", "--quiet",
            "--json", str(out), "--report", str(page)]  # fmt: skip
    assert main(argv) == 0
    result = json.loads(out.read_text())
    assert result["score"] >= 95.0 and abs(result["offset_s"]) < 0.1
    assert result["windows_total"] >= 150
    labels = re.findall(r">(\d+:\d\d)</text>", page.read_text())
    assert 4 <= len(labels) <= 12 and labels[-1].startswith("3:")


def test_a_full_length_cover_as_the_camera_is_judged_and_recorded(
    long_level: Path, long_clip: Path, tmp_path: Path, screenshots: Path
) -> None:
    """The README's `play --input my-cover.mp4 --record take.mp4` at song length: the video
    (the level's own dancer) as the camera, live MediaPipe, the game clock at 3x the wall so
    the 3:42 song plays in 74 s (the take at 10 fps, so writing it stays short too). Every
    window is judged (the video's end does not hang the song), the dancer earns the coach's
    own score, and the take's picture and sound both last the whole song."""
    from game.recording import TakeRecorder

    level = load_level(long_level)
    take = tmp_path / "take.mp4"
    recorder = TakeRecorder(take, fps=10)
    results = play_live(PlaySetup(level, mirror=True), long_clip, tmp_path,
                        screenshots / "full-length-live-play.png", at=150.0, speed=3.0,
                        recorder=recorder)  # fmt: skip
    assert results.name == "results"
    (summary,) = results.summaries
    assert summary.judged_windows == summary.total_windows >= 150
    assert summary.counts[Judgement.NO_POSE] <= summary.total_windows // 20
    assert summary.score >= 80.0, summary.counts
    assert recorder.close() == take and recorder.error is None
    with av.open(str(take)) as container:
        (video,) = container.streams.video
        (audio,) = container.streams.audio
        video_s = float(video.duration * video.time_base)
        audio_s = float(audio.duration * audio.time_base)
    assert video_s >= level.grid.end_time and abs(video_s - audio_s) <= 1 / recorder.fps + 1e-3
