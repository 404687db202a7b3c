"""A cover result as plain data (JSON) and as the text summary the command prints."""

from __future__ import annotations

import math
from typing import Any

from game.cover.align import lateness
from game.cover.run import CoverResult
from game.scoring.coaching import segment_coaching
from game.scoring.rules import TIERS
from game.scoring.score import JointReport, ScoreSummary
from game.scoring.summary_text import missed_lines, score_line


def rounded(value: float | None, digits: int = 3) -> float | None:
    return None if value is None or not math.isfinite(value) else round(float(value), digits)


def result_dict(result: CoverResult) -> dict[str, Any]:
    """Everything machine-readable: score, counts, alignment, windows, missed segments."""
    s, a = result.summary, result.alignment
    names = result.joint_names
    return {
        "reference": str(result.reference.path),
        "cover": str(result.cover.path),
        "score": s.score,
        "grade": s.grade,
        "difficulty": result.difficulty,
        "counts": {j.name.lower(): s.counts[j] for j in TIERS},
        "windows_total": s.total_windows,
        "accuracy": s.accuracy,
        "max_combo": s.max_combo,
        "offset_s": rounded(a.offset_s),
        "mirrored": a.mirrored,
        "tempo": rounded(a.tempo),
        "alignment": {
            "method": a.method,
            "audio_correlation": rounded(a.audio_correlation) if a.audio_correlation else None,
            "drift_s": rounded(a.drift_s),
            "score_mirrored": rounded(a.mirror_scores.get(True), 2),
            "score_not_mirrored": rounded(a.mirror_scores.get(False), 2),
        },
        "bpm": rounded(result.reference.grid.bpm, 2),
        "bpm_source": result.reference.bpm_source,
        "warnings": list(result.warnings),
        "worst_joints": [
            {
                "joint": j.name,
                "mean_ratio": rounded(j.mean_ratio),
                "wrong_share": rounded(j.wrong_share),
                "missing_share": rounded(j.missing_share),
            }
            for j in s.worst_joints
        ],
        "windows": [
            {
                "window": e.window,
                "start_s": rounded(e.start_s),
                "end_s": rounded(e.end_s),
                "judgement": e.judgement.name,
                "similarity": rounded(e.similarity),
                "lag_s": rounded(e.lag_s),
                "joint_errors_deg": {
                    n: rounded(v, 1) for n, v in zip(names, e.joint_errors, strict=True)
                },
                "wrong_joints": [names[j] for j in e.wrong_joints],
            }
            for e in result.events
        ],
        "missed_segments": [
            {
                "start_s": rounded(m.start_s),
                "end_s": rounded(m.end_s),
                "joints": list(m.joints),
                "coaching": segment_coaching(m, result.events, result.reference.specs, a.mirrored),
            }
            for m in s.missed_segments
        ],
        "timings_s": {k: rounded(v, 2) for k, v in result.timings.items()},
    }


def weakest_joints(summary: ScoreSummary, most: int = 3) -> list[JointReport]:
    """The joints a cover got most wrong, among those seen in at least half the windows."""
    joints = summary.worst_joints
    seen = [j for j in joints if math.isfinite(j.mean_ratio) and j.missing_share < 0.5]
    return seen[:most]


def summary_lines(result: CoverResult) -> list[str]:
    """The human summary printed by `cover-dance score`: the game's score and grade first."""
    s, a = result.summary, result.alignment
    how = a.method.replace("+dtw", " + DTW drift")
    if a.audio_correlation is not None and a.method.startswith("audio"):
        how += f" (music correlation {a.audio_correlation:.2f})"
    found = "given (no search)" if a.method == "given" else f"found by {how}"
    if a.drift_s >= 0.05:
        found += f", drifting up to {a.drift_s:.2f} s"
    mirror = "mirrored" if a.mirrored else "not mirrored"
    if len(a.mirror_scores) == 2:
        mirror += (f" (score {a.mirror_scores[a.mirrored]:.1f}; "
                   f"{a.mirror_scores[not a.mirrored]:.1f} the other way)")  # fmt: skip
    lines = [
        f"{result.cover.name} against {result.reference.name}",
        score_line(
            s,
            result.difficulty,
            result.reference.grid.window_seconds,
            "as the game judges a player ",
        ),
        f"offset {a.offset_s:+.2f} s (the cover is {lateness(a.offset_s)}), {found}; {mirror}",
    ]
    if a.method == "tempo":
        lines.append(
            f"tempo: the cover takes {a.tempo:.2f}x the reference's time (another take, "
            "another speed); only the stretch both dance is judged"
        )
    worst = weakest_joints(s)
    if worst:
        lines.append(
            "weakest joints: "
            + ", ".join(f"{j.name.replace('_', ' ')} (wrong in {j.wrong_share:.0%})" for j in worst)
        )
    lines += missed_lines(s, result.events, result.reference.specs, a.mirrored)
    lines += [f"note: {w}" for w in result.warnings]
    return lines
