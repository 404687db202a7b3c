"""A recorded cover used as the camera plays in sync with the song: its place is found from
its own music (as `cover-dance score` finds it) or given with --input-offset, said in a
notice, and its frames land at their song time (the video paced by the song clock)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from game_driver import FakeClock, make_game, make_test_level, run, top_name
from synthetic import silent_video

from game.audio.extract import decode_audio
from game.capture.base import CapturedFrame
from game.capture.bot import BotDancer, BotPoseInput
from game.capture.stream import IteratorSource
from game.cli import main
from game.config import Settings
from game.cover.sync import sync_video
from game.errors import UserError
from game.inputs import InputPlan
from game.launch import choose_plan
from game.session import video_schedule
from game.timing.song_clock import SongClock


def _frames(count: int, step: float) -> Iterator[CapturedFrame]:
    image = np.zeros((4, 4, 3), np.uint8)
    for i in range(count):
        yield CapturedFrame(image, i * step)


def test_a_video_lined_up_with_the_song_lands_at_its_song_time() -> None:
    """Video time = song time - 0.5 (it starts 0.5 s early): frame t is due at song time
    t + 0.5, holds while the song is paused, and a frame released late is stamped with the
    moment it was due, so it still lands at its song time."""
    clock = FakeClock(start=0.0)
    song = SongClock(clock, lambda: None)
    due = video_schedule(song.song_time_at, clock, -0.5)
    source = IteratorSource(_frames(10, 0.1), "cover", clock=clock, schedule=due)
    try:
        assert source.next_frame(timeout=0.3) is None  # frame 0 is due at song time 0.5
        clock.time = 0.5
        first = source.next_frame(timeout=1.0)
        assert first is not None and first.time == pytest.approx(0.5)
        song.pause()
        clock.time = 5.0  # paused 4.5 s: nothing is due
        assert source.next_frame(timeout=0.3) is None
        song.resume()  # song time 0.5 at wall 5.0: frame 1 is due at 5.1, frame 2 at 5.2
        clock.time = 5.2
        late = source.next_frame(timeout=1.0)
        assert late is not None
        lands = song.song_time_at(late.time)
        assert any(lands == pytest.approx(t + 0.5) for t in (0.1, 0.2)), lands
    finally:
        source.close()


def test_a_video_without_sound_plays_from_the_start_and_says_so(tmp_path: Path) -> None:
    song = make_test_level(tmp_path / "levels") / "song.ogg"
    video = silent_video(tmp_path / "silent.mp4")
    found = sync_video(song, video)
    assert found.offset_s == 0.0 and not found.found
    assert found.notice == ("silent.mp4 has no sound to line it up by: played from the song's "
                            "start (set its place with --input-offset S)")  # fmt: skip
    given = sync_video(song, video, -0.81)
    assert given.offset_s == -0.81 and given.found
    assert given.notice == "silent.mp4 starts 0.81 s early: lined up by --input-offset"


def test_the_place_comes_from_the_videos_own_music(realdata: Path) -> None:
    song = realdata / "funfun_reference.mp4"
    found = sync_video(song, realdata / "funfun_user.mp4")
    assert found.found and found.offset_s == pytest.approx(0.56, abs=0.05)  # README's figure
    assert found.notice == "funfun_user.mp4 starts 0.56 s late: lined up by its music"
    other = sync_video(song, realdata / "justidol_easy.mp4")  # another song: no clear peak
    assert other.offset_s == 0.0 and not other.found
    assert other.notice.startswith("justidol_easy.mp4: its music does not clearly match")


def test_input_offsets_are_checked_before_anything_opens(tmp_path: Path) -> None:
    video = silent_video(tmp_path / "cover.mp4")
    plan, _ = choose_plan(None, [video], False, None, Settings(), [-0.81])
    assert plan.video_offsets == (-0.81,) and plan.video_offset(0) == -0.81
    assert plan.video_offset(1) is None
    with pytest.raises(UserError, match="one per video"):
        choose_plan(None, [video], False, None, Settings(), [0.1, 0.2])
    with pytest.raises(UserError, match="one per video"):
        choose_plan(None, [], True, None, Settings(), [0.1])
    with pytest.raises(UserError, match="number of seconds"):
        choose_plan(None, [video], False, None, Settings(), [float("nan")])


def test_the_game_opens_the_video_at_its_place_and_shows_the_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Straight to the song with a video that starts 0.5 s late: it is opened 0.5 s in,
    paced by the song clock, and the notice is on screen."""
    from game.play_setup import PlaySetup
    from game.scenes.play import PlayScene

    levels = tmp_path / "levels"
    make_test_level(levels)
    clock = FakeClock()
    video = tmp_path / "cover.mp4"
    plan = InputPlan("video", camera=None, videos=(video,), video_offsets=(0.5,))
    game = make_game(levels, clock, plan=plan)
    opened: dict = {}

    def open_video_input(path, players, model_path=None, clock=None, start=None, schedule=None):
        opened.update(path=path, start=start, schedule=schedule)
        return BotPoseInput([BotDancer(level.pose, lag=0.05, seed=0)], opened["song_time_of"])

    monkeypatch.setattr("game.capture.open.open_video_input", open_video_input)
    real_open = game.ctx.inputs.open

    def open_input(setup, song_time_of, clean=False):
        opened["song_time_of"] = song_time_of
        return real_open(setup, song_time_of, clean)

    game.ctx.inputs.open = open_input
    level = game.ctx.list_levels()[0][0].load()
    game.ctx.stack.push(PlayScene(game.ctx, PlaySetup(level)))
    run(game, clock, 1.0)
    assert opened["path"] == video and opened["start"] == pytest.approx(0.5)
    song_now = opened["song_time_of"](clock.time)
    assert opened["schedule"](song_now + 0.5 + 2.0) == pytest.approx(clock.time + 2.0)
    assert game.ctx.notice == "cover.mp4 starts 0.50 s late: lined up by --input-offset"
    run(game, clock, level.grid.end_time + 2.0, until="results")
    assert top_name(game) == "results"


