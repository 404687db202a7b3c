"""Saves are untrusted too: hostile settings and progress files are set aside (never a
crash, never a NaN best), read-only saves stay as they are, and two processes saving
progress at once lose nothing."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from game import leftovers
from game.cli import main
from game.config import Settings
from game.progress import PlayRecord, ProgressStore
from game.savefile import ReadOnlySaveError

HOSTILE = {
    "deep nesting": '{"levels": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "1e999 players": '{"levels": {"x": {"history": [{"score": 50, "grade": "B", '
    '"accuracy": 40, "players": 1e999}]}}}',
    "NaN score": '{"levels": {"x": {"history": [{"score": NaN, "grade": "B", "accuracy": 4}]}}}',
    "Infinity": '{"levels": {"x": {"history": [{"score": Infinity, "grade": "B", '
    '"accuracy": 4}]}}}',
    "huge int": '{"levels": {"x": {"history": [{"score": 1' + "0" * 4000 + ', "grade": "B", '
    '"accuracy": 4}]}}}',
    "2 MB grade": '{"levels": {"x": {"history": [{"score": 5, "grade": "' + "S" * 2_000_000
    + '", "accuracy": 4}]}}}',
    "grade object": '{"levels": {"x": {"history": [{"score": 5, "grade": {"a": 1}, '
    '"accuracy": 4}]}}}',
    "NUL grade": '{"levels": {"x": {"history": [{"score": 5, "grade": "\\u0000", '
    '"accuracy": 4}]}}}',
    "fractional players": '{"levels": {"x": {"history": [{"score": 5, "grade": "B", '
    '"accuracy": 4, "players": 1.5}]}}}',
}  # fmt: skip


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_progress_file_is_set_aside_and_play_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = tmp_path / "progress.json"
    path.write_text(text)
    store = ProgressStore(path)
    assert store.best("x") is None
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "unreadable" in line and len(line) < 400
    (aside,) = tmp_path.glob("progress.json.corrupt-*")
    assert aside.read_text() == text
    assert store.record("x", PlayRecord(70.0, "C", 60.0))
    assert json.loads(path.read_text())["levels"]["x"]["history"][0]["score"] == 70.0


def test_a_nan_score_is_never_kept_or_written(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    store = ProgressStore(path)
    store.record("x", PlayRecord(60.0, "D", 50.0))
    assert not store.record("x", PlayRecord(math.nan, "S", 99.0))
    assert not store.record("x", PlayRecord(math.inf, "S", 99.0))
    assert "not saved (score must be a number from 0 to 100" in store.warnings[-1]
    json.loads(path.read_text(), parse_constant=lambda c: pytest.fail(f"{c} written"))
    assert ProgressStore(path).best("x").score == 60.0


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_settings_file_gives_usable_settings(tmp_path: Path, text: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(text.replace('"levels"', '"camera"'))
    settings = Settings.load(path)
    assert settings == Settings() or settings.camera == Settings().camera
    settings.save(path)
    assert Settings.load(path) == settings


@pytest.mark.parametrize(
    ("text", "name"),
    [('{"camera": 99999999999}', "camera"), ('{"volume": 1e999}', "volume"),
     ('{"camera_latency_ms": 1' + "0" * 400 + "}", "camera_latency_ms"),
     ('{"audio_offset_ms": -Infinity}', "audio_offset_ms"),
     ('{"difficulty": "' + "x" * 100_000 + '"}', "difficulty")],
)  # fmt: skip
def test_settings_out_of_range_fall_back_field_by_field(
    tmp_path: Path, text: str, name: str
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(text)
    assert getattr(Settings.load(path), name) == getattr(Settings(), name)
    assert path.exists()  # a bad value is not a bad file


def test_a_read_only_progress_file_stays_read_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "progress.json"
    ProgressStore(path).record("x", PlayRecord(50.0, "D", 40.0))
    path.chmod(0o444)
    before = path.read_bytes()
    store = ProgressStore(path)
    assert store.record("x", PlayRecord(90.0, "A", 80.0))  # the play still counts on screen
    assert "read-only" in store.warnings[-1] and "read-only" in capsys.readouterr().err
    assert path.read_bytes() == before and path.stat().st_mode & 0o777 == 0o444

    path.write_bytes(b"{broken")  # root may write it; the file stays read-only
    path.chmod(0o444)
    ProgressStore(path).best("x")
    assert path.read_bytes() == b"{broken" and not list(tmp_path.glob("*.corrupt-*"))


def test_a_read_only_settings_file_is_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    Settings(camera=1).save(path)
    path.chmod(0o444)
    with pytest.raises(ReadOnlySaveError):
        Settings(camera=2).save(path)
    assert Settings.load(path).camera == 1 and path.stat().st_mode & 0o777 == 0o444


SAVER = """
import sys
from game.progress import PlayRecord, ProgressStore
store = ProgressStore(sys.argv[1])
for i in range(int(sys.argv[2])):
    store.record(sys.argv[3], PlayRecord(float(i), "D", 1.0))
