"""Pose tracks of video files, cached on disk so a video is tracked only once.

The key is the file's content hash, size and mtime plus the tracking settings; entries
are `.npz` files written atomically and read back without unpickling.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from pathlib import Path

from game.config import cache_root
from game.level.loader import LevelError, load_pose_track
from game.level.writer import save_pose_track
from game.pose.frame import PoseTrack

CACHE_VERSION = 1
Progress = Callable[[float], None]


def default_cache_dir() -> Path:
    """The cache root (`game.config.cache_root`) plus `poses/`."""
    return cache_root() / "poses"


def file_key(path: Path, extra: str = "") -> str:
    """A hex key from the file's SHA-256, size, mtime and `extra`."""
    stat = path.stat()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    digest.update(f"|{stat.st_size}|{stat.st_mtime_ns}|{extra}|v{CACHE_VERSION}".encode())
    return digest.hexdigest()[:32]


def cached_video_track(
    path: Path,
    fps: float | None = 15.0,
    on_progress: Progress | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> PoseTrack:
    """The dancer's PoseTrack of a video, at about `fps` frames a second (None: every frame)."""
    from game.capture.track import track_video
    from game.capture.video import probe_video

    path = Path(path)
    info = probe_video(path)  # clear error for a missing file or a non-video
    every = 1 if not fps or info.fps <= fps * 1.25 else max(1, round(info.fps / fps))
    folder = cache_dir or default_cache_dir()
    entry = folder / f"{path.stem[:40]}-{file_key(path, f'every={every}')}.npz"
    if use_cache and entry.is_file():
        try:
            track = load_pose_track(entry)
            if on_progress:
                on_progress(1.0)
            return track
        except LevelError:
            entry.unlink(missing_ok=True)  # a damaged entry: track again
    track = track_video(path, on_progress=on_progress, every=every)
    if use_cache and len(track) >= 2:
        with contextlib.suppress(OSError):  # a read-only cache is no reason to fail
            save_pose_track(entry, track)
    return track
