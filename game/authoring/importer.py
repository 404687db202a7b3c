"""Import a dance video as a level: pose track, OGG audio, beat grid, and the video itself.

All times in the level start at the import's `start`: pose times, audio and the copied
video (a trimmed import transcodes the kept span with PyAV; an untrimmed one copies the
file as it is), so the game can show the real dancer in step with the music.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from game.audio.beats import ANALYSIS_RATE, track_tempo
from game.audio.extract import Audio, NoAudioError, decode_audio, ogg_bytes
from game.audio.ogg import OggEncodeError
from game.errors import UserError
from game.leftovers import scratch_folder
from game.level.manifest import MAX_DURATION_S, TEXT_LIMITS
from game.level.model import LEVEL_FILE, POSE_FILE, LevelMeta
from game.level.untrusted import show, text_problem
from game.level.writer import LevelExistsError, check_writable, pose_track_bytes, write_level
from game.pose.frame import PoseTrack

if TYPE_CHECKING:  # the capture adapters load when a video is imported, not before
    from game.capture.request import TrackRequest

MIN_SEEN_SHARE = 0.5  # a dancer must be found in at least this share of frames
NO_DANCER_SEARCH_S = 120.0  # nobody in this much video: give up (a title card is shorter)
BEATS_PER_WINDOW = 2.0
# Imported levels are judged on limb directions: of the angle sets, they tell a real cover
# from a wrong dance best (`cover-dance calibrate`, README "How a window is judged").
IMPORT_ANGLE_SET = "directions"
AUDIO_FILE = "audio.ogg"
VIDEO_FILE = "video.mp4"

Stage = Callable[[str, float], None]


@dataclass(frozen=True)
class ImportOptions:
    start: float = 0.0
    end: float | None = None
    title: str | None = None
    artist: str = ""
    bpm: float | None = None
    offset: float | None = None
    keep_video: bool = True
    force: bool = False
    fps: float | None = None  # pose frames a second (None: every video frame)
    angle_set: str = IMPORT_ANGLE_SET
    dancer: int | None = None  # the group video's member followed (`--dancer N`), if any


@dataclass(frozen=True)
class ImportResult:
    folder: Path
    meta: LevelMeta
    frames: int
    frames_seen: int
    windows: int
    bpm_source: str  # "beat tracking" or "given"
    member_shares: tuple[float, ...] = ()  # a group level: the share each member is seen in

    @property
    def seen_share(self) -> float:
        return self.frames_seen / max(self.frames, 1)


def slug(text: str) -> str:
    """A folder name from a title: lower case, ASCII letters, digits and dashes."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned or "level"


def default_levels_dir() -> Path:
    from game.level.library import user_levels_dir

    return user_levels_dir()


def click_track(bpm: float, offset: float, duration: float, rate: int = 44100) -> Audio:
    """A quiet metronome (for a video without sound): a short click on every beat."""
    samples = np.zeros(max(1, round(duration * rate)), np.float32)
    click = (0.3 * np.sin(2 * np.pi * 1000 * np.arange(int(0.03 * rate)) / rate)).astype(np.float32)
    click *= np.linspace(1.0, 0.0, click.size, dtype=np.float32)
    for t in np.arange(offset, duration, 60.0 / bpm):
        i = round(t * rate)
        part = samples[i : i + click.size]
        part += click[: part.size]
    return Audio(samples[:, None], rate)


def check_span(
    video: Path, start: float, end: float | None, video_s: float, offset: float | None = None
) -> None:
    """The kept span (`end` None: to the end of the video; an `end` past it stops there)
    must be over a second long and within a level's length limit, and the first beat
    (`offset`, after `start`) inside it; one line naming what is wrong, before any work."""
    if end is not None and end <= start + 1.0:
        raise UserError(f"--end ({end:g} s) must be more than a second after --start ({start:g} s)")
    if 0 < video_s <= start + 1.0:  # an --end past the video's end stops there
        raise UserError(f"{video}: only {video_s:.2f} s long; a level needs more than a second "
                        f"of it after --start ({start:g} s)")  # fmt: skip
    stop = end if end is not None else video_s
    if stop - start > MAX_DURATION_S:
        raise UserError(
            f"{video}: {stop - start:.0f} s from --start to the end; a level holds at most "
            f"{MAX_DURATION_S:.0f} s (choose a part with --start and --end)"
        )
    kept = min(stop, video_s) - start if video_s > 0 else stop - start
    if offset is not None and offset >= kept:
        raise UserError(f"--offset {offset:g}: the first beat must come within the "
                        f"{kept:.2f} s kept after --start")  # fmt: skip


