"""Score processor: immutable judgement events in; score, combo, grade and missed segments out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.scoring.rules import RGB, Judgement, WindowJudgement

# The score is the mean of the windows' points (PERFECT 100, GOOD 80, else 0), so a song
# danced all GOOD scores 80 and B means roughly 70% of the windows danced right.
GRADES: tuple[tuple[str, float], ...] = (("S", 95.0), ("A", 80.0), ("B", 55.0), ("C", 35.0))
GRADE_COLORS: dict[str, RGB] = {  # RGB for pygame; `hex_color` for HTML
    "S": (255, 220, 90),
    "A": (110, 235, 140),
    "B": (80, 220, 255),
    "C": (200, 160, 255),
    "D": (255, 110, 110),
}


def grade_for(score: float) -> str:
    """S from 95, A from 80, B from 55, C from 35, else D: the one grade rule everywhere."""
    for grade, floor in GRADES:
        if score >= floor:
            return grade
    return "D"


@dataclass(frozen=True)
class JointReport:
    name: str
    mean_ratio: float  # mean error / tolerance over judged windows (> 1 is wrong on average)
    wrong_share: float  # share of judged windows where this joint was wrong
    missing_share: float  # share of judged windows where this joint was not seen


@dataclass(frozen=True)
class MissedSegment:
    """Consecutive MISS windows, merged."""

    first_window: int
    last_window: int
    start_beat: float
    end_beat: float
    start_s: float
    end_s: float
    joints: tuple[str, ...]  # the joints that failed most, worst first

    @property
    def window_count(self) -> int:
        return self.last_window - self.first_window + 1


@dataclass(frozen=True)
class ScoreSummary:
    score: float  # 0-100: mean window points (PERFECT 100, GOOD 80, else 0)
    accuracy: float  # 0-100: share of windows danced right (GOOD or better)
    grade: str
    counts: dict[Judgement, int]
    combo: int
    max_combo: int
    total_windows: int
    judged_windows: int
    worst_joints: tuple[JointReport, ...]
    missed_segments: tuple[MissedSegment, ...]

    @property
    def finished(self) -> bool:
        return self.judged_windows >= self.total_windows


def _combos(events: Sequence[WindowJudgement]) -> tuple[int, int]:
    combo = max_combo = 0
    for event in events:
        combo = combo + 1 if event.judgement.tier.hit else 0
        max_combo = max(max_combo, combo)
    return combo, max_combo


def joint_reports(
    events: Sequence[WindowJudgement], joint_names: Sequence[str]
) -> tuple[JointReport, ...]:
    """Joints ordered worst first, over windows where the player was seen."""
    seen = [e for e in events if e.judgement != Judgement.NO_POSE]
    if not seen:
        return ()
    ratios = np.array([e.joint_ratios for e in seen], dtype=np.float64)
    known = np.isfinite(ratios)
    reports = []
    for j, name in enumerate(joint_names):
        column = ratios[known[:, j], j]
        if column.size == 0:
            reports.append(JointReport(name, float("nan"), 0.0, 1.0))
            continue
        reports.append(
            JointReport(
                name,
                float(column.mean()),
                float((column > 1.0).sum() / len(seen)),
                float(1.0 - known[:, j].mean()),
            )
        )
    return tuple(sorted(reports, key=lambda r: -1.0 if np.isnan(r.mean_ratio) else -r.mean_ratio))


def missed_segments(
    events: Sequence[WindowJudgement], joint_names: Sequence[str], top_joints: int = 3
) -> tuple[MissedSegment, ...]:
    """Merge runs of consecutive MISS windows; name the joints wrong most often in each."""
    runs: list[list[WindowJudgement]] = []
    for event in sorted(events, key=lambda e: e.window):
        if event.judgement != Judgement.MISS:
            continue
        if runs and runs[-1][-1].window == event.window - 1:
            runs[-1].append(event)
        else:
            runs.append([event])
    segments = []
    for run in runs:
        ratios = np.array([e.joint_ratios for e in run], dtype=np.float64)
        wrong = np.nan_to_num(ratios, nan=0.0) > 1.0
        known = np.isfinite(ratios)
        mean_ratio = np.where(known, ratios, 0.0).sum(0) / np.maximum(known.sum(0), 1)
        order = sorted(
            (j for j in range(len(joint_names)) if wrong[:, j].any()),
            key=lambda j: (-wrong[:, j].sum(), -mean_ratio[j]),
        )
        segments.append(
            MissedSegment(
                first_window=run[0].window,
                last_window=run[-1].window,
                start_beat=run[0].start_beat,
                end_beat=run[-1].end_beat,
                start_s=run[0].start_s,
                end_s=run[-1].end_s,
                joints=tuple(joint_names[j] for j in order[:top_joints]),
            )
        )
    return tuple(segments)


def summarize(
    events: Sequence[WindowJudgement], total_windows: int, joint_names: Sequence[str]
) -> ScoreSummary:
    """Everything the HUD and scorecard show, computed from the events alone."""
    ordered = sorted(events, key=lambda e: e.window)
    counts = {j: 0 for j in Judgement}
    for event in ordered:
        counts[event.judgement] += 1
    denominator = max(total_windows, 1)
    score = sum(e.points for e in ordered) / denominator
    accuracy = 100.0 * sum(e.judgement.tier.hit for e in ordered) / denominator
    combo, max_combo = _combos(ordered)
    score = round(score, 2)
    return ScoreSummary(
        score=score,
        accuracy=round(accuracy, 2),
        grade=grade_for(score),
        counts=counts,
        combo=combo,
        max_combo=max_combo,
        total_windows=total_windows,
        judged_windows=len(ordered),
        worst_joints=joint_reports(ordered, joint_names),
        missed_segments=missed_segments(ordered, joint_names),
    )


class ScoreProcessor:
    """Collects judgement events during a song; the summary is recomputed from them."""

    def __init__(self, total_windows: int, joint_names: Sequence[str]) -> None:
        self.total_windows = total_windows
        self.joint_names = tuple(joint_names)
        self._events: list[WindowJudgement] = []
        self.combo = 0

    @property
    def events(self) -> tuple[WindowJudgement, ...]:
        return tuple(self._events)

    def add(self, events: Sequence[WindowJudgement]) -> None:
        for event in events:
            self._events.append(event)
            self.combo = self.combo + 1 if event.judgement.tier.hit else 0

    def summary(self) -> ScoreSummary:
        return summarize(self._events, self.total_windows, self.joint_names)

    def running_score(self) -> float:
        """Score so far, out of the windows judged so far (what the HUD shows mid-song)."""
        if not self._events:
            return 0.0
        return sum(e.points for e in self._events) / len(self._events)
