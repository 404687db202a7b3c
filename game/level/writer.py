"""Write a level folder all at once: build it in a temporary sibling, then rename."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import tomli_w

from game.atomic import atomic_write_bytes, current_umask
from game.leftovers import clean_leftovers
from game.level.model import LEVEL_FILE, POSE_FILE, LevelMeta
from game.pose.frame import PoseTrack


class LevelExistsError(FileExistsError):
    pass


def pose_track_bytes(track: PoseTrack) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        times=track.times.astype(np.float64),
        landmarks=track.landmarks.astype(np.float32),
        visibility=track.visibility.astype(np.float32),
        aspect=np.array(track.aspect, dtype=np.float64),
    )
    return buffer.getvalue()


def save_pose_track(path: Path, track: PoseTrack) -> None:
    atomic_write_bytes(path, pose_track_bytes(track))


def check_writable(dest: Path) -> None:
    """OSError (one line) unless a level folder can be made at `dest`: the nearest existing
    folder above it must take a new folder (tried for real, then removed)."""
    parent = Path(dest).absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise NotADirectoryError(f"{parent} is not a folder")
    try:
        os.rmdir(tempfile.mkdtemp(prefix=".cover-dance-probe-", dir=parent))
    except OSError as exc:
        raise OSError(f"{parent} is not writable ({exc.strerror or exc})") from None


def write_level(
    dest: Path,
    meta: LevelMeta,
    track: PoseTrack,
    files: Mapping[str, Path | bytes],
    force: bool = False,
) -> Path:
    """Write `level.toml`, `pose.npz` and `files` (name -> source path or bytes) to `dest`.

    Nothing appears at `dest` unless everything was written. An existing `dest` is refused
    unless `force`, and then replaced only once the new level is complete.
    """
    dest = Path(dest)
    if dest.exists() and not force:
        raise LevelExistsError(f"{dest}: already exists (use --force to replace it)")
    if dest.exists() and not (dest.is_dir() and (dest / LEVEL_FILE).is_file()):
        raise LevelExistsError(
            f"{dest}: exists and is not a level folder; --force only replaces a level"
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers([dest.parent])  # what an earlier, killed write left here
    building = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".building", dir=dest.parent))
    building.chmod(0o777 & ~current_umask())
    try:
        (building / LEVEL_FILE).write_bytes(tomli_w.dumps(meta.to_toml_dict()).encode("utf-8"))
        (building / POSE_FILE).write_bytes(pose_track_bytes(track))
        for name, source in files.items():
            target = building / name
            if isinstance(source, bytes):
                target.write_bytes(source)
            else:
                shutil.copyfile(source, target)
        if dest.exists():
            old = dest.with_name(f".{dest.name}.replaced")
            shutil.rmtree(old, ignore_errors=True)
            dest.rename(old)
            try:
                building.rename(dest)
            except BaseException:
                old.rename(dest)  # put the previous level back
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            building.rename(dest)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return dest
