"""The calibration table: how the judge rates true covers against wrong dances.

For every angle set and difficulty, each pair of `game.calibration.pairs` is judged as the
game would judge a player; the table gives, for true pairs and for unrelated ones, the share
of windows GOOD or better and the grade. `derived` gives the evidence behind the judge's
constants: the motion agreement that 20 / 10 / 5% of a wrong dance's windows reach (the
easy / normal / hard thresholds) and each joint's spread over real covers.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from game.calibration.pairs import Pair
from game.pose.skeleton import ANGLE_SETS
from game.scoring.judge import Judge
from game.scoring.rules import DIFFICULTIES, Judgement, WindowJudgement
from game.scoring.score import summarize

UNRELATED_PASS = {"easy": 20.0, "normal": 10.0, "hard": 5.0}  # % of a wrong dance's windows


@dataclass(frozen=True)
class PairResult:
    pair: Pair
    angle_set: str
    difficulty: str
    events: tuple[WindowJudgement, ...]
    good_share: float  # 0-100: windows GOOD or better
    score: float
    grade: str


def judge_pair(pair: Pair, angle_set: str, difficulty: str) -> PairResult:
    specs = ANGLE_SETS[angle_set]
    tolerances = np.array([s.tolerance_deg for s in specs], np.float32)
    grid = pair.reference.grid
    judge = Judge(pair.reference.track, grid, specs, tolerances, DIFFICULTIES[difficulty])
    events = judge.judge_track(pair.cover)
    summary = summarize(events, len(events), [s.name for s in specs])
    good = sum(e.judgement.tier.hit for e in events)
    share = 100.0 * good / max(len(events), 1)
    return PairResult(pair, angle_set, difficulty, tuple(events), share, summary.score,
                      summary.grade)  # fmt: skip


def run_study(
    pairs: Sequence[Pair], angle_sets: Sequence[str], difficulties: Sequence[str]
) -> list[PairResult]:
    return [
        judge_pair(pair, name, difficulty)
        for name in angle_sets
        for difficulty in difficulties
        for pair in pairs
    ]


def _spread(values: Sequence[float]) -> str:
    if not values:
        return "-"
    v = np.asarray(values)
    return f"{np.min(v):3.0f} {np.median(v):3.0f} {np.max(v):3.0f}"


def _grades(results: Sequence[PairResult]) -> str:
    """How many pairs got each grade, best first: "3 A, 5 B"."""
    grades = [r.grade for r in results]
    return ", ".join(f"{grades.count(g)} {g}" for g in "SABCD" if g in grades) or "-"


def table_lines(results: Sequence[PairResult]) -> list[str]:
    """One row per angle set and difficulty: GOOD-or-better share (min, median, max over
    the pairs) and every pair's grade, for true pairs, group members and unrelated pairs."""
    shown = [k for k in ("true", "members", "unrelated") if any(r.pair.kind == k for r in results)]
    head = {"true": "true covers", "members": "group members", "unrelated": "wrong dances"}
    keys = list(dict.fromkeys((r.angle_set, r.difficulty) for r in results))
    cells: dict[tuple[str, str], list[str]] = {}
    for key in keys:
        rows = [r for r in results if (r.angle_set, r.difficulty) == key]
        cells[key] = []
        for kind in shown:
            mine = [r for r in rows if r.pair.kind == kind]
            cells[key].append(f"{_spread([r.good_share for r in mine]):11s}  {_grades(mine)}")
    widths = [
        max([len(head[k]) + 9, 19, *(len(cells[key][i]) for key in keys)])
        for i, k in enumerate(shown)
    ]

    def row(first: str, texts: Sequence[str]) -> str:
        return first + " | ".join(t.ljust(w) for t, w in zip(texts, widths, strict=True)).rstrip()

    lines = [
        row(f"{'angle set':10s} {'difficulty':10s} | ", [f"{head[k]}: GOOD+ %" for k in shown]),
        row(f"{'':10s} {'':10s} | ", ["min med max  grades"] * len(shown)),
    ]
    lines += [row(f"{a:10s} {d:10s} | ", cells[(a, d)]) for a, d in keys]
    return lines


def pair_lines(results: Sequence[PairResult]) -> list[str]:
    """Each pair's GOOD-or-better share and grade (one angle set and difficulty)."""
    return [
        f"{r.pair.kind:9s} {r.pair.name:40s} {r.good_share:5.1f}% {r.grade}  ({r.pair.placed})"
        for r in results
    ]


def pair_weighted_quantile(per_pair: Sequence[np.ndarray], fraction: float) -> float:
    """The value below which `fraction` of the windows lie, each pair weighing the same."""
    per_pair = [v for v in per_pair if v.size]
    weights = np.concatenate([np.full(v.size, 1.0 / v.size) for v in per_pair])
    values = np.concatenate(per_pair)
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    index = min(int(np.searchsorted(cumulative, fraction)), len(values) - 1)
    return float(values[order][index])


def _unrelated(
    results: Sequence[PairResult], value: Callable[[WindowJudgement], float]
) -> list[np.ndarray]:
    """Per unrelated pair: `value` of each of its windows, where finite."""
    return [
        np.array([v for e in r.events if np.isfinite(v := value(e))])
        for r in results
        if r.pair.kind == "unrelated"
    ]


def motion_thresholds(results: Sequence[PairResult]) -> dict[str, float]:
    """Per difficulty: the motion agreement that only UNRELATED_PASS % of the unrelated
    pairs' moving windows reach (each pair weighs the same)."""
    per_pair = _unrelated(results, lambda e: e.motion)
    if not any(m.size for m in per_pair):
        return {}
    return {
        name: pair_weighted_quantile(per_pair, 1.0 - share / 100.0)
        for name, share in UNRELATED_PASS.items()
    }


def pose_threshold(results: Sequence[PairResult]) -> float | None:
    """The mean joint ratio that only 10% of the unrelated pairs' judged windows get under
    (the GOOD pose rule's `good_mean_ratio`; pass one difficulty's results, normal's)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)  # a window showing nothing
        per_pair = _unrelated(
            results, lambda e: float(np.nanmean(e.joint_ratios)) if e.judgement else float("nan")
        )
    return pair_weighted_quantile(per_pair, 0.10) if any(v.size for v in per_pair) else None


def joint_spread(results: Sequence[PairResult], quantile: float = 75.0) -> dict[str, float]:
    """Per joint: the `quantile` of the true pairs' window errors, in degrees."""
    true = [r for r in results if r.pair.kind in ("true", "members")]
    if not true:
        return {}
    specs = ANGLE_SETS[true[0].angle_set]
    errors = np.array([e.joint_errors for r in true for e in r.events
                       if e.judgement != Judgement.NO_POSE], np.float64)  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        spread = np.nanpercentile(errors, quantile, axis=0)
    return {s.name: float(v) for s, v in zip(specs, spread, strict=True)}
