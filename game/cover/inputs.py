"""The two sides of a cover score: a reference (level or video) and a cover (video or track)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from game.errors import UserError
from game.level.loader import LevelError, load_level, load_pose_track
from game.level.model import LEVEL_FILE
from game.pose.frame import PoseTrack
from game.pose.skeleton import DIRECTION_ANGLES, AngleSpec
from game.timing.beat_grid import BeatGrid

# Covers are judged on limb directions (and facing): with the seed's joint angles, any two
# standing dancers agree so often by chance that a cover hardly stands out from an unrelated
# dance (see README, "Scoring a cover").
COVER_ANGLES = DIRECTION_ANGLES
COVER_TOLERANCES = np.array([s.tolerance_deg for s in COVER_ANGLES], np.float32)
TRACK_SUFFIXES = (".npz",)
DEFAULT_BPM = 120.0
BEATS_PER_WINDOW = 2.0
MIN_SEEN_SHARE = 0.1  # below this share of frames with a dancer: "no dancer found"

Stage = Callable[[str, float], None]  # (what, fraction done)


@dataclass(frozen=True)
class Subject:
    """One side: its pose track, and its music's onset envelope when it has audio."""

    path: Path
    track: PoseTrack
    envelope: np.ndarray | None
    is_video: bool

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def seen(self) -> np.ndarray:
        """Per frame: was a dancer found?"""
        return self.track.visibility.max(axis=1) > 0

    @property
    def dance_span(self) -> tuple[float, float]:
        """First and last time a dancer was found."""
        times = self.track.times[self.seen]
        return (float(times[0]), float(times[-1])) if times.size else (0.0, 0.0)


@dataclass(frozen=True)
class Reference(Subject):
    grid: BeatGrid
    specs: tuple[AngleSpec, ...]
    tolerances: np.ndarray
    bpm_source: str  # "level", "beat tracking" or "default"


def music_envelope(path: Path) -> np.ndarray | None:
    """The onset envelope of `path`'s sound (ENVELOPE_RATE), or None: no sound, or too
    little of it to line anything up by."""
    from game.audio.beats import ANALYSIS_RATE, onset_envelope
    from game.audio.extract import NoAudioError, decode_audio

    try:
        audio = decode_audio(path, rate=ANALYSIS_RATE, mono=True)
    except NoAudioError:
        return None
    except UserError:
        return None  # undecodable audio: align from the movement alone
    return onset_envelope(audio.mono()) if audio.duration > 1.0 else None


def _check_dancer(path: Path, track: PoseTrack) -> None:
    if len(track) < 2:
        raise UserError(f"{path}: no frames could be read")
    share = float((track.visibility.max(axis=1) > 0).mean())
    if share < MIN_SEEN_SHARE:
        raise UserError(f"{path}: no dancer found (a person was seen in {share:.0%} of the frames)")


def _video_track(path: Path, what: str, stage: Stage | None, fps: float | None) -> PoseTrack:
    from game.capture.cache import cached_video_track
    from game.capture.request import TrackRequest

    def progress(fraction: float) -> None:
        if stage:
            stage(f"tracking {what} {path.name}", fraction)

    return cached_video_track(TrackRequest.of(path, fps), on_progress=progress)


def _check_cover_file(path: Path) -> None:
    """The one-line error for a cover that is not there or is a folder."""
    if not path.exists():
        raise UserError(f"{path}: file not found")
    if path.is_dir():
        raise UserError(f"{path}: the cover must be a video or a pose track (.npz), not a folder")


def check_cover(path: Path) -> None:
    """The one-line error for a cover that is not there, a folder or not a video, before
    any work (a reference is not tracked for a cover that cannot be scored)."""
    path = Path(path)
    _check_cover_file(path)
    if path.suffix.lower() not in TRACK_SUFFIXES:
        from game.capture.request import TrackRequest

        TrackRequest.of(path)  # probed: one line if it is not a video


def load_cover(path: Path, stage: Stage | None = None, fps: float | None = 15.0) -> Subject:
    """A cover: a video (tracked, cached; probed by its track request) or a recorded pose
    track (.npz)."""
    path = Path(path)
    _check_cover_file(path)
    if path.suffix.lower() in TRACK_SUFFIXES:
        try:
            track = load_pose_track(path)
        except LevelError as exc:
            raise UserError(exc.problems[0]) from None
        _check_dancer(path, track)
        return Subject(path, track, None, is_video=False)
    track = _video_track(path, "cover", stage, fps)
    _check_dancer(path, track)
    return Subject(path, track, music_envelope(path), is_video=True)


def level_path(path: Path) -> Path:
    """`path` if it exists, else the folder of the level it names (as `play --level NAME`
    takes it: folder name or title); UserError if it is neither."""
    if path.exists():
        return path
    from game.level.library import find_level

    entry = find_level(str(path)) if len(path.parts) == 1 else None
    if entry is None:
        raise UserError(f"{path}: not found (no such file, level folder or level name; "
                        "`cover-dance levels` lists the levels)")  # fmt: skip
    return entry.path


def check_reference(path: Path) -> Path:
    """The reference's file or level folder (a level may be named as `play --level` takes
    it), with a one-line error for one that is not there or not a level, before any work."""
    path = level_path(Path(path))
    if path.is_dir() and not (path / LEVEL_FILE).is_file():
        raise UserError(f"{path}: not a level folder (no {LEVEL_FILE})")
    return path


def load_reference(path: Path, stage: Stage | None = None, fps: float | None = 15.0) -> Reference:
    """A reference: a level folder (its grid and tolerances) or a video (beat tracked)."""
    path = check_reference(Path(path))
    if path.is_dir():
        try:
            level = load_level(path)
        except LevelError as exc:
            raise UserError(exc.problems[0]) from None
        return Reference(
            path, level.pose, music_envelope(level.audio_path), False,
            level.grid, COVER_ANGLES, COVER_TOLERANCES, "level",
        )  # fmt: skip
    if path.suffix.lower() in TRACK_SUFFIXES:
        cover = load_cover(path)
        track, envelope, is_video = cover.track, None, False
    else:
        track = _video_track(path, "reference", stage, fps)
        _check_dancer(path, track)
        envelope, is_video = music_envelope(path), True
    grid, source = _grid_for(path if is_video else None, track)
    return Reference(path, track, envelope, is_video, grid, COVER_ANGLES, COVER_TOLERANCES, source)


def _grid_for(video: Path | None, track: PoseTrack) -> tuple[BeatGrid, str]:
    """Beat windows over the reference's dance, from its music's tempo when it has music."""
    from game.audio.beats import ANALYSIS_RATE, track_tempo
    from game.audio.extract import decode_audio

    seen_times = track.times[track.visibility.max(axis=1) > 0]
    end = float(seen_times[-1]) if seen_times.size else track.duration
    tempo = None
    if video is not None:
        try:
            tempo = track_tempo(decode_audio(video, rate=ANALYSIS_RATE, mono=True).mono())
        except UserError:
            tempo = None
    if tempo is not None:
        return BeatGrid.fitting(tempo.bpm, tempo.offset, BEATS_PER_WINDOW, end), "beat tracking"
    start = float(seen_times[0]) if seen_times.size else 0.0
    return BeatGrid.fitting(DEFAULT_BPM, start, BEATS_PER_WINDOW, end), "default"
