"""Fuzz what comes from the command line and the file system rather than from a level:
`cover-dance import` option values, `play --record` targets, and save files of odd kinds
(a pipe, a device, a folder, a BOM, empty, huge, random bytes, the wrong JSON type).

Used by tests/fuzz_untrusted.py: `fuzzers(attempt, work)` gives the hypothesis tests, each
running its cases through `attempt` (which bounds the time of each and checks stderr).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pygame
from hypothesis import given
from hypothesis import strategies as st
from synthetic import silent_video

import game.authoring.importer as importer
import game.capture.video  # (imported before the address space is capped)
import game.commands.import_group as import_group
from game.cli import main
from game.config import Settings
from game.level.manifest import BPM_RANGE, MAX_DURATION_S, TEXT_LIMITS
from game.level.model import MAX_DANCER
from game.level.untrusted import text_problem
from game.progress import PlayRecord, ProgressStore
from game.recording import RecordingError, TakeRecorder

Attempt = Callable[[str, Callable[[], str]], None]
VIDEO_S = 4.0  # the small video imported (its probed length is used; no option lies near it)
MIN_FPS, MAX_FPS = 1.0, 240.0


class WorkStarted(Exception):
    """The import went past its checks: it decoded audio or tracked dancers."""


# ------------------------------------------------------------------ import options

NUMBERS = ["nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1", "-0.0", "0", "1e-9",
           "1e308", "-1e308", "0.5", "1", "2", "2.5", "3.5", "5", "60", "119.9", "120",
           "3600", "3601", "abc", "", " 2", "1_0", "0x10", "1e", "--", "∞", "2s"]  # fmt: skip
TEXTS = ["Song", "", " ", "x" * 201, "x" * 200, "a\x00b", "tab\there", "line\nbreak",
         "rtl\u202eevil", "\x1b[31mred", "emoji 😀", "zwj\u200djoined", "-", "--start"]  # fmt: skip
NUMBER_OPTIONS = ["--start", "--end", "--bpm", "--offset", "--fps", "--dancer"]
TEXT_OPTIONS = ["--title", "--artist"]
FLAGS = ["--dancers", "--all-dancers", "--force", "--no-video"]
PATHS = ["new-level", "existing-level", "a-file", "missing/deeper/level", ""]

import_options = st.lists(
    st.one_of(
        st.tuples(st.sampled_from(NUMBER_OPTIONS),
                  st.one_of(st.sampled_from(NUMBERS), st.floats().map(repr),
                            st.integers(-(10**20), 10**20).map(str))),
        st.tuples(st.sampled_from(TEXT_OPTIONS), st.one_of(st.sampled_from(TEXTS), st.text())),
        st.tuples(st.sampled_from(["--out", "--sheet"]), st.sampled_from(PATHS)),
        st.tuples(st.sampled_from(FLAGS), st.none()),
    ),
    min_size=1, max_size=4,
)  # fmt: skip


def _number(text: str, kind: type) -> float | None:
    try:
        return float(kind(text))
    except (ValueError, OverflowError):
        return None


def import_refusal(
    given: dict[str, Any], flags: set[str], folder: Path, video_s: float
) -> str | None:
    """Why the options must be refused before any work (an independent oracle), or None."""
    numbers = {}
    for option in NUMBER_OPTIONS:
        if option in given:
            value = _number(given[option], int if option == "--dancer" else float)
            if value is None:
                return f"{option} is not a number"
            numbers[option] = value
    if len(flags & {"--dancers", "--all-dancers"}) + ("--dancer" in numbers) > 1:
        return "two of --dancers, --all-dancers, --dancer"
    if not all(math.isfinite(v) for v in numbers.values()):
        return "a number that is not finite"
    start, end = numbers.get("--start", 0.0), numbers.get("--end")
    fps, bpm, offset = numbers.get("--fps"), numbers.get("--bpm"), numbers.get("--offset")
    if start < 0 or (fps is not None and not MIN_FPS <= fps <= MAX_FPS):
        return "--start or --fps out of range"
    if bpm is not None and not BPM_RANGE[0] <= bpm <= BPM_RANGE[1]:
        return "--bpm out of range"
    if offset is not None and offset < 0:
        return "--offset below 0"
    if "--dancer" in numbers and not 1 <= numbers["--dancer"] <= MAX_DANCER:
        return "--dancer out of range"
    if "--dancers" in flags:
        sheet = None if given.get("--sheet") is None else folder / given["--sheet"]
        usable = sheet is None or (sheet.parent.is_dir() and not sheet.is_dir())
        return None if usable else "--sheet not a file in a folder"
    stop = min(end if end is not None else video_s, video_s)
    if start >= video_s or stop <= start + 1.0 or (end is not None and end <= start + 1.0):
        return "span of a second or less"
    if stop - start > MAX_DURATION_S or (end is not None and end - start > MAX_DURATION_S):
        return "span too long"
    if offset is not None and offset >= stop - start:
        return "--offset past the span"
    for option, field in (("--title", "title"), ("--artist", "artist")):
        required = option == "--title"
        if option in given and text_problem(given[option], TEXT_LIMITS[field], required):
            return f"{option} not printable or too long"
    out = given.get("--out")
    if out is not None:
        target = folder / out if out else folder
        exists = target.exists()
        if exists and ("--force" not in flags or not (target / "level.toml").is_file()):
            return "--out exists"
    return None


def import_case(work: Path) -> Callable[[list[tuple[str, str | None]]], str]:
    folder = work / "import"
    folder.mkdir()
    video = silent_video(folder / "clip.mp4", VIDEO_S)
    video_s = game.capture.video.probe_video(video).duration
    with contextlib.redirect_stderr(io.StringIO()):  # the first run's imports, untimed
        main(["import", str(video), "--start=nan"])
    level = folder / "existing-level"
    level.mkdir()
    (level / "level.toml").write_text('title = "x"\n')
    (folder / "a-file").write_text("not a folder")

    def run(options: list[tuple[str, str | None]]) -> str:
        given = {name: value for name, value in options if value is not None}
        flags = {name for name, value in options if value is None}
        argv = ["import", str(video), "--quiet"]
        for name, value in options:
            if name in ("--out", "--sheet") and value is not None:
                value = str(folder / value) if value else str(folder)
            argv += [name] if value is None else [f"{name}={value}"]
        refusal = import_refusal(given, flags, folder, video_s)
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                code = main(argv)
        except WorkStarted:
            assert refusal is None, f"work started despite {refusal}: {argv[3:]}"
            return "accepted"
        except SystemExit as exc:  # argparse: a value that is not a number, a clash
            code = exc.code
        assert code == 2, (code, argv[3:], out.getvalue()[-300:])
        assert refusal is not None, f"refused valid options {argv[3:]}"
        return "refused"

    return run


# ------------------------------------------------------------------ recording targets

RECORD_KINDS = ["new", "existing", "folder", "fifo", "device link", "/dev/null", "missing folder",
                "under a file", "dangling link", "no .mp4", "long name"]  # fmt: skip
EXISTING = b"an earlier take: must survive until a new one replaces it"


def record_target(folder: Path, kind: str) -> Path:
    """A `play --record` target of `kind` in `folder`."""
    take = folder / "take.mp4"
    if kind == "existing":
        take.write_bytes(EXISTING)
    elif kind == "folder":
        take.mkdir()
    elif kind == "fifo":
        os.mkfifo(take)
    elif kind == "device link":
        take.symlink_to("/dev/null")
    elif kind == "/dev/null":
        return Path("/dev/null")
    elif kind == "missing folder":
        return folder / "nowhere" / "take.mp4"
    elif kind == "under a file":
        (folder / "a-file").write_bytes(b"x")
        return folder / "a-file" / "take.mp4"
    elif kind == "dangling link":
        take.symlink_to(folder / "gone" / "x.mp4")
    elif kind == "no .mp4":
        return folder / "take.avi"
    elif kind == "long name":
        return folder / ("t" * 300 + ".mp4")
    return take


def node(path: Path) -> tuple[Any, ...]:
    """What is at `path` now: its kind, and a regular file's bytes."""
    try:
        info = path.lstat()
    except OSError as exc:
        return ("absent", type(exc).__name__)
    if stat.S_ISREG(info.st_mode):
        return ("file", info.st_ino, path.read_bytes())
    return (stat.S_IFMT(info.st_mode), info.st_ino)


