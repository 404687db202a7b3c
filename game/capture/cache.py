"""Pose tracks of video files, cached on disk so a video is tracked only once: a single
dancer's track (`cached_video_track`: `cover-dance score`, import, calibration) and every
dancer of a group video (`cached_group_tracks`: `import --dancers`, group levels).

One cache root (`game.config.cache_root`: $COVER_DANCE_CACHE, else the cache of
COVER_DANCE_HOME, else the user cache folder) with a folder per kind (`poses/`, `groups/`),
and one key: the file's content hash, size and mtime plus what the `TrackRequest` asks (frame
step and the pose model's identity: a track made with one model is never served for another)
and, for a group, the tracker's settings. Entries
are `.npz` files of plain arrays, written atomically and read back without unpickling; a
damaged entry is tracked again.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from pathlib import Path

from game.atomic import atomic_write_bytes
from game.capture.group.result import GroupTracks
from game.capture.request import TrackRequest
from game.config import cache_root
from game.level.loader import LevelError, load_pose_track
from game.level.writer import save_pose_track
from game.pose.frame import PoseTrack

CACHE_VERSION = 2  # 2: the key holds the pose model's identity
Progress = Callable[[float], None]


def default_cache_dir() -> Path:
    """Where single dancers' tracks go: `poses/` under the cache root."""
    return cache_root() / "poses"


def group_cache_dir() -> Path:
    """Where group tracks go (and the group tracker's models and contact sheets): `groups/`."""
    return cache_root() / "groups"


def file_key(path: Path, extra: str = "") -> str:
    """A hex key from the file's SHA-256, size, mtime and `extra`."""
    stat = path.stat()
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    digest.update(f"|{stat.st_size}|{stat.st_mtime_ns}|{extra}|v{CACHE_VERSION}".encode())
    return digest.hexdigest()[:32]


def _entry(folder: Path, path: Path, key: str) -> Path:
    return folder / f"{path.stem[:40]}-{key}.npz"


def cached_video_track(
    request: TrackRequest,
    on_progress: Progress | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> PoseTrack:
    """The dancer's PoseTrack of the request's video, as it asks (frame step, pose model)."""
    from game.capture.track import track_video

    path = request.video
    entry = _entry(cache_dir or default_cache_dir(), path, file_key(path, request.cache_text()))
    if use_cache and entry.is_file():
        try:
            track = load_pose_track(entry)
            if on_progress:
                on_progress(1.0)
            return track
        except LevelError:
            entry.unlink(missing_ok=True)  # a damaged entry: track again
    track = track_video(request, on_progress=on_progress)
    if use_cache and len(track) >= 2:
        with contextlib.suppress(OSError):  # a read-only cache is no reason to fail
            save_pose_track(entry, track)
    return track


def group_cache_entry(request: TrackRequest, cache_dir: Path | None = None) -> Path:
    from game.capture.group.runner import settings_text
    from game.capture.group.tracker import TrackerSettings

    settings = settings_text(TrackerSettings(), request.every)
    key = file_key(request.video, f"group;{request.model};{settings}")
    return _entry(cache_dir or group_cache_dir(), request.video, key)


def cached_group_tracks(
    request: TrackRequest,
    on_progress: Progress | None = None,
    cache_dir: Path | None = None,
    use_cache: bool = True,
) -> tuple[GroupTracks, bool]:
    """(every dancer of the request's whole video, whether it came from the cache)."""
    from game.capture.group.runner import track_group

    folder = cache_dir or group_cache_dir()
    entry = group_cache_entry(request, folder)
    if use_cache and entry.is_file():
        try:
            group = GroupTracks.from_bytes(entry.read_bytes())
            if on_progress:
                on_progress(1.0)
            return group, True
        except (OSError, ValueError):
            entry.unlink(missing_ok=True)  # damaged: track again
    group = track_group(request, on_progress)
    if use_cache:
        with contextlib.suppress(OSError):  # a read-only cache is no reason to fail
            entry.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(entry, group.to_bytes())
    return group, False
