"""The `[[members]]` of a group level's level.toml: each member's name and pose file.

Untrusted like the rest of the folder: a bounded count, printable names, paths inside the
folder, and a bound on all the members' pose files together (each is also checked alone).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from game.level.model import MAX_MEMBERS, POSE_FILE
from game.level.untrusted import (
    MAX_POSE_BYTES,
    MAX_POSE_FILE_BYTES,
    path_problem,
    show,
    size_text,
    text_problem,
    unpacked_bytes,
)

NAME_LIMIT = 60


def _same_file(folder: Path, pose: str, taken: list[str]) -> bool:
    """`pose` names a file another member already has (`./pose.npz` is `pose.npz`)."""
    resolved = (folder / pose).resolve()
    return any((folder / other).resolve() == resolved for other in taken)


def parse_members(
    raw: Any, folder: Path, add: Callable[[str, str], None]
) -> tuple[tuple[str, str], ...] | None:
    """`[[members]]` of a group level: 2 to MAX_MEMBERS tables of `name` and `pose` (a file in
    the folder, the first one pose.npz); None (with problems) if any is bad."""
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_MEMBERS:
        got = f"{len(raw)} entries" if isinstance(raw, list) else type(raw).__name__
        add("members", f"must be a list of 2 to {MAX_MEMBERS} members, got {got}")
        return None
    out: list[tuple[str, str]] = []
    for i, entry in enumerate(raw):
        where = f"members[{i}]"
        if not isinstance(entry, dict) or set(entry) != {"name", "pose"}:
            add(where, f"must be a table of name and pose, got {show(entry)}")
            return None
        name, pose = entry["name"], entry["pose"]
        if not isinstance(name, str) or (bad := text_problem(name, NAME_LIMIT, True)):
            add(f"{where}.name", bad if isinstance(name, str) else "must be text")
            return None
        if not isinstance(pose, str) or (bad := path_problem(folder, pose)):
            add(f"{where}.pose", bad if isinstance(pose, str) else "must be a file name")
            return None
        if (i == 0) != (pose == POSE_FILE) or _same_file(folder, pose, [p for _, p in out]):
            rule = "must be pose.npz" if i == 0 else "must be a file of its own, not pose.npz"
            add(f"{where}.pose", f"{rule}, got {show(pose)}")
            return None
        out.append((name, pose))
    stored = sum((folder / pose).stat().st_size for _, pose in out)
    unpacked = sum(unpacked_bytes(folder / pose) for _, pose in out)
    if stored > MAX_POSE_FILE_BYTES or unpacked > MAX_POSE_BYTES:
        add("members", f"pose files of {size_text(stored)} unpacking to "
                     f"{size_text(unpacked)}: over the {size_text(MAX_POSE_FILE_BYTES)} / "
                     f"{size_text(MAX_POSE_BYTES)} limits")  # fmt: skip
        return None
    return tuple(out)