def record_case(work: Path) -> Callable[[str, bool], str]:
    pygame.init()
    screen = pygame.Surface((64, 48))

    def run(kind: str, take: bool) -> str:
        folder = work / "record"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        target = record_target(folder, kind)
        before = node(target)
        try:
            recorder = TakeRecorder(target, wait_for_encoder=True)
        except RecordingError as exc:
            assert "\n" not in str(exc) and str(target.name)[:50] in str(exc), str(exc)
            assert node(target) == before, "a refused target was changed"
            return f"{kind}: refused"
        # a dangling link is replaced by the take, as the atomic writer replaces one
        replaceable = before[0] in ("file", "absent") or kind == "dangling link"
        assert replaceable, f"accepted a target that is {before}"
        owner = object()
        if take:
            for k in range(4):
                screen.fill((k * 40, 0, 0))
                recorder.add(owner, screen, k / 30, None)
            recorder.finish(owner)
        else:
            assert node(target) == before, "touched before any song"
        progress = io.StringIO()
        with contextlib.redirect_stderr(progress):  # the "saving take.mp4: 50%" line
            saved = recorder.close()
        for line in progress.getvalue().replace("\r", "\n").splitlines():
            assert line.startswith(("saving ", "cover-dance: ")) or not line.strip(), line
        leftovers = [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]
        assert not leftovers, leftovers
        if not take:
            assert saved is None and node(target) == before, "quit before a song changed it"
            return f"{kind}: untouched"
        assert saved == target and recorder.error is None, recorder.error
        assert target.read_bytes()[4:8] == b"ftyp", "not a whole MP4"
        return f"{kind}: replaced"

    return run


