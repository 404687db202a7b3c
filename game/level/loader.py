"""Load and validate a level folder. Every problem is one line naming the file and field.
The manifest (level.toml) is read by game/level/manifest.py; here the pose tracks."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from game.level.coverage import coverage_problem
from game.level.manifest import LevelError, Problems, folder_problem, grid_problem, parse_meta
from game.level.media import media_problems
from game.level.model import LEVEL_FILE, POSE_FILE, Level, LevelMeta, Member
from game.level.untrusted import npz_arrays, one_line, path_problem, pose_archive_problems
from game.pose.frame import PoseTrack
from game.pose.skeleton import NUM_LANDMARKS
from game.timing.beat_grid import BeatGrid

MAX_LANDMARK = 100.0  # |x|, |y|, |z| of a seen landmark, in image heights
TIME_RANGE = (-3600.0, 4 * 3600.0)  # seconds a pose frame may carry


def load_pose_track(path: Path) -> PoseTrack:
    """Read a pose track `.npz` (never unpickles); raises LevelError naming the field."""
    problems = Problems(path)
    try:
        track = read_pose(path, problems)
    except Exception as exc:  # whatever numpy raises on a hostile file
        problems.add("file", f"unreadable ({one_line(str(exc)) or type(exc).__name__})")
        track = None
    if track is None:
        raise LevelError(problems.lines)
    return track


def _read_arrays(path: Path, problems: Problems, folder: Path | None) -> dict[str, Any] | None:
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


def read_pose(path: Path, problems: Problems, folder: Path | None = None) -> PoseTrack | None:
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


def _aspect(array: np.ndarray | None, problems: Problems) -> float | None:
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
    """Load and validate the level in `folder`, a little of its song and video decoded;
    raises LevelError listing every problem. The folder is untrusted: whatever goes wrong
    inside becomes a LevelError line."""
    folder = Path(folder)
    try:
        return _load_level(folder)
    except LevelError:
        raise
    except Exception as exc:  # RecursionError, MemoryError, OverflowError... from a parser
        reason = one_line(str(exc)) or type(exc).__name__
        raise LevelError([f"{folder}: level: unreadable ({reason})"]) from None


def _load_level(folder: Path) -> Level:
    if (line := folder_problem(folder)) is not None:
        raise LevelError([line])
    toml_problems = Problems(folder / LEVEL_FILE)
    meta = parse_meta(folder, toml_problems)
    pose_problems = Problems(folder / POSE_FILE)
    track = read_pose(folder / POSE_FILE, pose_problems, folder)
    if meta is not None and not grid_problem(meta, toml_problems) and track is not None:
        grid = BeatGrid.fitting(meta.bpm, meta.offset, meta.beats_per_window, meta.duration)
        if problem := coverage_problem(track, grid):
            pose_problems.add("times", problem)
    members, member_problems = _load_members(folder, meta, track)
    problems = toml_problems.lines + pose_problems.lines + member_problems
    if meta is not None and not toml_problems.lines:  # its song and video: a little decoded
        problems += media_problems(folder, meta.audio, meta.video)
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
        problems = Problems(folder / pose)
        track = read_pose(folder / pose, problems, folder)
        if track is not None and (problem := coverage_problem(track, grid)):
            problems.add("times", problem)
        lines += problems.lines
        if track is not None:
            members.append(Member(name, track))
    return tuple(members), lines
