"""A level folder comes from a stranger: its paths must stay inside it, its files must be
small enough, and its pose archive is measured from the zip and .npy headers before
anything is unpacked. Pure checks that return problem text (no pygame, cv2 or mediapipe)."""

from __future__ import annotations

import math
import os
import stat
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath

import numpy as np
from numpy.lib import format as npy_format

MAX_TOML_BYTES = 64 * 1024  # level.toml
MAX_POSE_FILE_BYTES = 128 * 1024 * 1024  # pose.npz as stored
MAX_POSE_BYTES = 256 * 1024 * 1024  # pose.npz unpacked, all arrays together
MAX_POSE_MEMBERS = 16  # arrays in pose.npz
MAX_FRAMES = 400_000  # pose frames (over 1.5 hours at 60 fps)
# unpacked / packed size of one array, for arrays over 32 MB (a generated level's constant
# visibility packs ~700 times, so small arrays may; real tracked landmarks pack ~3 times)
MAX_RATIO = 100.0
RATIO_FLOOR_BYTES = 32 * 1024 * 1024
MAX_NPY_HEADER = 4096  # bytes of one .npy header (numpy's own writer uses well under 200)
MAX_NAME_CHARS = 255  # a file name in level.toml
MAX_SHOWN_CHARS = 60  # how much of a bad value an error line quotes
# controls (NUL, newline...), unassigned, and format characters: bidi overrides (U+202E
# turns "mp4.exe" round) and other invisible ones; joiners stay (emoji, Persian, Indic text)
_BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_ALLOWED_FORMAT = {"\u200c", "\u200d"}  # zero-width non-joiner and joiner


def show(value: object) -> str:
    """`repr(value)`, cut to a length that keeps an error on one readable line."""
    try:
        text = repr(value)
    except Exception:  # a repr that fails (or recurses) must not hide the real problem
        text = f"<{type(value).__name__}>"
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 3] + "..."


def size_text(n: int) -> str:
    """A byte count for people: `340 KB`, `12 MB`."""
    return f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n / 2**10:.0f} KB"


def one_line(text: str, limit: int = 200) -> str:
    """`text` flattened to one line of at most `limit` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def text_problem(value: str, max_chars: int, required: bool = False) -> str | None:
    """Why `value` cannot be shown as a line of text, or None: too long, or a control
    character (NUL, newline, ...) or an unassigned code point."""
    if len(value) > max_chars:
        return f"must be at most {max_chars} characters, got {len(value)}"
    if required and not value.strip():
        return "must not be empty"
    for i, char in enumerate(value):
        if unicodedata.category(char) in _BAD_CATEGORIES and char not in _ALLOWED_FORMAT:
            return f"must be printable text, got {show(char)} at character {i + 1}"
    return None


def path_problem(folder: Path, name: str, *, required_file: bool = True) -> str | None:
    """Why `name` (from level.toml, or a fixed file name) is not a file inside `folder`,
    or None. Absolute paths, `..` and symlinks that lead out are refused; the check is made
    on resolved paths, so a link inside the folder to another file inside is fine."""
    if not name:
        return "must name a file in the level folder"
    if len(name) > MAX_NAME_CHARS:
        return f"must be at most {MAX_NAME_CHARS} characters, got {len(name)}"
    if (problem := text_problem(name, MAX_NAME_CHARS)) is not None:
        return problem
    windows = PureWindowsPath(name)
    if PurePosixPath(name).is_absolute() or windows.is_absolute() or windows.drive:
        return f"must be a file inside the level folder, not an absolute path ({show(name)})"
    if ".." in windows.parts:  # splits on both / and \
        return f"must not climb out of the level folder with '..' ({show(name)})"
    if required_file and _plain_file(folder, name):
        return None  # the common case, without resolving every folder above it
    try:
        root = folder.resolve(strict=True)
        target = (folder / name).resolve()
    except (OSError, RuntimeError) as exc:  # a symlink loop, a vanished folder
        return f"cannot be followed ({one_line(str(exc))})"
    if target == root or not target.is_relative_to(root):
        return f"{show(name)} leads outside the level folder (a symlink?)"
    if required_file and not target.is_file():
        return f"file {show(name)} not found in the level folder"
    return None


def _plain_file(folder: Path, name: str) -> bool:
    """`name` is a regular file right in `folder`, not a symlink: inside it by construction."""
    if "/" in name or "\\" in name or name in (".", ".."):
        return False
    try:
        return stat.S_ISREG(os.lstat(folder / name).st_mode)
    except (OSError, ValueError):
        return False


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of `path`; ValueError if there are more than `limit` (read no further)."""
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"larger than the {size_text(limit)} limit")
    return data


