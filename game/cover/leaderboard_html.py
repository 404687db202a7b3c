"""`rank --report PAGE.html`: a self-contained leaderboard page (each cover's still inline as
a JPEG) linking each cover's own report, written beside it in `PAGE_files/`."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from game.atomic import atomic_write_text
from game.cover.leaderboard import Placed, joint_text
from game.cover.report_html import STYLE
from game.scoring.rules import hex_color
from game.scoring.score import GRADE_COLORS

PAGE_STYLE = (
    STYLE
    + """
table{border-collapse:collapse;width:100%}td,th{padding:6px 10px;text-align:left}
tr:nth-child(even){background:#1e1836}th{color:#50dcff}
td img{height:90px;border-radius:6px;display:block}.err{color:#ff8c8c}
a{color:#ff5caa}
"""
)


def reports_folder(page: Path) -> Path:
    """Where the per-cover reports go: `PAGE_files/` beside the page."""
    return page.with_name(f"{page.stem}_files")


def report_name(position: int) -> str:
    return f"cover-{position}.html"


def _still(jpeg: bytes | None) -> str:
    if not jpeg:
        return ""
    return f'<img alt="" src="data:image/jpeg;base64,{base64.b64encode(jpeg).decode()}">'


def _line(position: int, placed: Placed, link_folder: str) -> str:
    r = placed.row
    name = html.escape(r.cover)
    if r.score is None:
        return (f'<tr><td>-</td><td></td><td>{name}</td>'
                f'<td colspan="6" class="err">{html.escape(r.error or "")}</td></tr>')  # fmt: skip
    if r.report_html:
        name = f'<a href="{html.escape(link_folder)}/{report_name(position)}">{name}</a>'
    color = hex_color(GRADE_COLORS[r.grade]) if r.grade in GRADE_COLORS else "#f0ecff"
    return (
        f"<tr><td>{placed.rank}</td><td>{_still(r.still_jpeg)}</td><td>{name}</td>"
        f"<td><b>{r.score:.1f}</b></td>"
        f'<td style="color:{color}"><b>{html.escape(r.grade or "")}</b></td>'
        f"<td>{r.accuracy or 0.0:.0f}%</td><td>{r.offset_s or 0.0:+.2f} s</td>"
        f"<td>{'yes' if r.mirrored else 'no'}</td><td>{html.escape(joint_text(r.weak_joint))}</td>"
        "</tr>"
    )


def render_page(reference: str, difficulty: str, board: list[Placed], link_folder: str) -> str:
    rows = "".join(_line(i, p, link_folder) for i, p in enumerate(board, 1))
    scored = sum(p.rank is not None for p in board)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Audition: {html.escape(Path(reference).name)}</title>
<style>{PAGE_STYLE}</style></head><body><main>
<h1>Audition leaderboard</h1>
<p class="sub">{len(board)} covers of {html.escape(reference)}, judged as the game judges a
player at {html.escape(difficulty)}; {scored} scored, {len(board) - scored} could not be.
Click a cover for its own report.</p>
<table><tr><th>rank</th><th></th><th>cover</th><th>score</th><th>grade</th><th>accuracy</th>
<th>offset</th><th>mirrored</th><th>weakest joint</th></tr>
{rows}</table>
</main></body></html>
"""


def write_page(reference: str, difficulty: str, board: list[Placed], page: Path) -> None:
    """The page and, in `PAGE_files/`, each scored cover's own report (all written atomically)."""
    folder = reports_folder(page)
    for position, placed in enumerate(board, 1):
        if placed.row.report_html:
            atomic_write_text(folder / report_name(position), placed.row.report_html)
    atomic_write_text(page, render_page(reference, difficulty, board, folder.name))
