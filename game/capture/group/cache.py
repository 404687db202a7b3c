"""Group tracks of a video, computed once and cached: picking another member is quick.

Keyed like the pose cache (game.cover.cache): the file's content hash plus the tracking
settings. Entries are `.npz` files of plain arrays with a JSON header, written atomically
and read back with allow_pickle=False.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from game.atomic import atomic_write_bytes
from game.capture.group.result import GroupTracks
from game.config import cache_root

Progress = Callable[[float], None]


def group_cache_dir() -> Path:
    """The cache root (`game.config.cache_root`) plus `groups/`."""
    return cache_root() / "groups"


def every_for(video_fps: float, fps: float | None) -> int:
    """Track every n-th frame to reach about `fps` frames a second (None: every frame)."""
    if not fps or video_fps <= fps * 1.25:
        return 1
    return max(1, round(video_fps / fps))


def cache_entry(path: Path, every: int, cache_dir: Path | None = None) -> Path:
    from game.capture.group.runner import settings_text
    from game.capture.group.tracker import TrackerSettings
    from game.cover.cache import file_key

    key = file_key(path, "group;" + settings_text(TrackerSettings(), every))
    return (cache_dir or group_cache_dir()) / f"{path.stem[:40]}-{key}.npz"


def cached_group_tracks(
    path: Path | str,
    fps: float | None = None,
    on_progress: Progress | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> tuple[GroupTracks, bool]:
    """(every dancer of the whole video, whether it came from the cache)."""
    from game.capture.group.runner import track_group
    from game.capture.video import probe_video

    path = Path(path)
    info = probe_video(path)  # one line for a missing file or a non-video
    every = every_for(info.fps, fps)
    folder = cache_dir or group_cache_dir()
    entry = cache_entry(path, every, folder)
    if use_cache and entry.is_file():
        try:
            group = GroupTracks.from_bytes(entry.read_bytes())
            if on_progress:
                on_progress(1.0)
            return group, True
        except (OSError, ValueError):
            entry.unlink(missing_ok=True)  # damaged: track again
    group = track_group(path, folder / "models", on_progress, every)
    if use_cache:
        with contextlib.suppress(OSError):  # a read-only cache is no reason to fail
            entry.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(entry, group.to_bytes())
    return group, False
