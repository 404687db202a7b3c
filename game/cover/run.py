"""`score_cover`: decode, track, align and judge a cover against its reference."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game.cover.align import Aligner, Alignment, audio_offset
from game.cover.inputs import (
    Reference,
    Subject,
    check_cover,
    check_reference,
    load_cover,
    load_reference,
)
from game.errors import UserError
from game.scoring.judge import Judge
from game.scoring.rules import DEFAULT_DIFFICULTY, DIFFICULTIES, Judgement
from game.scoring.score import ScoreSummary, summarize

MIN_LENGTH_SHARE = 0.5  # a cover shorter than this share of the reference's dance is refused
MIRROR_CHOICES = ("auto", "yes", "no")
OUT_OF_FRAME_SHARE = 0.5  # windows without the dancer above this share: "mostly out of frame"
MISSING_JOINT_SHARE = 0.8

Stage = Callable[[str, float], None]


@dataclass(frozen=True)
class CoverResult:
    reference: Reference
    cover: Subject
    alignment: Alignment
    summary: ScoreSummary
    joint_names: tuple[str, ...]
    warnings: tuple[str, ...]
    timings: dict[str, float] = field(default_factory=dict)
    difficulty: str = DEFAULT_DIFFICULTY

    @property
    def score(self) -> float:
        """The headline: the game's score (mean window points, PERFECT 100, GOOD 80, else
        0), the number a player who danced this cover would see after the song."""
        return self.summary.score

    @property
    def grade(self) -> str:
        return self.summary.grade

    @property
    def events(self):
        return self.alignment.events


def check_lengths(reference: Subject, cover: Subject) -> None:
    """Refuse a cover much shorter than the reference's dance."""
    r0, r1 = reference.dance_span
    c0, c1 = cover.dance_span
    if (c1 - c0) < MIN_LENGTH_SHARE * (r1 - r0):
        raise UserError(
            f"{cover.name}: the cover shows a dancer for {c1 - c0:.1f} s but the reference "
            f"dances for {r1 - r0:.1f} s: record the whole dance"
        )


def cover_warnings(result_events, joint_names: tuple[str, ...], total: int) -> list[str]:
    """Plain-language notes: mostly out of frame, joints the cover never shows."""
    notes = []
    gone = sum(e.judgement == Judgement.NO_POSE for e in result_events)
    if total and gone / total > OUT_OF_FRAME_SHARE:
        notes.append(f"the cover is mostly out of frame: no dancer in {gone} of {total} windows")
    seen = [e for e in result_events if e.judgement != Judgement.NO_POSE]
    if seen:
        ratios = np.array([e.joint_ratios for e in seen], dtype=np.float64)
        missing = [
            name
            for j, name in enumerate(joint_names)
            if np.isnan(ratios[:, j]).mean() >= MISSING_JOINT_SHARE
        ]
        if missing:
            notes.append(
                "left out (not shown by the cover or the reference): "
                + ", ".join(n.replace("_", " ") for n in missing)
            )
    return notes


def score_cover(
    reference_path: Path,
    cover_path: Path,
    stage: Stage | None = None,
    fps: float | None = 15.0,
    use_dtw: bool = True,
    offset: float | None = None,
    mirror: str = "auto",
    difficulty: str = DEFAULT_DIFFICULTY,
) -> CoverResult:
    """Score the cover at `cover_path` against the reference at `reference_path`, as the
    game judges a player at `difficulty`. `offset` (cover time = reference time + offset)
    skips the offset search; `mirror` is "auto" (the better of the two), "yes" or "no"."""
    check_choices(mirror, difficulty)
    check_reference(Path(reference_path))
    check_cover(Path(cover_path))  # both before the reference is tracked
    t0 = time.perf_counter()
    reference = load_reference(Path(reference_path), stage, fps)
    loaded = time.perf_counter() - t0
    result = score_against(reference, cover_path, stage, fps, use_dtw, offset, mirror, difficulty)
    result.timings["load"] += loaded
    return result


def check_choices(mirror: str, difficulty: str) -> None:
    """A clear error for a mirror choice or difficulty the judge does not know."""
    if mirror not in MIRROR_CHOICES:
        raise UserError(f"--mirror {mirror}: must be one of {', '.join(MIRROR_CHOICES)}")
    if difficulty not in DIFFICULTIES:
        raise UserError(f"--difficulty {difficulty}: must be one of {', '.join(DIFFICULTIES)}")


def score_against(
    reference: Reference,
    cover_path: Path,
    stage: Stage | None = None,
    fps: float | None = 15.0,
    use_dtw: bool = True,
    offset: float | None = None,
    mirror: str = "auto",
    difficulty: str = DEFAULT_DIFFICULTY,
) -> CoverResult:
    """`score_cover` against a reference already loaded (tracked once, many covers: `rank`)."""
    check_choices(mirror, difficulty)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    cover = load_cover(Path(cover_path), stage, fps)
    timings["load"] = time.perf_counter() - t0
    check_lengths(reference, cover)
    joint_names = tuple(s.name for s in reference.specs)
    level = DIFFICULTIES[difficulty]
    judges = {
        m: Judge(reference.track, reference.grid, reference.specs, reference.tolerances, level,
                 mirror=m)
        for m in (False, True)
    }  # fmt: skip
    total = int(judges[False].charted.sum())
    if total == 0:
        raise UserError(f"{reference.name}: no beat window shows the reference dancer")
    t1 = time.perf_counter()
    from game.audio.beats import ENVELOPE_RATE

    audio = audio_offset(reference.envelope, cover.envelope, ENVELOPE_RATE)
    aligner = Aligner(reference.track, judges)
    alignment = aligner.best(
        cover.track,
        audio,
        use_dtw=use_dtw,
        on_progress=(lambda f: stage("aligning", f)) if stage else None,
        mirror=mirror,
        offset=offset,
    )
    timings["align"] = time.perf_counter() - t1
    summary = summarize(alignment.events, total, joint_names)
    notes = cover_warnings(alignment.events, joint_names, total)
    return CoverResult(
        reference, cover, alignment, summary, joint_names, tuple(notes), timings, difficulty
    )
