"""Save files (settings, progress) are read as untrusted JSON and written as standard JSON.

Reading never raises anything but SaveFileError (too big, deeply nested, not JSON, not
finite), so one bad file cannot stop the game. A file the player made read-only is left
alone: it is neither replaced nor moved aside.
"""

from __future__ import annotations

import json
import math
import os
import stat
import time
from pathlib import Path
from typing import Any

from game.atomic import atomic_write_text


class SaveFileError(ValueError):
    """A save file that cannot be used; the message is one line."""


class ReadOnlySaveError(PermissionError):
    """The save file is read-only, so it was not replaced."""


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise SaveFileError(f"number {text[:20]} is out of range")
    return value


def _no_constant(name: str) -> float:
    raise SaveFileError(f"{name} is not a number JSON allows")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 18:
        raise SaveFileError(f"integer {text[:20]}... is out of range")
    return int(text)


def read_json(path: Path, limit: int, strict_numbers: bool = True) -> Any:
    """The JSON value in `path` (FileNotFoundError if there is none). SaveFileError if it
    is over `limit` bytes, not UTF-8 JSON, nested too deeply, or (with `strict_numbers`)
    holds NaN, infinity, or a number beyond a float or a 64-bit integer."""
    data = _read_regular(path, limit + 1)
    if len(data) > limit:
        raise SaveFileError(f"larger than {limit // 1024} KB")
    numbers: dict[str, Any] = (
        {"parse_float": _finite_float, "parse_constant": _no_constant, "parse_int": _bounded_int}
        if strict_numbers
        else {}
    )
    try:
        return json.loads(data.decode("utf-8-sig"), **numbers)  # a BOM, as Notepad saves
    except SaveFileError:
        raise
    except RecursionError:
        raise SaveFileError("nested too deeply") from None
    except (ValueError, MemoryError) as exc:  # UnicodeDecodeError, JSONDecodeError...
        raise SaveFileError(one_line(str(exc)) or type(exc).__name__) from None


def _read_regular(path: Path, size: int) -> bytes:
    """Up to `size` bytes of `path`; SaveFileError, without blocking, when it is a pipe, a
    device or a folder (opened non-blocking, checked before reading)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise SaveFileError("not a regular file (a pipe, a device or a folder)")
        return handle.read(size)


def one_line(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def is_read_only(path: Path) -> bool:
    """True when `path` exists and the player may not write it (or took the owner's
    write permission away, which even root respects here)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (mode & stat.S_IWUSR) or not os.access(path, os.W_OK)


def write_json(path: Path, value: Any, indent: int | None = 1) -> None:
    """Write `value` atomically as standard JSON (ValueError on NaN or infinity), compact
    when `indent` is None. ReadOnlySaveError, without writing, when the existing file is
    read-only."""
    if is_read_only(path):
        raise ReadOnlySaveError(f"{path} is read-only; left as it is")
    separators = (",", ":") if indent is None else None
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=False,
                      allow_nan=False) + "\n"  # fmt: skip
    atomic_write_text(path, text)


def set_aside(path: Path) -> str:
    """Rename an unusable save to `NAME.corrupt-<stamp>`; says where it went (or why it
    stayed: a read-only file is not moved)."""
    if is_read_only(path):
        return "left it in place (read-only)"
    if not path.is_file():  # a pipe, a device or a folder is not ours to move
        return "left it in place (not a regular file)"
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    try:
        path.rename(aside)
    except OSError as exc:
        return f"could not move it aside ({one_line(str(exc))})"
    return f"kept it as {aside.name}"
