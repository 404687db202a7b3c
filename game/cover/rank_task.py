"""One cover of an audition, scored exactly as `cover-dance score` scores it (`score_against`):
the task `rank` runs in a worker process or as a Ray task. Whatever goes wrong with a cover
(not a video, nobody in it, too slow) becomes that cover's row's one-line error."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from game.cover.export import rounded, weakest_joints
from game.cover.inputs import Reference, load_cover
from game.cover.run import CoverResult, score_against
from game.errors import UserError
from game.scoring.rules import DEFAULT_DIFFICULTY
from game.time_limit import time_limit

STILL_HEIGHT = 180  # pixels: the leaderboard's picture of each cover
POLL_S = 0.5  # how often an engine looks at its tasks
GRACE_S = 10.0  # past its time limit and this, a task is taken as stuck and its worker ended
_warm = False  # this process has run the music analysis once (load_libraries)


@dataclass(frozen=True)
class RankSettings:
    """How every cover is judged (as `score`'s options) and what each task brings back."""

    fps: float | None = 15.0
    use_dtw: bool = True
    mirror: str = "auto"
    difficulty: str = DEFAULT_DIFFICULTY
    timeout_s: float | None = None
    with_report: bool = False  # also the cover's own HTML report and a still (for --report)


@dataclass(frozen=True)
class CoverRow:
    """One cover's result; `score` is None and `error` says why when it could not be scored."""

    cover: str  # as given on the command line
    score: float | None = None
    grade: str | None = None
    accuracy: float | None = None
    offset_s: float | None = None
    mirrored: bool | None = None
    weak_joint: str | None = None
    error: str | None = None
    seconds: float = 0.0
    report_html: str | None = None
    still_jpeg: bytes | None = None


class CoverTimeout(BaseException):
    """Raised inside a task at its time limit (a BaseException, so no `except Exception` in
    the decoding or tracking code swallows it)."""


OnRow = Callable[["CoverRow"], None]


def stuck_after(timeout_s: float | None, start_up_s: float = 0.0) -> float | None:
    """Both engines' rule: seconds after a task started on its cover (plus `start_up_s`,
    where an engine sees only when the task was sent) past which it is stuck where its own
    time limit cannot reach (native code), and its worker is ended. None: no limit."""
    return timeout_s + GRACE_S + start_up_s if timeout_s else None


def timeout_text(cover: str, seconds: float) -> str:
    return f"{cover}: timed out after {seconds:g} s"


def one_line(text: str) -> str:
    return " ".join(text.split()) or "failed"


def row_of(result: CoverResult, cover: str) -> CoverRow:
    """The leaderboard's fields of a scored cover (rounded as `score --json` rounds them)."""
    weakest = weakest_joints(result.summary, most=1)
    return CoverRow(
        cover=cover,
        score=result.summary.score,
        grade=result.summary.grade,
        accuracy=result.summary.accuracy,
        offset_s=rounded(result.alignment.offset_s),
        mirrored=result.alignment.mirrored,
        weak_joint=weakest[0].name if weakest else None,
    )


def cover_still(result: CoverResult) -> bytes | None:
    """A JPEG of the cover video halfway through its dance (None for a pose track)."""
    if not result.cover.is_video:
        return None
    import cv2

    from game.capture.video import iter_video

    start, end = result.cover.dance_span
    with contextlib.closing(iter_video(result.cover.path, start=(start + end) / 2)) as frames:
        frame = next(frames, None)
    if frame is None:
        return None
    image = frame.image
    width = max(1, round(image.shape[1] * STILL_HEIGHT / image.shape[0]))
    small = cv2.resize(image, (width, STILL_HEIGHT), interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(
        ".jpg", cv2.cvtColor(small, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 80]
    )
    return data.tobytes() if ok else None


def with_pictures(row: CoverRow, result: CoverResult) -> CoverRow:
    """The row with the cover's own report and its still; a cover scored keeps its score
    even if its video cannot be read again for them (the page then shows no picture)."""
    from game.cover.report_html import render_report

    try:
        return replace(row, report_html=render_report(result), still_jpeg=cover_still(result))
    except (UserError, OSError, ValueError):
        return row


def load_libraries(with_report: bool) -> None:
    """Import the decoders and the pose model's adapter, and run the music analysis once on
    silence (librosa loads its parts at first use), before the clock starts: a worker's
    first cover is not charged for them against its time limit."""
    import numpy as np

    import game.capture.cache
    import game.capture.track
    import game.capture.video
    from game.audio.beats import ANALYSIS_RATE, onset_envelope
    from game.pose.factory import load_library

    load_library()
    global _warm
    if not _warm:
        onset_envelope(np.zeros(ANALYSIS_RATE, np.float32))
        _warm = True
    if with_report:
        import game.cover.report_html  # noqa: F401


def prepare_cover(cover: str, settings: RankSettings) -> str | None:
    """Track `cover` into the pose cache while the reference is still being tracked (its
    score then reads it back). The timeout text if it ran out of time; any other failure is
    left for `score_row` to meet again and report."""
    load_libraries(settings.with_report)
    try:
        with time_limit(settings.timeout_s, CoverTimeout):
            load_cover(Path(cover), fps=settings.fps)
    except CoverTimeout:
        return timeout_text(cover, settings.timeout_s or 0.0)
    except Exception:  # the cover's row will say what broke, when it is scored
        return None
    return None


def score_row(reference: Reference, cover: str, settings: RankSettings) -> CoverRow:
    """Score `cover` against the loaded `reference`; never raises for a bad cover."""
    load_libraries(settings.with_report)
    started = time.perf_counter()
    error = None
    try:
        with time_limit(settings.timeout_s, CoverTimeout):
            result = score_against(
                reference, Path(cover), fps=settings.fps, use_dtw=settings.use_dtw,
                mirror=settings.mirror, difficulty=settings.difficulty,
            )  # fmt: skip
            row = row_of(result, cover)
            if settings.with_report:
                row = with_pictures(row, result)
    except CoverTimeout:
        error = timeout_text(cover, settings.timeout_s or 0.0)
    except UserError as exc:
        error = one_line(str(exc))
    except Exception as exc:  # a cover must never stop the audition: its row says what broke
        error = one_line(f"{cover}: {type(exc).__name__}: {exc}")
    seconds = time.perf_counter() - started
    if error is not None:
        return CoverRow(cover=cover, error=error, seconds=seconds)
    return replace(row, seconds=seconds)