def late_start_copy(source: Path, target: Path, skip_s: float, height: int = 640) -> Path:
    """`source` without its first `skip_s` seconds (video and sound), made smaller: a cover
    that starts earlier in the song than the original recording did."""
    audio = decode_audio(source, rate=44100, start=skip_s)
    with av.open(str(source)) as src, av.open(str(target), "w", format="mp4") as out:
        video = src.streams.video[0]
        video.thread_type = "AUTO"
        width = round(video.codec_context.width * height / video.codec_context.height / 2) * 2
        encoder = out.add_stream("libx264", rate=video.average_rate or Fraction(30))
        encoder.width, encoder.height = width, height
        encoder.pix_fmt, encoder.options = "yuv420p", {"preset": "ultrafast"}
        encoder.codec_context.time_base = Fraction(1, 1000)
        sound = out.add_stream("aac", rate=audio.rate)
        layout = "stereo" if audio.samples.shape[1] > 1 else "mono"
        sound.layout = layout
        planar = np.ascontiguousarray(audio.samples.T)
        for at in range(0, planar.shape[1], 1024):
            chunk = np.ascontiguousarray(planar[:, at : at + 1024])
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout=layout)
            frame.sample_rate, frame.pts = audio.rate, at
            for packet in sound.encode(frame):
                out.mux(packet)
        for packet in sound.encode():
            out.mux(packet)
        for frame in src.decode(video):
            t = float(frame.time)
            if t < skip_s:
                continue
            image = frame.reformat(width=width, height=height, format="yuv420p")
            image.pts, image.time_base = round((t - skip_s) * 1000), Fraction(1, 1000)
            for packet in encoder.encode(image):
                out.mux(packet)
        for packet in encoder.encode():
            out.mux(packet)
    return target


SCORE_LINE = re.compile(r"score (\d+\.\d) / 100, grade ([SABCD]),")


def test_a_cover_that_starts_early_plays_in_sync_and_scores_as_score_does(
    realdata: Path, pose_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    """The funfun cover, cut to start 0.81 s early in the song (it started 0.56 s late):
    the game finds that from its music, and its score of the play is `cover-dance score`'s
    within 10 points (before, the video played from the song's start and scored D)."""
    early = late_start_copy(realdata / "funfun_user.mp4", tmp_path / "early.mp4", 1.37)
    assert main(["import", str(realdata / "funfun_reference.mp4"), "--fps", "15",
                 "--no-video", "--quiet"]) == 0  # fmt: skip
    level = Path(capsys.readouterr().out.strip().splitlines()[-1].removeprefix("wrote "))
    assert main(["play", "--level", level.name, "--input", str(early)]) == 0
    played = capsys.readouterr()
    (notice,) = [line for line in played.err.splitlines() if "lined up" in line]
    found = re.fullmatch(r"cover-dance: early\.mp4 starts (\d\.\d\d) s early: lined up by its "
                         r"music", notice)  # fmt: skip
    assert found and float(found[1]) == pytest.approx(0.81, abs=0.05), notice
    game = SCORE_LINE.match(played.out.splitlines()[1])
    assert game, played.out
    assert main(["score", str(level), str(early), "--quiet"]) == 0
    scored = SCORE_LINE.match(capsys.readouterr().out.splitlines()[1])
    assert scored
    print(f"game {game[1]} {game[2]}, score {scored[1]} {scored[2]}")
    assert float(scored[1]) >= 35  # a real cover of this dance
    assert abs(float(game[1]) - float(scored[1])) <= 10


def test_an_offset_under_a_frame_is_in_step_with_the_song() -> None:
    from game.cover.sync import starts

    assert starts("cover.mp4", 0.0) == "cover.mp4 is in step with the song"
    assert starts("cover.mp4", -0.02) == "cover.mp4 is in step with the song"
    assert starts("cover.mp4", -0.04) == "cover.mp4 starts 0.04 s early"
    assert starts("cover.mp4", 0.5) == "cover.mp4 starts 0.50 s late"
