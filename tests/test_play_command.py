"""`cover-dance play` input choices: clear one-line errors, and the demo when there is no camera."""

from __future__ import annotations

from pathlib import Path

import pytest
from game_driver import (
    FakeClock,
    key,
    make_game,
    make_test_level,
    run,
    straight_headless,
    top_name,
)

from game.cli import main
from game.config import Settings
from game.errors import UserError
from game.inputs import InputPlan
from game.launch import NO_CAMERA, choose_plan


def test_no_camera_falls_back_to_the_demo_and_says_so() -> None:
    plan, notice = choose_plan(None, [], False, None, Settings(camera=9))
    assert plan.kind == "demo" and notice == NO_CAMERA


@pytest.mark.parametrize("index", ["9", "99999999999", "-1", str(2**70)])
def test_a_camera_that_does_not_exist_is_one_clear_line(
    capsys: pytest.CaptureFixture, index: str
) -> None:
    assert main(["play", "--camera", index]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"cover-dance: camera {index} could not be opened; try another --camera, "
                   "--input VIDEO or --demo"]  # fmt: skip


def test_an_input_that_is_not_a_video_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    fake = tmp_path / "cover.mp4"
    fake.write_text("not a video")
    assert main(["play", "--input", str(fake)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"cover-dance: {fake}: not a video file")
    with pytest.raises(UserError, match="video file not found"):
        choose_plan(None, [tmp_path / "absent.mp4"], False, None, Settings())


def test_two_videos_make_a_two_input_plan(realdata: Path) -> None:
    clips = [realdata / "justidol_easy.mp4", realdata / "justidol_hard.mp4"]
    plan, notice = choose_plan(None, clips, False, None, Settings())
    assert plan == InputPlan("video", camera=None, videos=tuple(clips)) and notice is None
    assert plan.label == "video justidol_easy.mp4 + video justidol_hard.mp4"


def test_a_camera_lost_before_the_song_returns_to_level_select(tmp_path: Path) -> None:
    from game.capture.base import CaptureError

    make_test_level(tmp_path / "levels")
    clock = FakeClock()
    game = make_game(tmp_path / "levels", clock)

    def no_camera(setup, song_time_of, clean):
        raise CaptureError("camera 0 could not be opened (not connected?)")

    game.ctx.inputs.factory = no_camera
    run(game, clock, 0.2, [key(13)])  # Enter: level select
    run(game, clock, 0.2, [key(13)])  # Enter: get ready fails to open the camera
    assert top_name(game) == "level_select"
    assert game.ctx.notice == "camera 0 could not be opened (not connected?)"


def test_a_bad_model_file_is_one_line_at_start(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    junk = tmp_path / "pose_landmarker.task"
    junk.write_bytes(b"not a model")
    assert main(["play", "--demo", "--model", str(junk)]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()[-1:]
    assert line.startswith("cover-dance: ") and "pose_landmarker.task" in line


def test_bad_import_and_score_options_are_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    from game.level.library import source_levels_dir

    level = source_levels_dir() / "hello-sunshine"
    assert main(["import", str(tmp_path / "any.mp4"), "--bpm", "0"]) == 2
    assert main(["score", str(level), str(level / "pose.npz"), "--json", str(tmp_path)]) == 2
    assert main(["score", str(level), str(level / "pose.npz"), "--report", "/dev/null"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert lines == [
        "cover-dance: --bpm 0: must be between 20 and 400",
        f"cover-dance: --json {tmp_path}: is a folder; give a file name",
        "cover-dance: --report /dev/null is a device or pipe, not a file; nothing was "
        "written there",
    ]
    assert Path("/dev/null").is_char_device()


def test_a_camera_that_stopped_is_reopened_for_the_next_song(tmp_path: Path) -> None:
    from game.capture.base import CaptureError
    from game.play_setup import PlaySetup

    make_test_level(tmp_path / "levels")
    clock = FakeClock()
    game = make_game(tmp_path / "levels", clock, plan=InputPlan("camera", camera=7))

    class Stopped:
        players, closed = 1, False

        def problem(self) -> str:
            return "camera 7 stopped delivering frames"

        def close(self) -> None:
            self.closed = True

    stopped = Stopped()
    game.ctx.inputs.camera = stopped
    level = game.ctx.list_levels()[0][0].load()
    with pytest.raises(CaptureError, match="camera 7"):  # no camera 7 here: the reopen fails
        game.ctx.inputs.open(PlaySetup(level), lambda wall: wall)
    assert stopped.closed and game.ctx.inputs.camera is None


def test_a_straight_demo_run_prints_its_score_and_missed_segments(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """`play --level NAME --demo` (no --record) plays the song straight away, headless, and
    prints the scorecard in `cover-dance score`'s words; the game runs on a fake clock."""
    import re

    from game.progress import ProgressStore

    straight_headless(monkeypatch)
    assert main(["play", "--level", "hello-sunshine", "--demo"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Hello Sunshine: demo: the bot dances"
    found = re.fullmatch(
        r"score (\d+\.\d) / 100, grade ([SABCD]), on normal \((\d+ PERFECT, )?(\d+ GOOD, )?"
        r"(\d+) MISS; (\d+) windows of 1\.33 s\)",
        out[1],
    )
    assert found, out[1]
    assert ProgressStore().best("hello-sunshine") is None  # the bot's play is not your best
    assert out[2] == "missed segments:"  # the demo bot fumbles two stretches on purpose
    segments = out[3:]
    assert len(segments) >= 2
    for line in segments:
        assert re.fullmatch(r"  +\d+\.\d\d - +\d+\.\d\d s  \S.*", line), line


def test_an_unknown_level_is_one_line_before_any_camera_or_audio(
    capsys: pytest.CaptureFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COVER_DANCE_HOME", str(tmp_path))
    for extra in ([], ["--demo"], ["--learn"], ["--loop", "1:2", "--input", "missing.mp4"]):
        assert main(["play", "--level", "nope", *extra]) == 2
        out, err = capsys.readouterr()
        assert (out, err) == ("", "cover-dance: no level called 'nope'; see `cover-dance levels`\n")


def test_a_loop_past_the_song_names_the_songs_own_bars(capsys: pytest.CaptureFixture) -> None:
    for loop in ("5:2", "0:2", "1:99"):
        assert main(["play", "--demo", "--level", "hello-sunshine", "--loop", loop]) == 2
        (line,) = capsys.readouterr().err.strip().splitlines()
        assert line == f"cover-dance: --loop {loop}: bars run 1 to 25, with A no later than B"


def test_a_broken_level_is_played_by_no_one_and_named_in_one_line(
    capsys: pytest.CaptureFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COVER_DANCE_HOME", str(tmp_path))
    missing = make_test_level(tmp_path / "levels", "no-pose")
    (missing / "pose.npz").unlink()
    noisy = make_test_level(tmp_path / "levels", "noisy", seconds=4.0)
    (noisy / "song.ogg").write_bytes(bytes(range(256)) * 40)
    for name, says in (("no-pose", f"{missing / 'pose.npz'}: file: missing"),
                       ("noisy", f"{noisy / 'song.ogg'}: audio: cannot be decoded")):  # fmt: skip
        for extra in ([], ["--demo"]):
            assert main(["play", "--level", name, *extra]) == 2
            (line,) = capsys.readouterr().err.strip().splitlines()
            assert line.startswith(f"cover-dance: {says}"), line