def check_text(video: Path, options: ImportOptions) -> None:
    """The title (given, or the file name's) and the artist must be printable lines of
    text within a level's limits; one line naming the option, before any work."""
    if options.title is not None:
        if problem := text_problem(options.title, TEXT_LIMITS["title"], required=True):
            raise UserError(f"--title {show(options.title)}: {problem}")
    elif problem := text_problem(video.stem.replace("_", " "), TEXT_LIMITS["title"], True):
        raise UserError(f"{video}: the file name cannot be the title ({problem}): give --title")
    if problem := text_problem(options.artist, TEXT_LIMITS["artist"]):
        raise UserError(f"--artist {show(options.artist)}: {problem}")


def check_destination(video: Path, dest: Path | None, options: ImportOptions) -> Path:
    """The level folder to write (default: the title's in the player's levels folder);
    UserError, before any work, if it exists (without --force, or is not a level folder
    to replace) or no folder can be made there."""
    title = options.title or video.stem.replace("_", " ")
    dest = Path(dest) if dest else default_levels_dir() / slug(title)
    if dest.exists() and not options.force:
        raise UserError(f"{dest}: already exists (use --force to replace it)")
    if dest.exists() and not (dest / LEVEL_FILE).is_file():
        raise UserError(f"{dest}: exists and is not a level folder; --force only replaces one")
    try:
        check_writable(dest)
    except OSError as exc:
        raise UserError(f"{dest}: cannot write the level there ({exc})") from None
    return dest


def _tempo(
    video: Path,
    options: ImportOptions,
    span: tuple[float, float | None],
    has_audio: bool,
    stage: Stage | None,
) -> tuple[float, float, str]:
    """(bpm, first beat, where the bpm came from): as given, else by beat tracking."""
    if options.bpm is not None and (options.offset is not None or not has_audio):
        return options.bpm, options.offset or 0.0, "given"
    if stage:
        stage("finding the beat", 0.0)
    mono = decode_audio(video, rate=ANALYSIS_RATE, mono=True, start=span[0], end=span[1]).mono()
    tempo = track_tempo(mono)
    if tempo is None and options.bpm is None:
        raise UserError(f"{video}: no steady beat found in the music: give --bpm and --offset")
    bpm = options.bpm if options.bpm is not None else tempo.bpm  # type: ignore[union-attr]
    offset = options.offset if options.offset is not None else (tempo.offset if tempo else 0.0)
    return bpm, offset, "given" if options.bpm is not None else "beat tracking"


@dataclass(frozen=True)
class ImportPlan:
    """An import checked before any work (`plan_import`): the video to track (probed once),
    the options and the level folder it goes to."""

    request: TrackRequest
    options: ImportOptions
    dest: Path


def plan_import(request: TrackRequest, dest: Path | None, options: ImportOptions) -> ImportPlan:
    """Check the span, the title and artist and the level folder (default: the title's in
    the player's levels folder): one line naming what is wrong, before any work."""
    video = request.video
    check_span(video, max(0.0, options.start), options.end, request.info.duration, options.offset)
    check_text(video, options)
    return ImportPlan(request, options, check_destination(video, dest, options))


