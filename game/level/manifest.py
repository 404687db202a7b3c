"""A level's manifest: its level.toml read and checked, with the checks that need no pose
track (its files are there, the song leaves whole windows). Enough to list a level; the
loader (game/level/loader.py) reads the pose tracks when the level is played."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from game.level.members import parse_members
from game.level.model import LEVEL_FILE, LEVEL_RATINGS, MAX_DANCER, POSE_FILE, LevelMeta
from game.level.untrusted import (
    MAX_TOML_BYTES,
    one_line,
    path_problem,
    read_bounded,
    show,
    text_problem,
)
from game.pose.skeleton import ANGLE_SETS
from game.timing.beat_grid import BeatGrid

BPM_RANGE = (20.0, 400.0)
BEATS_PER_WINDOW_RANGE = (0.25, 64.0)
MAX_DURATION_S = 3600.0
MAX_WINDOWS = 20_000
TOLERANCE_RANGE = (0.1, 360.0)  # degrees (a tinier one is 0 in float32: a division by 0)
TEXT_LIMITS = {"title": 200, "artist": 200, "credit": 1000}


class LevelError(Exception):
    """A level that cannot be played; `problems` holds one line per bad field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class Problems:
    def __init__(self, file: Path) -> None:
        self.file = file
        self.lines: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.lines.append(f"{self.file}: {where}: {message}")


def _field(
    data: dict[str, Any],
    name: str,
    kind: type | tuple[type, ...],
    problems: Problems,
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


def _tolerances(raw: dict[str, Any], known: set[str], problems: Problems) -> dict[str, float]:
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


def parse_meta(folder: Path, problems: Problems) -> LevelMeta | None:
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
        dancer=get("dancer", int, default=None, check=_in_range(1, MAX_DANCER)),
    )
    members = parse_members(data["members"], folder, problems.add) if "members" in data else ()
    required = (title, audio, bpm, offset, beats_per_window, duration, angle_set_name, members)
    if any(v is None for v in required) or any(
        meta_fields[k] is None for k in ("artist", "credit", "rating", "mirror")
    ):
        return None
    if any(name in data and meta_fields[name] is None for name in ("video", "dancer")):
        return None
    return LevelMeta(
        title=title, audio=audio, bpm=bpm, offset=offset, beats_per_window=beats_per_window,
        duration=duration, angle_set=angle_set_name, tolerances=tolerances, members=members,
        **meta_fields,
    )  # fmt: skip


def grid_problem(meta: LevelMeta, problems: Problems) -> bool:
    """Add a problem if the song leaves no whole window or too many; True if it did."""
    grid = BeatGrid.fitting(meta.bpm, meta.offset, meta.beats_per_window, meta.duration)
    if grid.window_count == 0:
        message = f"{meta.duration:g} s leaves no whole window after offset {meta.offset:g} s"
        problems.add("duration", message)
    elif grid.window_count > MAX_WINDOWS:
        message = f"makes {grid.window_count} windows, at most {MAX_WINDOWS} allowed"
        problems.add("beats_per_window", message)
    else:
        return False
    return True


def folder_problem(folder: Path) -> str | None:
    """Why `folder` is not a level folder at all, or None."""
    if folder.is_dir():
        return None
    what = "give the level's folder, not a file" if folder.is_file() else "it does not exist"
    return f"{folder}: folder: not a level folder ({what})"


def read_manifest(folder: Path | str) -> LevelMeta:
    """The level's level.toml, checked, and its pose.npz present (not read): enough to list
    the level. Raises LevelError with one line per problem; whatever goes wrong inside the
    untrusted folder becomes such a line."""
    folder = Path(folder)
    try:
        if (line := folder_problem(folder)) is not None:
            raise LevelError([line])
        problems = Problems(folder / LEVEL_FILE)
        meta = parse_meta(folder, problems)
        if meta is not None:
            grid_problem(meta, problems)
        if (missing := path_problem(folder, POSE_FILE)) is not None:
            pose = "missing" if "not found" in missing else missing
            problems.lines.append(f"{folder / POSE_FILE}: file: {pose}")
    except LevelError:
        raise
    except Exception as exc:  # RecursionError, MemoryError, OverflowError... from a parser
        reason = one_line(str(exc)) or type(exc).__name__
        raise LevelError([f"{folder}: level: unreadable ({reason})"]) from None
    if problems.lines or meta is None:
        raise LevelError(problems.lines or [f"{folder}: level could not be read"])
    return meta
