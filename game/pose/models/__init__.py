"""The pose models shipped with the game, and how a model file is named in cache keys.

`blazepose_full.task`: the BlazePose Full landmarker (Google, Apache-2.0; LICENSE and NOTICE
beside it) as a MediaPipe Tasks bundle, built by `scripts/build_pose_model.py`.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

BLAZEPOSE_FULL = Path(__file__).resolve().parent / "blazepose_full.task"


@functools.lru_cache(maxsize=8)
def _digest(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


def model_identity(path: Path) -> str:
    """`name@sha256-prefix` of a model file: what a pose cache key holds, so a track made with
    one model is never served for another ("missing" when the file is not there)."""
    path = Path(path).resolve()
    try:
        stat = path.stat()
    except OSError:
        return f"{path.name}@missing"
    return f"{path.name}@{_digest(path, stat.st_size, stat.st_mtime_ns)}"