def pose_archive_problems(path: Path) -> list[tuple[str, str]]:
    """(field, message) for every reason not to unpack the pose archive at `path`: too big
    as stored, too many arrays, arrays whose .npy header declares more data than the
    member holds or than the limits allow, or that compress suspiciously well. Only the
    zip directory and each array's header are read."""
    size = path.stat().st_size
    if size > MAX_POSE_FILE_BYTES:
        limit = size_text(MAX_POSE_FILE_BYTES)
        return [("file", f"{size_text(size)} is over the {limit} limit")]
    if not zipfile.is_zipfile(path):
        return [("file", "not a readable .npz of numpy arrays (not a zip archive)")]
    problems: list[tuple[str, str]] = []
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
        if len(infos) > MAX_POSE_MEMBERS:
            return [("file", f"holds {len(infos)} arrays, at most {MAX_POSE_MEMBERS} allowed")]
        total = sum(info.file_size for info in infos)
        if total > MAX_POSE_BYTES:
            limit = size_text(MAX_POSE_BYTES)
            return [("file", f"unpacks to {size_text(total)}, over the {limit} limit")]
        for info in infos:
            name = info.filename.removesuffix(".npy")
            field = name if text_problem(name, 40) is None and name else "file"
            if problem := _member_problem(archive, info):
                problems.append((field, problem))
    return problems


def unpacked_bytes(path: Path) -> int:
    """What a zip archive unpacks to, from its directory alone (0 if it is not a zip)."""
    if not zipfile.is_zipfile(path):
        return 0
    with zipfile.ZipFile(path) as archive:
        return sum(info.file_size for info in archive.infolist())


def _member_problem(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    if info.is_dir() or not info.filename.endswith(".npy"):
        return f"{show(info.filename)} is not a .npy array"
    packed = max(info.compress_size, 1)
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size / packed > MAX_RATIO:
        return (
            f"packed {info.compress_size} bytes unpack to {info.file_size} "
            f"(over {MAX_RATIO:g} times: refused as a zip bomb)"
        )
    with archive.open(info) as member:
        version = npy_format.read_magic(member)
        if version == (1, 0):
            shape, _fortran, dtype = npy_format.read_array_header_1_0(member, MAX_NPY_HEADER)
        elif version == (2, 0):
            shape, _fortran, dtype = npy_format.read_array_header_2_0(member, MAX_NPY_HEADER)
        else:
            return f"unsupported .npy format version {version}"
        header = member.tell()
    if dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
        return f"must be a plain numeric array, got dtype {show(str(dtype))}"
    if len(shape) > 4 or any(not isinstance(n, int) or n < 0 for n in shape):
        return f"declares an unusable shape {show(shape)}"
    if shape and shape[0] > MAX_FRAMES:
        return f"declares {shape[0]} frames, at most {MAX_FRAMES} allowed"
    declared = math.prod(shape) * dtype.itemsize
    if header + declared != info.file_size:
        return (
            f"header declares shape {show(shape)} of {dtype} ({declared} bytes) but the "
            f"archive holds {info.file_size - header} bytes for it"
        )
    return None


def npz_arrays(path: Path) -> dict[str, np.ndarray]:
    """Every array in the (already checked) archive; never unpickles."""
    with np.load(path, allow_pickle=False) as npz:
        return {k: npz[k] for k in npz.files}
