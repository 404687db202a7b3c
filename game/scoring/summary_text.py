"""A song's result in words, one format for `cover-dance score` and a headless `play`: the
score line (score, grade, counts) and each missed segment with what to change."""

from __future__ import annotations

from collections.abc import Sequence

from game.pose.skeleton import AngleSpec
from game.scoring.coaching import segment_coaching
from game.scoring.rules import TIERS, WindowJudgement
from game.scoring.score import ScoreSummary


def score_line(summary: ScoreSummary, difficulty: str, window_s: float, how: str = "") -> str:
    """`score 56.8 / 100, grade B, <how>on normal (2 PERFECT, 11 GOOD, 6 MISS; 19 windows
    of 0.98 s)`."""
    counts = ", ".join(f"{summary.counts[j]} {j.label}" for j in TIERS if summary.counts[j])
    return (
        f"score {summary.score:.1f} / 100, grade {summary.grade}, {how}on {difficulty} "
        f"({counts or 'nothing judged'}; {summary.total_windows} windows of {window_s:.2f} s)"
    )


def missed_lines(
    summary: ScoreSummary,
    events: Sequence[WindowJudgement],
    specs: Sequence[AngleSpec],
    mirrored: bool,
) -> list[str]:
    """`missed segments:` and one indented line per segment (its span and coaching), or
    `no missed segments`."""
    if not summary.missed_segments:
        return ["no missed segments"]
    lines = ["missed segments:"]
    for m in summary.missed_segments:
        advice = "; ".join(segment_coaching(m, events, specs, mirrored)) or "timing"
        lines.append(f"  {m.start_s:6.2f} - {m.end_s:6.2f} s  {advice}")
    return lines
