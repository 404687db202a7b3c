"""Recording your take: a song played headless by the demo bot becomes an MP4 with the
game's picture and the song's audio, as long as the song."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from game_driver import FakeClock, make_game, make_test_level, run, top_name

from game.level.loader import load_level
from game.play_setup import PlaySetup
from game.recording import RecordingError, TakeRecorder, check_target
from game.scenes.play import PlayScene


def test_a_recorded_take_has_the_game_picture_and_the_song_audio(tmp_path: Path) -> None:
    levels = tmp_path / "levels"
    folder = make_test_level(levels, seconds=8.0)
    level = load_level(folder)
    clock = FakeClock()
    game = make_game(levels, clock)
    take = tmp_path / "take.mp4"
    game.ctx.recorder = TakeRecorder(take, wait_for_encoder=True)  # the fake clock outruns it
    game.ctx.stack.push(PlayScene(game.ctx, PlaySetup(level)))
    run(game, clock, level.grid.end_time + 5.0, until="results")
    assert top_name(game) == "results"
    run(game, clock, 1.0)  # the scorecard is not recorded
    assert game.ctx.recorder.close() == take
    with av.open(str(take)) as container:
        (video,) = container.streams.video
        (audio,) = container.streams.audio
        assert (video.codec_context.width, video.codec_context.height) == (1280, 720)
        video_s = float(video.duration * video.time_base)
        audio_s = float(audio.duration * audio.time_base)
        frames = sum(1 for _ in container.decode(video=0))
    song = level.grid.end_time
    assert song - 0.5 <= video_s <= song + 2.0
    assert abs(audio_s - video_s) < 0.2
    assert frames >= 30 * (song - 0.5)
    assert game.ctx.recorder.dropped == 0


def test_a_take_must_be_an_mp4_in_a_folder_that_exists(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="mp4"):
        check_target(tmp_path / "take.avi")
    with pytest.raises(RecordingError, match="does not exist"):
        check_target(tmp_path / "nowhere" / "take.mp4")
