"""Load and validate a level folder. Every problem is one line naming the file and field."""

from __future__ import annotations

import math
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from game.level.model import LEVEL_DIFFICULTIES, LEVEL_FILE, POSE_FILE, Level, LevelMeta
from game.pose.frame import PoseTrack
from game.pose.skeleton import ANGLE_SETS, NUM_LANDMARKS
from game.timing.beat_grid import BeatGrid

BPM_RANGE = (20.0, 400.0)
COVERAGE_SLACK_S = 0.5  # the pose track may end this much before the last window does


class LevelError(Exception):
    """A level that cannot be played; `problems` holds one line per bad field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Problems:
    def __init__(self, file: Path) -> None:
        self.file = file
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{self.file}: {where}: {message}")


def _field(
    data: dict[str, Any],
    name: str,
    kind: type | tuple[type, ...],
    problems: _Problems,
    default: Any = ...,
    check: Callable[[Any], str | None] | None = None,
) -> Any:
    if name not in data:
        if default is ...:
            problems.add(name, "missing")
        return None if default is ... else default
    value = data[name]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        problems.add(name, f"must be {names}, got {type(value).__name__} {value!r}")
        return None
    if isinstance(value, float) and not math.isfinite(value):
        problems.add(name, f"must be a finite number, got {value}")
        return None
    if check and (message := check(value)):
        problems.add(name, message)
        return None
    return value


def _in_range(low: float, high: float) -> Callable[[float], str | None]:
    def check(v: float) -> str | None:
        return None if low <= v <= high else f"must be between {low:g} and {high:g}, got {v:g}"

    return check


def _one_of(options: tuple[str, ...] | list[str]) -> Callable[[str], str | None]:
    return lambda v: None if v in options else f"must be one of {', '.join(options)}, got {v!r}"


def _positive(v: float) -> str | None:
    return None if v > 0 else f"must be positive, got {v:g}"


def _load_meta(folder: Path, problems: _Problems) -> LevelMeta | None:
    path = folder / LEVEL_FILE
    if not path.is_file():
        problems.add("file", "missing (a level folder needs level.toml)")
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.add("syntax", f"not valid TOML ({exc})")
        return None
    get = lambda *a, **k: _field(data, *a, problems=problems, **k)  # noqa: E731
    title = get("title", str)
    audio = get("audio", str)
    bpm = get("bpm", float, check=_in_range(*BPM_RANGE))
    offset = get("offset", float, check=_in_range(0.0, 3600.0))
    beats_per_window = get("beats_per_window", float, check=_positive)
    duration = get("duration", float, check=_positive)
    meta_tolerances = get("tolerances", dict, default={})
    tolerances: dict[str, float] = {}
    angle_set_name = get("angle_set", str, default="seed", check=_one_of(list(ANGLE_SETS)))
    known = {s.name for specs in ANGLE_SETS.values() for s in specs}
    for name, value in (meta_tolerances or {}).items():
        if name not in known:
            problems.add(f"tolerances.{name}", f"unknown joint; known: {', '.join(sorted(known))}")
        elif isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            problems.add(f"tolerances.{name}", f"must be a positive number, got {value!r}")
        else:
            tolerances[name] = float(value)
    meta_fields = dict(
        artist=get("artist", str, default=""),
        credit=get("credit", str, default=""),
        difficulty=get("difficulty", str, default="medium", check=_one_of(LEVEL_DIFFICULTIES)),
        mirror=get("mirror", bool, default=True),
        video=get("video", str, default=None),
    )
    required = (title, audio, bpm, offset, beats_per_window, duration, angle_set_name)
    if any(v is None for v in required) or any(
        meta_fields[k] is None for k in ("artist", "credit", "difficulty", "mirror")
    ):
        return None
    return LevelMeta(
        title=title, audio=audio, bpm=bpm, offset=offset, beats_per_window=beats_per_window,
        duration=duration, angle_set=angle_set_name, tolerances=tolerances, **meta_fields,
    )  # fmt: skip


def load_pose_track(path: Path) -> PoseTrack:
    """Read a pose track `.npz` (never unpickles); raises LevelError naming the field."""
    problems = _Problems(path)
    track = _load_pose(path, problems)
    if track is None:
        raise LevelError(problems.lines)
    return track


def _load_pose(path: Path, problems: _Problems) -> PoseTrack | None:
    if not path.is_file():
        problems.add("file", "missing")
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError, zlib.error) as exc:
        problems.add("file", f"not a readable .npz of numpy arrays ({exc})")
        return None
    expected = {
        "times": (None,),
        "landmarks": (None, NUM_LANDMARKS, 3),
        "visibility": (None, NUM_LANDMARKS),
    }
    ok = True
    for name, shape in expected.items():
        array = arrays.get(name)
        if array is None:
            problems.add(name, "missing array")
            ok = False
        elif array.ndim != len(shape) or any(
            want is not None and got != want for got, want in zip(array.shape, shape, strict=True)
        ):
            want_text = "(" + ", ".join("N" if s is None else str(s) for s in shape) + ")"
            problems.add(name, f"must have shape {want_text}, got {array.shape}")
            ok = False
        elif not np.issubdtype(array.dtype, np.floating):
            problems.add(name, f"must be floating point, got {array.dtype}")
            ok = False
    if not ok:
        return None
    times, landmarks, visibility = arrays["times"], arrays["landmarks"], arrays["visibility"]
    if not (len(times) == len(landmarks) == len(visibility)):
        problems.add(
            "times",
            f"length {len(times)} does not match landmarks {len(landmarks)} "
            f"and visibility {len(visibility)}",
        )
        return None
    if len(times) < 2:
        problems.add("times", f"needs at least 2 frames, got {len(times)}")
        return None
    for name, array in (("times", times), ("visibility", visibility)):
        if not np.isfinite(array).all():
            problems.add(name, "contains NaN or infinity")
            ok = False
    seen = visibility > 0
    if not np.isfinite(landmarks[seen]).all():
        problems.add("landmarks", "contains NaN or infinity where visibility > 0")
        ok = False
    if ok and not (np.diff(times) > 0).all():
        bad = int(np.argmax(np.diff(times) <= 0)) + 1
        problems.add("times", f"must be strictly increasing (frame {bad}: {times[bad]:.3f} s)")
        ok = False
    if ok and ((visibility < 0) | (visibility > 1)).any():
        problems.add("visibility", "must lie between 0 and 1")
        ok = False
    try:
        aspect = (
            float(arrays["aspect"]) if "aspect" in arrays and arrays["aspect"].size == 1 else 1.0
        )
    except (TypeError, ValueError):
        aspect = float("nan")
    if not (math.isfinite(aspect) and 0.1 < aspect < 10):
        problems.add("aspect", f"must be a width/height ratio between 0.1 and 10, got {aspect}")
        ok = False
    if not ok:
        return None
    clean = np.where(seen[..., None], landmarks, 0.0)
    return PoseTrack(
        times.astype(np.float64), clean.astype(np.float32), visibility.astype(np.float32), aspect
    )


def load_level(folder: Path | str) -> Level:
    """Load and validate the level in `folder`; raises LevelError listing every problem."""
    folder = Path(folder)
    toml_problems = _Problems(folder / LEVEL_FILE)
    if not folder.is_dir():
        what = "give the level's folder, not a file" if folder.is_file() else "it does not exist"
        raise LevelError([f"{folder}: folder: not a level folder ({what})"])
    meta = _load_meta(folder, toml_problems)
    pose_problems = _Problems(folder / POSE_FILE)
    track = _load_pose(folder / POSE_FILE, pose_problems)
    if meta is not None:
        if not (folder / meta.audio).is_file():
            toml_problems.add("audio", f"file {meta.audio!r} not found in the level folder")
        if meta.video and not (folder / meta.video).is_file():
            toml_problems.add("video", f"file {meta.video!r} not found in the level folder")
        grid = BeatGrid.fitting(meta.bpm, meta.offset, meta.beats_per_window, meta.duration)
        if grid.window_count == 0:
            toml_problems.add(
                "duration",
                f"{meta.duration:g} s leaves no whole window after offset {meta.offset:g} s",
            )
        elif track is not None and track.times[-1] + COVERAGE_SLACK_S < grid.end_time:
            pose_problems.add(
                "times",
                f"pose track ends at {track.times[-1]:.2f} s but the song's windows run to "
                f"{grid.end_time:.2f} s",
            )
    problems = toml_problems.lines + pose_problems.lines
    if problems or meta is None or track is None:
        raise LevelError(problems or [f"{folder}: level could not be read"])
    return Level(folder=folder, meta=meta, pose=track)
