"""A shared level is untrusted: each attack from issue 14 is one line naming file and field,
and nothing outside the level folder is opened."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
from numpy.lib import format as npy_format
from synthetic import dancer_track, tiny_song_bytes

from game.level import loader, untrusted
from game.level.library import scan
from game.level.loader import LevelError, load_level, load_pose_track
from game.level.model import LevelMeta
from game.level.writer import write_level

META = LevelMeta(
    title="Test Song", audio="song.ogg", bpm=120.0, offset=1.0, beats_per_window=2,
    duration=19.0, artist="Tester", rating="easy",
)  # fmt: skip
TRACK = dancer_track(duration=20.0)
SONG = tiny_song_bytes()


@pytest.fixture
def level_dir(tmp_path: Path) -> Path:
    return write_level(tmp_path / "levels" / "test-song", META, TRACK, {"song.ogg": SONG})


def only_problem(folder: Path) -> str:
    with pytest.raises(LevelError) as caught:
        load_level(folder)
    assert len(caught.value.problems) == 1, caught.value.problems
    (line,) = caught.value.problems
    assert "\n" not in line and len(line) < 600
    return line


def edit_toml(folder: Path, old: str, new: str) -> None:
    path = folder / "level.toml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        ("beats_per_window = 2.0", "beats_per_window = 1e-300", "beats_per_window", "between"),
        ("beats_per_window = 2.0", "beats_per_window = 1e-320", "beats_per_window", "between"),
        ("beats_per_window = 2.0\nduration = 19.0", "beats_per_window = 0.25\nduration = 3600.0",
         "beats_per_window", "28792 windows, at most 20000"),  # an hour of tiny windows
        ("duration = 19.0", "duration = 1e300", "duration", "at most 3600"),
        ("bpm = 120.0", "bpm = 1" + "0" * 400, "bpm", "finite"),
        ('title = "Test Song"', 'title = "Test\\u0000Song"', "title", "printable"),
        ('title = "Test Song"', 'title = "Test\\nSong"', "title", "printable"),
        ('title = "Test Song"', 'title = "   "', "title", "empty"),
        ('title = "Test Song"', 'title = "dance\u202E4pm.exe"', "title", "printable"),
        ('artist = "Tester"', 'artist = "zero\u200Bwidth"', "artist", "printable"),
        ('title = "Test Song"', f'title = "{"x" * 2_000}"', "title", "at most 200"),
        ('artist = "Tester"', f'artist = "{"x" * 50_000}"', "artist", "at most 200"),
        ('audio = "song.ogg"', 'audio = "/etc/passwd"', "audio", "absolute"),
        ('audio = "song.ogg"', 'audio = "../../../../../../etc/passwd"', "audio", "'..'"),
        ('audio = "song.ogg"', 'audio = "sub\\\\..\\\\..\\\\song.ogg"', "audio", "'..'"),
        ('audio = "song.ogg"', 'audio = "C:/Windows/win.ini"', "audio", "absolute"),
        ('audio = "song.ogg"', 'audio = "."', "audio", "outside"),
        ('audio = "song.ogg"', 'audio = "song.ogg"\nvideo = "/dev/zero"', "video", "absolute"),
        ('seed"\n', 'seed"\n[tolerances]\nleft_elbow = inf\n', "tolerances.left_elbow",
         "positive"),
        ('seed"\n', 'seed"\n[tolerances]\nleft_elbow = nan\n', "tolerances.left_elbow",
         "positive"),
        ('seed"\n', 'seed"\n[tolerances]\nleft_elbow = 1e-50\n', "tolerances.left_elbow",
         "0.1 to 360"),  # found by the fuzzer: 0 in float32, then a division by zero
        ('seed"\n', 'seed"\n[tolerances]\n"left\\u0000" = 3\n', "tolerances", "unknown joint"),
        ("bpm = 120.0", "bpm = 120.0\nx = " + "[" * 30_000 + "]" * 30_000, "syntax",
         "not valid TOML"),
        ("bpm = 120.0", "bpm = 120.0\nx = " + "{a=" * 5_000 + "1" + "}" * 5_000, "syntax",
         "not valid TOML"),
        ("bpm = 120.0", "bpm = 120.0\n# " + "x" * 70_000, "file", "64 KB limit"),
    ],
)  # fmt: skip
def test_a_hostile_level_toml_is_one_line_naming_its_field(
    level_dir: Path, old: str, new: str, field: str, says: str
) -> None:
    edit_toml(level_dir, old, new)
    line = only_problem(level_dir)
    assert line.startswith(f"{level_dir / 'level.toml'}: {field}: ") and says in line, line


def test_a_symlink_leading_out_of_the_folder_is_refused(level_dir: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.ogg"
    secret.write_bytes(b"OggS not yours")
    (level_dir / "song.ogg").unlink()
    (level_dir / "song.ogg").symlink_to(secret)
    line = only_problem(level_dir)
    assert ": audio: " in line and "leads outside the level folder" in line

    (level_dir / "song.ogg").unlink()  # a link to a file inside the folder is fine
    (level_dir / "real.ogg").write_bytes(SONG)
    (level_dir / "song.ogg").symlink_to("real.ogg")
    assert load_level(level_dir).audio_path == level_dir / "song.ogg"


@pytest.mark.parametrize("name", ["level.toml", "pose.npz"])
def test_the_level_files_themselves_may_not_link_out(
    level_dir: Path, tmp_path: Path, name: str
) -> None:
    outside = tmp_path / name
    (level_dir / name).rename(outside)
    (level_dir / name).symlink_to(outside)
    line = only_problem(level_dir)
    assert line.startswith(f"{level_dir / name}: file: ") and "outside" in line


def npy_bytes(header: dict, body: bytes) -> bytes:
    buffer = io.BytesIO()
    npy_format.write_array_header_1_0(buffer, header)
    return buffer.getvalue() + body


def write_zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def pose_members(**replace: bytes) -> dict[str, bytes]:
    def npy(array: np.ndarray) -> bytes:
        buffer = io.BytesIO()
        np.save(buffer, array)
        return buffer.getvalue()

    members = {
        "times.npy": npy(TRACK.times),
        "landmarks.npy": npy(TRACK.landmarks),
        "visibility.npy": npy(TRACK.visibility),
        "aspect.npy": npy(np.array(1.5)),
    }
    members.update(replace)
    return members


def test_a_header_declaring_ten_billion_frames_is_refused_before_unpacking(
    level_dir: Path,
) -> None:
    header = {"descr": "<f8", "fortran_order": False, "shape": (10**10,)}
    write_zip(level_dir / "pose.npz", pose_members(**{"times.npy": npy_bytes(header, b"\0" * 16)}))
    line = only_problem(level_dir)
    assert f"{level_dir / 'pose.npz'}: times: declares 10000000000 frames" in line


def test_a_header_that_does_not_match_its_data_is_refused(level_dir: Path) -> None:
    header = {"descr": "<f4", "fortran_order": False, "shape": (5000, 33, 3)}
    members = pose_members(**{"landmarks.npy": npy_bytes(header, b"\0" * 400)})
    write_zip(level_dir / "pose.npz", members)
    line = only_problem(level_dir)
    assert ": landmarks: header declares shape (5000, 33, 3)" in line


def test_object_arrays_are_refused_from_the_header(level_dir: Path) -> None:
    header = {"descr": "|O", "fortran_order": False, "shape": (1,)}
    write_zip(level_dir / "pose.npz", pose_members(**{"aspect.npy": npy_bytes(header, b"x")}))
    assert ": aspect: must be a plain numeric array" in only_problem(level_dir)


def never_unpack(path: Path) -> dict:
    raise AssertionError(f"{path} was unpacked")


def test_an_archive_unpacking_past_the_limit_is_refused_unopened(
    level_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(untrusted, "MAX_POSE_BYTES", 100_000)  # the real one is 256 MB
    monkeypatch.setattr(loader, "npz_arrays", never_unpack)
    line = only_problem(level_dir)
    assert f"{level_dir / 'pose.npz'}: file: unpacks to 315 KB, over the 98 KB limit" in line


def test_a_zip_bomb_is_refused_by_its_compression_ratio(
    level_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(untrusted, "RATIO_FLOOR_BYTES", 100_000)  # the real one is 32 MB
    monkeypatch.setattr(loader, "npz_arrays", never_unpack)
    zeros = np.zeros_like(TRACK.landmarks)
    buffer = io.BytesIO()
    np.save(buffer, zeros)
    write_zip(level_dir / "pose.npz", pose_members(**{"landmarks.npy": buffer.getvalue()}))
    line = only_problem(level_dir)
    assert ": landmarks: packed " in line and "zip bomb" in line


def test_a_huge_pose_file_is_refused_by_its_size(
    level_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(untrusted, "MAX_POSE_FILE_BYTES", 1000)
    assert ": file: " in only_problem(level_dir) and "limit" in only_problem(level_dir)


def save_pose(folder: Path, **arrays: np.ndarray) -> None:
    base = {"times": TRACK.times, "landmarks": TRACK.landmarks, "visibility": TRACK.visibility}
    np.savez(folder / "pose.npz", **{**base, **arrays})


@pytest.mark.parametrize(
    ("arrays", "field", "says"),
    [
        ({"landmarks": np.full_like(TRACK.landmarks, 1e38)}, "landmarks", "beyond"),
        ({"aspect": np.array([1.0, 2.0])}, "aspect", "single number"),
        ({"aspect": np.array("wide")}, "aspect", "single number"),
        ({"aspect": np.array(np.inf)}, "aspect", "between 0.1 and 10"),
        ({"times": TRACK.times + 1e9}, "times", "must lie between"),
        ({"times": np.array(["a"] * len(TRACK))}, "times", "floating point"),
    ],
)
def test_pose_values_outside_sane_ranges_are_named(
    level_dir: Path, arrays: dict, field: str, says: str
) -> None:
    save_pose(level_dir, **arrays)
    line = only_problem(level_dir)
    assert line.startswith(f"{level_dir / 'pose.npz'}: {field}: ") and says in line, line


def test_garbage_and_truncated_pose_files_are_one_line(level_dir: Path) -> None:
    data = (level_dir / "pose.npz").read_bytes()
    for broken in (data[: len(data) // 2], b"PK\x03\x04" + os.urandom(200), b"", data[:-30]):
        (level_dir / "pose.npz").write_bytes(broken)
        assert ": file: " in only_problem(level_dir)
        with pytest.raises(LevelError):
            load_pose_track(level_dir / "pose.npz")


def test_a_parser_crash_becomes_a_level_error(
    level_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_: object) -> None:
        raise MemoryError

    monkeypatch.setattr(loader.BeatGrid, "fitting", explode)
    line = only_problem(level_dir)
    assert line == f"{level_dir}: level: unreadable (MemoryError)"


def test_level_select_lists_a_hostile_level_as_broken_and_keeps_the_rest(
    level_dir: Path,
) -> None:
    broken = level_dir.parent / "broken"
    write_level(broken, META, TRACK, {"song.ogg": SONG})
    edit_toml(broken, 'title = "Test Song"', 'title = "a\\u0000b"')
    entries = scan(level_dir.parent, "user")
    assert [(e.id, e.ok) for e in entries] == [("broken", False), ("test-song", True)]
    assert ": title: must be printable text" in entries[0].problems[0]
