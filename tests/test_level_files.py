"""Level loader, validator and writer: good levels load, each broken field gets one line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from synthetic import dancer_track, tiny_song_bytes

from game.cli import main
from game.level.loader import LevelError, load_level, load_pose_track
from game.level.model import LevelMeta
from game.level.writer import LevelExistsError, write_level

META = LevelMeta(
    title="Test Song", audio="song.ogg", bpm=120.0, offset=1.0, beats_per_window=2,
    duration=19.0, artist="Tester", rating="easy",
)  # fmt: skip
TRACK = dancer_track(duration=20.0)
SONG, SONG2 = tiny_song_bytes(0.5), tiny_song_bytes(0.7)


@pytest.fixture
def level_dir(tmp_path: Path) -> Path:
    return write_level(tmp_path / "test-song", META, TRACK, {"song.ogg": SONG})


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(LevelError) as caught:
        load_level(folder)
    return caught.value.problems


def edit_toml(folder: Path, old: str, new: str) -> None:
    path = folder / "level.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_a_written_level_loads_back_identically(level_dir: Path) -> None:
    level = load_level(level_dir)
    assert level.meta == META
    np.testing.assert_array_equal(level.pose.landmarks, TRACK.landmarks)
    assert level.grid.window_count == 18
    assert level.tolerances[1] == pytest.approx(35.0)


def test_the_level_rating_is_still_the_files_difficulty_field(level_dir: Path) -> None:
    """The code calls a level's own label its rating (the judging difficulty is another
    thing); level.toml keeps the `difficulty` key, so old and new files read alike."""
    assert 'difficulty = "easy"' in (level_dir / "level.toml").read_text()
    edit_toml(level_dir, 'difficulty = "easy"', 'difficulty = "hard"')
    assert load_level(level_dir).meta.rating == "hard"
    edit_toml(level_dir, 'difficulty = "hard"\n', "")
    assert load_level(level_dir).meta.rating == "medium"


def test_an_old_level_without_an_angle_set_loads_on_the_seed_angles(level_dir: Path) -> None:
    """Imported levels now default to "directions"; levels written before keep loading."""
    edit_toml(level_dir, 'angle_set = "seed"\n', "")
    level = load_level(level_dir)
    assert level.meta.angle_set == "seed"
    assert [s.name for s in level.angle_specs][:2] == ["nose", "left_elbow"]


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        ("bpm = 120.0", "bpm = 500.0", "bpm", "between 20 and 400"),
        ("bpm = 120.0", 'bpm = "fast"', "bpm", "must be float"),
        ('title = "Test Song"\n', "", "title", "missing"),
        ("offset = 1.0", "offset = nan", "offset", "finite"),
        ('difficulty = "easy"', 'difficulty = "insane"', "difficulty", "must be one of"),
        ('angle_set = "seed"', 'angle_set = "toes"', "angle_set", "must be one of"),
        ("mirror = true", 'mirror = "yes"', "mirror", "must be bool"),
        ('audio = "song.ogg"', 'audio = "nope.ogg"', "audio", "not found"),
        ("duration = 19.0", "duration = 60.0", "times", "pose track ends at"),
        ('seed"\n', 'seed"\n[tolerances]\nleft_toe = 3\n', "tolerances.left_toe", "unknown joint"),
        ('seed"\n', 'seed"\n[tolerances]\nleft_elbow = -3\n', "tolerances.left_elbow",
         "positive"),
        ("bpm = 120.0", "bpm = [", "syntax", "not valid TOML"),
    ],
)  # fmt: skip
def test_each_bad_field_gets_one_line_naming_file_and_field(
    level_dir: Path, old: str, new: str, field: str, says: str
) -> None:
    edit_toml(level_dir, old, new)
    lines = problems_of(level_dir)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{level_dir / ('pose.npz' if field == 'times' else 'level.toml')}")
    assert f": {field}: " in lines[0] and says in lines[0]


def write_pose(folder: Path, **arrays: np.ndarray) -> None:
    base = {"times": TRACK.times, "landmarks": TRACK.landmarks, "visibility": TRACK.visibility}
    base.update(arrays)
    np.savez(folder / "pose.npz", **base)


@pytest.mark.parametrize(
    ("arrays", "field", "says"),
    [
        ({"landmarks": np.zeros((10, 33, 2))}, "landmarks", "shape (N, 33, 3)"),
        ({"times": TRACK.times[::-1].copy()}, "times", "strictly increasing"),
        ({"times": np.where(np.arange(len(TRACK)) == 5, np.nan, TRACK.times)}, "times", "NaN"),
        ({"visibility": TRACK.visibility * 2}, "visibility", "between 0 and 1"),
        ({"times": TRACK.times[:100]}, "times", "does not match"),
    ],
)
def test_a_broken_pose_track_is_named(level_dir: Path, arrays: dict, field: str, says: str) -> None:
    write_pose(level_dir, **arrays)
    (line,) = problems_of(level_dir)
    assert line.startswith(str(level_dir / "pose.npz")) and f": {field}: " in line and says in line


def test_a_pickled_pose_file_is_refused_not_unpickled(level_dir: Path) -> None:
    with open(level_dir / "pose.npz", "wb") as handle:
        np.save(handle, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    (line,) = problems_of(level_dir)
    assert "pose.npz: file: not a readable .npz" in line
    with pytest.raises(LevelError):
        load_pose_track(level_dir / "pose.npz")


def test_several_problems_are_all_reported(level_dir: Path) -> None:
    edit_toml(level_dir, "bpm = 120.0", "bpm = 1.0")
    (level_dir / "pose.npz").unlink()
    lines = problems_of(level_dir)
    assert len(lines) == 2 and any(": bpm: " in x for x in lines)
    assert any("pose.npz: file: missing" in x for x in lines)


def test_writer_refuses_to_overwrite_unless_forced_and_leaves_nothing_half_written(
    level_dir: Path,
) -> None:
    with pytest.raises(LevelExistsError):
        write_level(level_dir, META, TRACK, {"song.ogg": SONG})
    with pytest.raises(FileNotFoundError):
        write_level(level_dir, META, TRACK, {"song.ogg": level_dir / "missing.ogg"}, force=True)
    assert load_level(level_dir).meta == META  # the old level survived the failed replace
    assert sorted(p.name for p in level_dir.parent.iterdir()) == ["test-song"]
    write_level(level_dir, META, TRACK.slice_time(0, 19.9), {"song.ogg": SONG2}, force=True)
    assert (level_dir / "song.ogg").read_bytes() == SONG2


def test_check_level_command_accepts_good_and_rejects_broken(
    level_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check-level", str(level_dir)]) == 0
    assert "ok: 'Test Song', 120 BPM, 18 windows" in capsys.readouterr().out
    edit_toml(level_dir, "bpm = 120.0", "bpm = 0.0")
    assert main(["check-level", str(level_dir), str(tmp_path / "absent")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"{level_dir / 'level.toml'}: bpm: must be between 20 and 400, got 0",
        f"{tmp_path / 'absent'}: folder: not a level folder (it does not exist)",
    ]


def test_force_never_replaces_a_folder_that_is_not_a_level(tmp_path: Path) -> None:
    precious = tmp_path / "Videos"
    precious.mkdir()
    (precious / "thesis.docx").write_text("years of work")
    with pytest.raises(LevelExistsError, match="not a level folder"):
        write_level(precious, META, TRACK, {"song.ogg": SONG}, force=True)
    assert (precious / "thesis.docx").read_text() == "years of work"


def test_a_damaged_pose_file_is_one_line_not_a_crash(level_dir: Path) -> None:
    raw = bytearray((level_dir / "pose.npz").read_bytes())
    for i in range(200, len(raw) - 200, 97):
        raw[i] ^= 0xFF
    (level_dir / "pose.npz").write_bytes(bytes(raw))
    (line,) = problems_of(level_dir)
    assert line.startswith(str(level_dir / "pose.npz"))


def test_a_text_aspect_is_named(level_dir: Path) -> None:
    write_pose(level_dir, aspect=np.array("wide"))
    (line,) = problems_of(level_dir)
    assert ": aspect: " in line


def test_check_level_on_the_toml_file_says_to_give_the_folder(level_dir: Path) -> None:
    (line,) = problems_of(level_dir / "level.toml")
    assert "give the level's folder, not a file" in line


@pytest.mark.parametrize(
    ("name", "field", "data"),
    [("song.ogg", "audio", b"OggS but not really"), ("clip.mp4", "video", bytes(4000))],
)
def test_a_song_or_video_that_cannot_be_decoded_is_one_line_naming_the_file(
    level_dir: Path, capsys: pytest.CaptureFixture[str], name: str, field: str, data: bytes
) -> None:
    if field == "video":
        edit_toml(level_dir, 'audio = "song.ogg"', 'audio = "song.ogg"\nvideo = "clip.mp4"')
    (level_dir / name).write_bytes(data)
    with pytest.raises(LevelError) as caught:
        load_level(level_dir)
    (line,) = caught.value.problems
    assert line.startswith(f"{level_dir / name}: {field}: cannot be decoded as {field}"), line
    assert main(["check-level", str(level_dir)]) == 1
    assert capsys.readouterr().err.strip() == line


def test_a_song_without_sound_is_refused(level_dir: Path) -> None:
    from synthetic import silent_video

    silent_video(level_dir / "silent.mp4").replace(level_dir / "song.ogg")  # no audio stream
    with pytest.raises(LevelError, match=r"song\.ogg: audio: has no audio stream"):
        load_level(level_dir)
