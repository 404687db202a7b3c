"""`cover-dance import VIDEO` on a real clip, and its one-line errors."""

from __future__ import annotations

from pathlib import Path

import av
import pytest
from synthetic import silent_video

from game.cli import main
from game.level.loader import load_level


def test_import_a_real_clip_end_to_end(
    realdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dest = tmp_path / "easy"
    code = main(["import", str(realdata / "justidol_easy.mp4"), "--out", str(dest), "--fps", "15",
                 "--start", "1", "--title", "Easy dance", "--quiet"])  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "BPM" in out and "windows" in out and str(dest) in out
    level = load_level(dest)
    assert 60 <= level.meta.bpm <= 200
    assert level.title == "Easy dance"
    assert level.meta.angle_set == "directions"  # the set that separates best (calibrate)
    grid = level.grid
    assert grid.window_count >= 5
    assert level.pose.times[0] < 0.2 and level.pose.times[-1] >= grid.end_time - 0.3
    assert level.meta.duration == pytest.approx(12.2, abs=0.3)
    seen = (level.pose.visibility.max(axis=1) > 0).mean()
    assert seen > 0.8
    assert level.video_path is not None and level.video_path.is_file()
    with av.open(str(level.video_path)) as container:  # the trimmed video starts at the start
        first = next(container.decode(video=0))
        assert float(first.time) < 0.1
        assert float(container.duration) / av.time_base == pytest.approx(12.2, abs=0.3)
    # a second import into the same folder is refused unless --force
    assert main(["import", str(realdata / "justidol_easy.mp4"), "--out", str(dest), "--quiet"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_a_video_without_audio_needs_bpm(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    video = tmp_path / "silent.mp4"
    silent_video(video)
    assert main(["import", str(video), "--out", str(tmp_path / "lv"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "no audio track" in err and "--bpm" in err and len(err.strip().splitlines()) == 1
    # with --bpm it gets further: there is nobody dancing in it
    assert (
        main(["import", str(video), "--out", str(tmp_path / "lv"), "--bpm", "120", "--quiet"]) == 2
    )
    assert "no dancer found" in capsys.readouterr().err
    assert not (tmp_path / "lv").exists()  # a failed import leaves nothing behind
    assert [p.name for p in tmp_path.iterdir()] == ["silent.mp4"]


def test_a_file_that_is_not_a_video(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video")
    assert main(["import", str(text), "--out", str(tmp_path / "lv"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "not a video" in err and len(err.strip().splitlines()) == 1
    assert main(["import", str(tmp_path / "missing.mp4"), "--quiet"]) == 2
    assert "not found" in capsys.readouterr().err


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_an_unwritable_out_is_refused_before_tracking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    import game.capture.track

    def no_tracking(*args: object, **kwargs: object) -> None:
        raise AssertionError("tracked the video before checking --out")

    monkeypatch.setattr(game.capture.track, "track_video", no_tracking)
    video = tmp_path / "silent.mp4"
    silent_video(video)
    out = video / "lv" if where == "under-a-file" else Path("/proc/cover-dance-test/lv")
    assert main(["import", str(video), "--out", str(out), "--bpm", "120", "--quiet"]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"cover-dance: {out}: cannot write the level there (")


def test_a_song_that_cannot_be_encoded_is_one_line_and_leaves_no_level(
    realdata: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    import soundfile

    def refuse(self: object, data: object) -> None:
        raise RuntimeError("Error in the vorbis encoder")

    monkeypatch.setattr(soundfile.SoundFile, "write", refuse)
    clip = realdata / "justidol_easy.mp4"
    dest = tmp_path / "lv"
    argv = ["import", str(clip), "--out", str(dest), "--end", "6", "--fps", "5", "--quiet"]
    assert main(argv) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(f"cover-dance: {clip}: the song could not be encoded")
    assert not dest.exists() and list(tmp_path.iterdir()) == []


BAD_OPTIONS = {
    "end nan": (["--end", "nan"], "--end nan: must be a finite number"),
    "end inf": (["--end", "inf"], "--end inf: must be a finite number"),
    "offset nan": (["--bpm", "120", "--offset", "nan"], "--offset nan: must be a finite number"),
    "fps tiny": (["--fps", "1e-9"], "--fps 1e-09: must be between 1 and 240"),
    "start negative": (["--start", "-3"], "--start -3: must be 0 or more seconds"),
    "over an hour": (["--end", "4000"], "4000 s from --start to the end; a level holds at most"),
}  # fmt: skip


@pytest.mark.parametrize(("extra", "says"), BAD_OPTIONS.values(), ids=BAD_OPTIONS.keys())
def test_bad_numbers_are_one_line_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], says: str
) -> None:
    video = tmp_path / "silent.mp4"
    silent_video(video)
    assert main(["import", str(video), "--out", str(tmp_path / "lv"), "--quiet", *extra]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert says in line
    assert not (tmp_path / "lv").exists()


def test_odd_files_as_the_video_say_what_they_are(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    os.mkfifo(tmp_path / "pipe.mp4")
    short = tmp_path / "short.mp4"
    silent_video(short, seconds=0.1)
    for video, says in ((tmp_path, "is a folder, not a video file"),
                        (tmp_path / "pipe.mp4", "is a device or pipe, not a video file"),
                        (Path("/dev/zero"), "is a device or pipe, not a video file"),
                        (short, "s long; a level needs more than a second")):  # fmt: skip
        assert main(["import", str(video), "--bpm", "120", "--quiet"]) == 2
        (line,) = capsys.readouterr().err.strip().splitlines()
        assert says in line and "--end" not in line.split(":")[1]


def test_a_long_video_with_nobody_in_it_gives_up_early(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nobody in the first NO_DANCER_SEARCH_S of video: one line, not a track to the end."""
    from game.authoring import importer

    monkeypatch.setattr(importer, "NO_DANCER_SEARCH_S", 3.0)
    video = tmp_path / "empty.mp4"
    silent_video(video, seconds=40.0)
    frames: list[float] = []
    import game.capture.track as track

    original = track.track_frames

    def counting(source, estimator, *args, **kwargs):  # type: ignore[no-untyped-def]
        real = estimator.estimate_players

        def estimate(image, time):  # type: ignore[no-untyped-def]
            frames.append(time)
            return real(image, time)

        estimator.estimate_players = estimate
        return original(source, estimator, *args, **kwargs)

    monkeypatch.setattr(track, "track_frames", counting)
    assert main(["import", str(video), "--out", str(tmp_path / "lv"), "--bpm", "120"]) == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert "no dancer found in the first 3 s" in line and "--start" in line
    assert max(frames) < 4.0  # gave up at 3 s of 40
