"""Write files so a crash never leaves a half-written one: temp file, then rename."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class NotARegularFileError(OSError):
    """The target is a device, a pipe or a folder: a rename would replace it, so nothing
    is written (the message is one line)."""


def check_regular_target(path: Path) -> None:
    """NotARegularFileError unless `path` is absent or a regular file (a symlink to one is
    fine: the rename replaces the link, never what it points at)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:  # a dangling or looping link, no permission: let the write say
        if isinstance(exc, NotADirectoryError):
            raise
        return
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a device or pipe, not a file"
        raise NotARegularFileError(f"{path} is {kind}; nothing was written there")


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to a temp file beside `path`, then rename it over `path` (a regular
    file or nothing: NotARegularFileError for a device, pipe or folder)."""
    path = Path(path)
    check_regular_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, 0o666 & ~current_umask())  # as a plain open() would have made it
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


def current_umask() -> int:
    """The process umask (read by setting and restoring it)."""
    current = os.umask(0)
    os.umask(current)
    return current