assert not store.warnings, store.warnings
"""


def test_two_processes_saving_at_once_lose_no_play(tmp_path: Path) -> None:
    path = tmp_path / "progress.json"
    plays = 20  # two savers of one level stay within its kept history
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    savers = [
        subprocess.Popen([sys.executable, "-c", SAVER, str(path), str(plays), level], env=env)
        for level in ("a", "a", "b")
    ]
    assert [p.wait(timeout=120) for p in savers] == [0, 0, 0]
    store = ProgressStore(path)
    assert len(store.history("a")) == 2 * plays and len(store.history("b")) == plays
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob("*.corrupt-*"))


def test_leftovers_of_killed_runs_are_cleaned_at_the_next_start(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    levels = isolated_home / "levels"
    (levels / "mine").mkdir(parents=True)
    (levels / "mine" / "level.toml").write_text("kept")
    tmp = isolated_home / ".progress.json.k2_x9abc.tmp"
    tmp.write_text("{half")
    building = levels / ".dance.q8w7e6r5.building"
    building.mkdir()
    (building / "pose.npz").write_bytes(b"x" * 1000)
    replaced = levels / ".solo.replaced"  # killed while replacing `solo`: put it back
    replaced.mkdir()
    (replaced / "level.toml").write_text("solo")
    stale = levels / ".mine.replaced"  # `mine` was replaced already: the old copy goes
    stale.mkdir()
    strangers = [isolated_home / "notes.tmp", isolated_home / ".x.tmp", levels / "a.building"]
    for path in strangers:
        path.write_text("not ours")

    main(["levels"])  # fresh leftovers are left alone: another run may be writing them
    assert tmp.exists() and building.exists() and replaced.exists()

    monkeypatch.setattr(leftovers, "STALE_AFTER_S", -1.0)
    main(["levels"])
    assert not tmp.exists() and not building.exists() and not stale.exists()
    assert (levels / "solo" / "level.toml").read_text() == "solo"
    assert (levels / "mine" / "level.toml").read_text() == "kept"
    assert all(path.exists() for path in strangers)
    err = capsys.readouterr().err
    assert "removed" in err and "restored" in err and "Traceback" not in err


OUT_OF_RANGE = {
    "score 1e308": '{"score": 1e308, "grade": "S", "accuracy": 4}',
    "score -50": '{"score": -50, "grade": "D", "accuracy": 4}',
    "accuracy 400": '{"score": 50, "grade": "C", "accuracy": 400}',
    "empty grade": '{"score": 50, "grade": "", "accuracy": 4}',
    "grade Z": '{"score": 50, "grade": "Z", "accuracy": 4}',
    "difficulty ultra": '{"score": 50, "grade": "C", "accuracy": 4, "difficulty": "ultra"}',
}  # fmt: skip


@pytest.mark.parametrize("record", OUT_OF_RANGE.values(), ids=OUT_OF_RANGE.keys())
def test_play_records_out_of_range_are_refused_on_load(tmp_path: Path, record: str) -> None:
    path = tmp_path / "progress.json"
    path.write_text('{"version": 1, "levels": {"x": {"history": [' + record + "]}}}")
    store = ProgressStore(path)
    assert store.best("x") is None
    assert "unreadable" in store.warnings[0] and "bad play record" in store.warnings[0]


@pytest.mark.parametrize(
    ("version", "says"),
    [
        ("true", "whole number"),
        ('"2"', "whole number"),
        ("0", "whole number"),
        ("7", "newer version"),
    ],
)
def test_the_format_version_is_an_integer(tmp_path: Path, version: str, says: str) -> None:
    path = tmp_path / "progress.json"
    path.write_text(f'{{"version": {version}, "levels": {{}}}}')
    store = ProgressStore(path)
    assert store.level_ids() == [] and says in store.warnings[0]


def test_a_save_file_with_a_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"volume": 0.25}).encode())
    assert Settings.load(path).volume == 0.25
    assert not list(tmp_path.glob("*.corrupt-*"))


@pytest.mark.parametrize("name", ["settings.json", "progress.json"])
def test_a_save_file_that_is_a_pipe_never_blocks(tmp_path: Path, name: str) -> None:
    """A FIFO would block a plain open() forever: it is refused at once and left alone."""
    path = tmp_path / name
    os.mkfifo(path)
    code = (
        "import sys; from pathlib import Path\n"
        "from game.config import Settings; from game.progress import ProgressStore\n"
        "p = Path(sys.argv[1])\n"
        "print(Settings.load(p) if p.name == 'settings.json' else ProgressStore(p).best('x'))"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                          text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "not a regular file" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert path.exists() and not path.is_file()  # left in place, not moved aside


def test_the_atomic_writer_never_replaces_a_device_or_folder(tmp_path: Path) -> None:
    from game.atomic import NotARegularFileError, atomic_write_text

    folder = tmp_path / "out.json"
    folder.mkdir()
    with pytest.raises(NotARegularFileError, match="is a folder"):
        atomic_write_text(folder, "{}")
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFileError, match="device or pipe"):
        atomic_write_text(fifo, "{}")
    assert folder.is_dir() and not fifo.is_file() and not list(tmp_path.glob(".*.tmp"))


def test_a_locked_progress_file_is_never_written_without_the_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import filelock

    from game import progress

    path = tmp_path / "progress.json"
    ProgressStore(path).record("x", PlayRecord(50.0, "C", 40.0))
    before = path.read_bytes()
    monkeypatch.setattr(progress, "LOCK_TIMEOUT_S", 0.2)
    store = ProgressStore(path)
    with filelock.FileLock(tmp_path / "progress.json.lock"):  # another program holds it
        store.record("y", PlayRecord(90.0, "A", 80.0))
    assert "progress not saved: could not lock" in store.warnings[-1]
    assert path.read_bytes() == before


def test_scratch_folders_of_stopped_runs_are_removed(tmp_path: Path) -> None:
    """An import killed mid-way leaves its temp folder; the next run removes it, never one
    of a run still going."""
    from game.leftovers import clean_scratch_folders

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = tmp_path / f"cover-dance-import-{gone.stdout.strip()}-abcd_123"
    (dead / "partial.mp4").parent.mkdir()
    (dead / "partial.mp4").write_bytes(b"\0" * 1000)
    mine = tmp_path / f"cover-dance-import-{os.getpid()}-abcd_456"
    running = tmp_path / "cover-dance-bench-1-abcd_789"  # pid 1 is always alive
    other = tmp_path / "someone-elses-999999-abcd_000"
    for folder in (mine, running, other):
        folder.mkdir()
    (line,) = clean_scratch_folders(tmp_path)
    assert str(dead) in line and not dead.exists()
    assert mine.is_dir() and running.is_dir() and other.is_dir()
