"""Clean up after runs that were killed mid-write: stale `.NAME.XXXXXXXX.tmp` files of
atomic writes (game/atomic.py) and `.NAME.XXXXXXXX.building` folders of level writes
(game/level/writer.py). Only our own names, and only ones untouched for a while, so a
write in progress in another process is never disturbed. A `.NAME.replaced` folder (a
level being replaced when the run died) is put back if NAME is missing, else removed.
Scratch folders in the system temp folder (`scratch_folder`) carry their process id and
are removed once that process is gone."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

STALE_AFTER_S = 120.0
_TMP = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")  # tempfile.mkstemp's 8 random characters
_BUILDING = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.building$")
_REPLACED = re.compile(r"^\.(.+)\.replaced$")
_SCRATCH = re.compile(r"^cover-dance-[a-z]+-(\d+)-[A-Za-z0-9_]{8}$")


def scratch_folder(kind: str) -> tempfile.TemporaryDirectory[str]:
    """A temp folder for one job (`kind`: "import", "bench"), named with this process's id,
    so a later run can tell it was left by a killed one (`clean_scratch_folders`)."""
    return tempfile.TemporaryDirectory(prefix=f"cover-dance-{kind}-{os.getpid()}-")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def _children(folder: Path) -> list[Path]:
    """What is directly in `folder`, sorted (nothing if it is missing or unreadable)."""
    try:
        return sorted(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return []


def clean_scratch_folders(folder: Path | None = None) -> list[str]:
    """Remove scratch folders whose process is gone (killed mid-import); one line each."""
    done: list[str] = []
    for path in _children(Path(folder or tempfile.gettempdir())):
        match = _SCRATCH.match(path.name)
        if not match or int(match.group(1)) == os.getpid() or _alive(int(match.group(1))):
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            done.append(f"removed {path} (left by a run that was stopped)")
    return done


def _changed(path: Path) -> float:
    info = path.lstat()
    return max(info.st_mtime, info.st_ctime)  # ctime: a rename counts as a change


def _newest_change(path: Path) -> float:
    """The latest change of `path` and (for a folder) of what is directly in it."""
    times = [_changed(path)]
    if path.is_dir() and not path.is_symlink():
        times += [_changed(child) for child in path.iterdir()]
    return max(times)


def clean_leftovers(folders: Iterable[Path], now: float | None = None) -> list[str]:
    """Remove stale leftovers directly in each of `folders`; one line per thing done."""
    now = time.time() if now is None else now
    done: list[str] = []
    for folder in folders:
        for path in _children(folder):
            try:
                if now - _newest_change(path) < STALE_AFTER_S:
                    continue
                done += _clean(path)
            except OSError:  # vanished meanwhile, or not ours to remove: leave it
                continue
    return done


def _clean(path: Path) -> list[str]:
    name = path.name
    if _TMP.match(name) and path.is_file() and not path.is_symlink():
        path.unlink()
        return [f"removed {path} (an unfinished save)"]
    if _BUILDING.match(name) and path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
        return [f"removed {path} (an unfinished level)"]
    if (match := _REPLACED.match(name)) and path.is_dir() and not path.is_symlink():
        original = path.with_name(match.group(1))
        if original.exists() or original.is_symlink():
            shutil.rmtree(path)
            return [f"removed {path} (a level already replaced)"]
        path.rename(original)
        return [f"restored {original} (its replacement was interrupted)"]
    return []


def clean_temp_files_of(target: Path, now: float | None = None) -> list[str]:
    """Remove stale `.NAME.XXXXXXXX.tmp` files of `target` (a write to it that was killed,
    e.g. a recorded take) from its folder; one line per file removed."""
    now = time.time() if now is None else now
    prefix = f".{target.name}."
    done: list[str] = []
    for path in _children(target.parent):
        name = path.name
        if not (name.startswith(prefix) and len(name) == len(prefix) + 12 and _TMP.match(name)):
            continue
        try:
            if path.is_file() and not path.is_symlink() and now - _changed(path) >= STALE_AFTER_S:
                path.unlink()
                done.append(f"removed {path} (an unfinished write)")
        except OSError:
            continue
    return done