def import_video(
    plan: ImportPlan,
    stage: Stage | None = None,
    dancer: PoseTrack | None = None,
    others: Sequence[PoseTrack] = (),
) -> ImportResult:
    """Import the planned video into its level folder.

    `dancer`: the pose track to follow (a group video's member), instead of tracking the
    one dancer of the video. `others`: the other members of a group video, for a group
    level holding every member's part (`dancer` is member 1).
    """
    video, info, options, dest = plan.request.video, plan.request.info, plan.options, plan.dest
    start = max(0.0, options.start)
    end = options.end if options.end is not None else (info.duration or None)
    title = options.title or video.stem.replace("_", " ")

    try:
        audio: Audio | None = decode_audio(video, start=start, end=end)
    except NoAudioError:
        if options.bpm is None:
            raise UserError(
                f"{video}: has no audio track, so the beat cannot be found: give --bpm "
                "(and --offset, the first beat in seconds)"
            ) from None
        audio = None

    trimmed = start > 0 or (options.end is not None and options.end < info.duration - 0.05)
    with (
        scratch_folder("import") as scratch,
        ThreadPoolExecutor(max_workers=1) as pool,
    ):
        clip = Path(scratch) / VIDEO_FILE
        # the trimmed video is cut on the second core while the poses are tracked
        cutting = (
            pool.submit(transcode_span, video, clip, start, end)
            if options.keep_video and trimmed
            else None
        )
        try:
            track = (
                dancer.slice_time(start, np.inf if end is None else end)
                if dancer is not None
                else _track_dancer(plan.request, stage, start, end)
            )
            seen = track.visibility.max(axis=1) > 0 if len(track) else np.zeros(0, bool)
            if len(track) < 2 or seen.mean() < MIN_SEEN_SHARE:
                share = float(seen.mean()) if len(track) else 0.0
                raise UserError(f"{video}: no dancer found in most frames (found in {share:.0%})")
            track = track.shifted(-start)
            parts = [t.slice_time(start, np.inf if end is None else end).shifted(-start)
                     for t in others]  # fmt: skip
            duration = (end - start) if end is not None else float(track.times[-1])
            if audio is not None:
                duration = min(duration, audio.duration) if audio.duration > 1.0 else duration

            bpm, offset, bpm_source = _tempo(video, options, (start, end), audio is not None, stage)
            # the pose track must reach the song's last window
            duration = min(duration, float(track.times[-1]) + 0.25)
            if audio is None:
                audio = click_track(bpm, offset, duration)

            meta = LevelMeta(
                title=title,
                artist=options.artist,
                credit=f"imported from {video.name}",
                audio=AUDIO_FILE,
                bpm=float(bpm),
                offset=float(offset),
                beats_per_window=BEATS_PER_WINDOW,
                duration=float(duration),
                video=VIDEO_FILE if options.keep_video else None,
                angle_set=options.angle_set,
                members=member_files(len(parts) + 1) if parts else (),
                dancer=options.dancer,
            )
            from game.timing.beat_grid import BeatGrid

            grid = BeatGrid.fitting(meta.bpm, meta.offset, meta.beats_per_window, meta.duration)
            if grid.window_count == 0:
                raise UserError(f"{video}: too short for a single {BEATS_PER_WINDOW:g}-beat window")
            if stage:
                stage("writing the level", 0.5)
            try:
                files: dict[str, Path | bytes] = {AUDIO_FILE: ogg_bytes(audio)}
            except OggEncodeError as exc:  # nothing is written yet: no half-made level
                raise UserError(f"{video}: {exc}") from None
            for (_, name), part in zip(meta.members[1:], parts, strict=True):
                files[name] = pose_track_bytes(part)
            if options.keep_video:
                files[VIDEO_FILE] = video
                if cutting is not None:
                    cutting.result()  # re-raises a failed cut
                    files[VIDEO_FILE] = clip
            try:
                folder = write_level(dest, meta, track, files, force=options.force)
            except LevelExistsError as exc:
                raise UserError(str(exc)) from None
            except OSError as exc:  # the disk filled up, or the folder went read-only
                raise UserError(f"{dest}: could not write the level ({exc})") from None
            if stage:
                stage("writing the level", 1.0)
        except BaseException:
            if cutting is not None:
                cutting.cancel()
            raise
    shares = tuple(_seen_share(t) for t in [track, *parts]) if parts else ()
    return ImportResult(folder, meta, len(track), int(seen.sum()), grid.window_count, bpm_source,
                        shares)  # fmt: skip


def _seen_share(track: PoseTrack) -> float:
    return float((track.visibility.max(axis=1) > 0).mean()) if len(track) else 0.0


def _track_dancer(
    request: TrackRequest, stage: Stage | None, start: float, end: float | None
) -> PoseTrack:
    """The one dancer of the video; gives up (one line) after NO_DANCER_SEARCH_S of nobody."""
    from game.capture.track import NoDancerError, track_video

    try:
        return track_video(
            request,
            on_progress=(lambda f: stage("tracking poses", f)) if stage else None,
            start=start or None,
            end=end,
            give_up_s=NO_DANCER_SEARCH_S,
        )
    except NoDancerError as exc:
        raise UserError(
            f"{request.video}: {exc} (if the dancing starts later, give --start)"
        ) from None


def member_files(count: int) -> tuple[tuple[str, str], ...]:
    """(name, pose file) of each member of a group level: dancer 1 is pose.npz."""
    return tuple(
        (f"dancer {k}", POSE_FILE if k == 1 else f"pose-dancer-{k}.npz")
        for k in range(1, count + 1)
    )


def transcode_span(source: Path, target: Path, start: float, end: float | None) -> None:
    """Cut the kept span of the video (see game.authoring.clip)."""
    from game.authoring.clip import transcode_span as cut

    cut(source, target, start, end)
