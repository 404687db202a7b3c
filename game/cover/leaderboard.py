"""An audition's leaderboard: covers in order (best score first, ties by cover path, covers
that could not be scored last), as printed lines, JSON data and CSV text."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from game.cover.rank_task import CoverRow

CSV_FIELDS = ("rank", "cover", "score", "grade", "accuracy", "offset_s", "mirrored",
              "weak_joint", "error")  # fmt: skip


@dataclass(frozen=True)
class Placed:
    """A row in leaderboard order; `rank` is None for a cover that could not be scored."""

    rank: int | None
    row: CoverRow


def leaderboard(rows: list[CoverRow]) -> list[Placed]:
    """Scored covers by score (best first, ties by cover path), then failed ones by path."""
    scored = sorted(
        (r for r in rows if r.score is not None), key=lambda r: (-(r.score or 0.0), r.cover)
    )
    failed = sorted((r for r in rows if r.score is None), key=lambda r: r.cover)
    return [Placed(i, r) for i, r in enumerate(scored, 1)] + [Placed(None, r) for r in failed]


def row_dict(placed: Placed) -> dict[str, Any]:
    r = placed.row
    return {
        "rank": placed.rank,
        "cover": r.cover,
        "score": r.score,
        "grade": r.grade,
        "accuracy": r.accuracy,
        "offset_s": r.offset_s,
        "mirrored": r.mirrored,
        "weak_joint": r.weak_joint,
        "error": r.error,
    }


def leaderboard_dict(reference: str, difficulty: str, board: list[Placed]) -> dict[str, Any]:
    """The `--json` document."""
    return {"reference": reference, "difficulty": difficulty, "rows": [row_dict(p) for p in board]}


def leaderboard_csv(board: list[Placed]) -> str:
    """The `--csv` table: one line per cover, empty cells where a failed cover has no value."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for placed in board:
        writer.writerow({k: "" if v is None else v for k, v in row_dict(placed).items()})
    return out.getvalue()


def joint_text(name: str | None) -> str:
    return name.replace("_", " ") if name else "-"


COLUMNS_EXPLAINED = (
    "score: the game's 0-100 score; accuracy: the share of moves danced GOOD or better; "
    "offset: the cover starts this much later than the reference (minus: earlier); "
    "mirrored: the cover was judged as a mirror image"
)


def table_lines(board: list[Placed]) -> list[str]:
    """The printed leaderboard; a failed cover's line gives its error."""
    lines = [f"{'rank':>4}  {'score':>5}  grade  {'accuracy':>8}  {'offset':>8}  mirrored  "
             f"{'weakest joint':<16}  cover"]  # fmt: skip
    for placed in board:
        r = placed.row
        if r.score is None:
            lines.append(f"{'-':>4}  failed: {r.error}")
            continue
        lines.append(
            f"{placed.rank:>4}  {r.score:5.1f}  {r.grade:<5}  {r.accuracy or 0.0:7.0f}%  "
            f"{r.offset_s or 0.0:+6.2f} s  {'yes' if r.mirrored else 'no':<8}  "
            f"{joint_text(r.weak_joint):<16}  {r.cover}"
        )
    if any(placed.row.score is not None for placed in board):
        lines.append(COLUMNS_EXPLAINED)
    return lines
