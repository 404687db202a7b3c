"""Load and validate a level folder. Every problem is one line naming the file and field."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from game.level.coverage import coverage_problem
from game.level.members import parse_members
from game.level.model import (
    LEVEL_FILE,
    LEVEL_RATINGS,
    POSE_FILE,
    Level,
    LevelMeta,
    Member,
)  # fmt: skip
from game.level.untrusted import (
    MAX_TOML_BYTES,
    npz_arrays,
    one_line,
    path_problem,
    pose_archive_problems,
    read_bounded,
    show,
    text_problem,
)
from game.pose.frame import PoseTrack
from game.pose.skeleton import ANGLE_SETS, NUM_LANDMARKS
from game.timing.beat_grid import BeatGrid

BPM_RANGE = (20.0, 400.0)
BEATS_PER_WINDOW_RANGE = (0.25, 64.0)
MAX_DURATION_S = 3600.0
MAX_WINDOWS = 20_000
TOLERANCE_RANGE = (0.1, 360.0)  # degrees (a tinier one is 0 in float32: a division by 0)
MAX_LANDMARK = 100.0  # |x|, |y|, |z| of a seen landmark, in image heights
TIME_RANGE = (-3600.0, 4 * 3600.0)  # seconds a pose frame may carry
TEXT_LIMITS = {"title": 200, "artist": 200, "credit": 1000}


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
        try:
            value = float(value)
        except OverflowError:
            bits = value.bit_length()
            problems.add(name, f"must be a finite number, got an integer of {bits} bits")
            return None
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        problems.add(name, f"must be {names}, got {type(value).__name__} {show(value)}")
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
    return lambda v: None if v in options else f"must be one of {', '.join(options)}, got {show(v)}"


def _positive_up_to(high: float) -> Callable[[float], str | None]:
    def check(v: float) -> str | None:
        return None if 0 < v <= high else f"must be above 0 and at most {high:g}, got {v:g}"

    return check


def _text(limit: int, required: bool = False) -> Callable[[str], str | None]:
    return lambda v: text_problem(v, limit, required)


def _tolerances(raw: dict[str, Any], known: set[str], problems: _Problems) -> dict[str, float]:
    tolerances: dict[str, float] = {}
    low, high = TOLERANCE_RANGE
    for name, value in raw.items():
        where = f"tolerances.{name}" if text_problem(name, 40) is None else "tolerances"
        if name not in known:
            problems.add(where, f"unknown joint {show(name)}; known: {', '.join(sorted(known))}")
        elif isinstance(value, bool) or not isinstance(value, int | float):
            problems.add(where, f"must be a positive number, got {show(value)}")
        elif not low <= value <= high:  # refuses NaN and infinity too
            message = f"must be a positive number of degrees, {low:g} to {high:g}"
            problems.add(where, f"{message}, got {show(value)}")
        else:
            tolerances[name] = float(value)
    return tolerances


def _load_meta(folder: Path, problems: _Problems) -> LevelMeta | None:
    if (problem := path_problem(folder, LEVEL_FILE)) is not None:
        problems.add("file", f"{problem} (a level folder needs level.toml)")
        return None
    try:
        data = tomllib.loads(read_bounded(folder / LEVEL_FILE, MAX_TOML_BYTES).decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problems.add("syntax", f"not valid TOML ({one_line(str(exc))})")
        return None
    except RecursionError:
        problems.add("syntax", "not valid TOML (nested too deeply)")
        return None
    except Exception as exc:  # too big, unreadable, or the parser gave up (MemoryError...)
        problems.add("file", f"unreadable ({one_line(str(exc)) or type(exc).__name__})")
        return None
    get = lambda *a, **k: _field(data, *a, problems=problems, **k)  # noqa: E731
    title = get("title", str, check=_text(TEXT_LIMITS["title"], required=True))
    audio = get("audio", str, check=lambda v: path_problem(folder, v))
    bpm = get("bpm", float, check=_in_range(*BPM_RANGE))
    offset = get("offset", float, check=_in_range(0.0, 3600.0))
    beats_per_window = get("beats_per_window", float, check=_in_range(*BEATS_PER_WINDOW_RANGE))
    duration = get("duration", float, check=_positive_up_to(MAX_DURATION_S))
    meta_tolerances = get("tolerances", dict, default={})
    angle_set_name = get("angle_set", str, default="seed", check=_one_of(list(ANGLE_SETS)))
    known = {s.name for specs in ANGLE_SETS.values() for s in specs}
    tolerances = _tolerances(meta_tolerances or {}, known, problems)
    meta_fields = dict(
        artist=get("artist", str, default="", check=_text(TEXT_LIMITS["artist"])),
        credit=get("credit", str, default="", check=_text(TEXT_LIMITS["credit"])),
        rating=get("difficulty", str, default="medium", check=_one_of(LEVEL_RATINGS)),
        mirror=get("mirror", bool, default=True),
        video=get("video", str, default=None, check=lambda v: v and path_problem(folder, v)),
    )
    members = parse_members(data["members"], folder, problems.add) if "members" in data else ()
    required = (title, audio, bpm, offset, beats_per_window, duration, angle_set_name, members)
    if any(v is None for v in required) or any(
        meta_fields[k] is None for k in ("artist", "credit", "rating", "mirror")
    ):
        return None
    if "video" in data and meta_fields["video"] is None:
        return None
    return LevelMeta(
        title=title, audio=audio, bpm=bpm, offset=offset, beats_per_window=beats_per_window,
        duration=duration, angle_set=angle_set_name, tolerances=tolerances, members=members,
        **meta_fields,
    )  # fmt: skip


def load_pose_track(path: Path) -> PoseTrack:
    """Read a pose track `.npz` (never unpickles); raises LevelError naming the field."""
    problems = _Problems(path)
    try:
        track = _load_pose(path, problems)
    except Exception as exc:  # whatever numpy raises on a hostile file
        problems.add("file", f"unreadable ({one_line(str(exc)) or type(exc).__name__})")
        track = None
    if track is None:
        raise LevelError(problems.lines)
    return track


def _read_arrays(path: Path, problems: _Problems, folder: Path | None) -> dict[str, Any] | None:
    """The arrays of a pose archive, once its headers show it is safe to unpack."""
    problem = path_problem(folder, path.name) if folder is not None else None
    if problem is not None or not path.is_file():
        problems.add("file", "missing" if problem is None or "not found" in problem else problem)
        return None
    try:
        refusals = pose_archive_problems(path)
        for field, message in refusals:
            problems.add(field, message)
        return None if refusals else npz_arrays(path)
    except Exception as exc:  # a damaged zip or header: numpy and zipfile raise many kinds
        reason = one_line(str(exc)) or type(exc).__name__
        problems.add("file", f"not a readable .npz of numpy arrays ({reason})")
        return None


def _load_pose(path: Path, problems: _Problems, folder: Path | None = None) -> PoseTrack | None:
    arrays = _read_arrays(path, problems, folder)
    if arrays is None:
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
    if ok and not (TIME_RANGE[0] <= times[0] and times[-1] <= TIME_RANGE[1]):
        problems.add("times", f"must lie between {TIME_RANGE[0]:g} and {TIME_RANGE[1]:g} s, "
                              f"got {times[0]:g} to {times[-1]:g}")  # fmt: skip
        ok = False
    if ok and (np.abs(landmarks[seen]) > MAX_LANDMARK).any():
        problems.add("landmarks", f"values beyond +/-{MAX_LANDMARK:g} image heights where seen")
        ok = False
    aspect = _aspect(arrays.get("aspect"), problems)
    ok = ok and aspect is not None
    if not ok:
        return None
    clean = np.where(seen[..., None], landmarks, 0.0)
    return PoseTrack(
        times.astype(np.float64), clean.astype(np.float32), visibility.astype(np.float32), aspect
    )


def _aspect(array: np.ndarray | None, problems: _Problems) -> float | None:
    """The width/height ratio: a single real number (1.0 when the array is absent)."""
    if array is None:
        return 1.0
    if array.shape not in ((), (1,)) or array.dtype.kind not in "fiu":
        problems.add("aspect", f"must be a single number, got {array.dtype} of shape {array.shape}")
        return None
    aspect = float(array.reshape(()))
    if not (math.isfinite(aspect) and 0.1 < aspect < 10):
        problems.add("aspect", f"must be a width/height ratio between 0.1 and 10, got {aspect}")
        return None
    return aspect


def load_level(folder: Path | str) -> Level:
    """Load and validate the level in `folder`; raises LevelError listing every problem.
    The folder is untrusted: whatever goes wrong inside becomes a LevelError line."""
    folder = Path(folder)
    try:
        return _load_level(folder)
    except LevelError:
        raise
    except Exception as exc:  # RecursionError, MemoryError, OverflowError... from a parser
        reason = one_line(str(exc)) or type(exc).__name__
        raise LevelError([f"{folder}: level: unreadable ({reason})"]) from None


def _load_level(folder: Path) -> Level:
    toml_problems = _Problems(folder / LEVEL_FILE)
    if not folder.is_dir():
        what = "give the level's folder, not a file" if folder.is_file() else "it does not exist"
        raise LevelError([f"{folder}: folder: not a level folder ({what})"])
    meta = _load_meta(folder, toml_problems)
    pose_problems = _Problems(folder / POSE_FILE)
    track = _load_pose(folder / POSE_FILE, pose_problems, folder)
    if meta is not None:
        grid = BeatGrid.fitting(meta.bpm, meta.offset, meta.beats_per_window, meta.duration)
        if grid.window_count == 0:
            toml_problems.add(
                "duration",
                f"{meta.duration:g} s leaves no whole window after offset {meta.offset:g} s",
            )
        elif grid.window_count > MAX_WINDOWS:
            toml_problems.add(
                "beats_per_window",
                f"makes {grid.window_count} windows, at most {MAX_WINDOWS} allowed",
            )
        elif track is not None and (problem := coverage_problem(track, grid)):
            pose_problems.add("times", problem)
    members, member_problems = _load_members(folder, meta, track)
    problems = toml_problems.lines + pose_problems.lines + member_problems
    if problems or meta is None or track is None:
        raise LevelError(problems or [f"{folder}: level could not be read"])
    return Level(folder=folder, meta=meta, pose=track, members=members)


def _load_members(
    folder: Path, meta: LevelMeta | None, first: PoseTrack | None
) -> tuple[tuple[Member, ...], list[str]]:
    """Every member's part of a group level, each checked like pose.npz and for covering
    the song's windows; (members, problem lines)."""
    if meta is None or first is None or not meta.members:
        return (), []
    grid = BeatGrid.fitting(meta.bpm, meta.offset, meta.beats_per_window, meta.duration)
    members, lines = [Member(meta.members[0][0], first)], []
    for name, pose in meta.members[1:]:
        problems = _Problems(folder / pose)
        track = _load_pose(folder / pose, problems, folder)
        if track is not None and (problem := coverage_problem(track, grid)):
            problems.add("times", problem)
        lines += problems.lines
        if track is not None:
            members.append(Member(name, track))
    return tuple(members), lines