# ------------------------------------------------------------------ save files of odd kinds

SAVE_KINDS = ["fifo", "device link", "folder", "folder link", "dangling link", "link loop",
              "bom", "bom broken", "empty", "huge", "random bytes", "wrong type", "null",
              "utf-16"]  # fmt: skip
NOT_FILES = {"fifo", "device link", "folder", "folder link"}


def make_save(path: Path, kind: str, good: bytes, noise: bytes) -> None:
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device link":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    elif kind == "folder link":
        path.symlink_to(path.parent)
    elif kind == "dangling link":
        path.symlink_to(path.parent / "gone.json")
    elif kind == "link loop":
        path.symlink_to(path)
    else:
        data = {
            "bom": b"\xef\xbb\xbf" + good, "bom broken": b"\xef\xbb\xbf" + good[:-3],
            "empty": b"", "huge": good, "random bytes": noise,
            "wrong type": json.dumps([json.loads(good)]).encode(), "null": b"null",
            "utf-16": good.decode().encode("utf-16"),
        }[kind]  # fmt: skip
        path.write_bytes(data)
        if kind == "huge":  # past every save file's limit (sparse: quick to make)
            os.truncate(path, 70 * 2**20)


def save_case(work: Path) -> Callable[[str, str, bytes], str]:
    good_settings = json.dumps(Settings(camera=1, volume=0.5).__dict__).encode()
    play = {"score": 88.5, "grade": "B", "accuracy": 0.8, "difficulty": "easy", "players": 1,
            "date": "2025-01-01T10:00:00+00:00"}  # fmt: skip
    good_progress = json.dumps({"version": 1, "levels": {"x": {"history": [play]}}}).encode()

    def run(name: str, kind: str, noise: bytes) -> str:
        folder = work / "saves"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        path = folder / name
        make_save(path, kind, good_settings if name == "settings.json" else good_progress, noise)
        before = node(path)
        if name == "settings.json":
            settings = Settings.load(path)
            kept = node(path) == before
            if kind == "bom":
                assert settings.camera == 1 and settings.volume == 0.5, "a BOM lost the settings"
            try:
                settings.save(path)
            except OSError as exc:  # the game shows it as a notice
                assert kind in NOT_FILES and "\n" not in str(exc), (kind, str(exc))
                assert node(path) == before, "a refused save changed what is there"
        else:
            store = ProgressStore(path)
            best = store.best("x")
            kept = node(path) == before
            if kind == "bom":
                assert best is not None and best.score == 88.5, "a BOM lost the scores"
            store.record("x", PlayRecord(50.0, "D", 0.4))
            for line in store.warnings:
                assert "\n" not in line, line
            if kind in NOT_FILES:
                assert node(path) == before, "a save replaced a pipe, a device or a folder"
        if kind in NOT_FILES:
            assert kept, "a pipe, a device or a folder was moved"
            return f"{name}: left alone"
        return f"{name}: {'read' if kept else 'set aside'}"

    return run


def fuzzers(attempt: Attempt, work: Path) -> dict[str, Callable[[], None]]:
    """The hypothesis tests of this module, by target name."""
    run_import, run_record, run_save = import_case(work), record_case(work), save_case(work)
    importer.decode_audio = _work_started  # type: ignore[assignment]
    import_group.track_dancers = _work_started  # type: ignore[assignment]
    os.environ["COVER_DANCE_HOME"] = str(work / "home")

    @given(import_options)
    def fuzz_import(options: list[tuple[str, str | None]]) -> None:
        attempt("import options", lambda: run_import(options))

    @given(st.sampled_from(RECORD_KINDS), st.booleans())
    def fuzz_record(kind: str, take: bool) -> None:
        attempt("record target", lambda: run_record(kind, take))

    @given(st.sampled_from(["settings.json", "progress.json"]), st.sampled_from(SAVE_KINDS),
           st.binary(max_size=64))  # fmt: skip
    def fuzz_save(name: str, kind: str, noise: bytes) -> None:
        attempt("odd save file", lambda: run_save(name, kind, noise))

    return {"import options": fuzz_import, "record target": fuzz_record,
            "odd save file": fuzz_save}  # fmt: skip


def _work_started(*args: object, **kwargs: object) -> None:
    raise WorkStarted
