"""`rank --report PAGE.html`: a self-contained leaderboard page (each cover's still inline as
a JPEG) linking each cover's own report, written beside it in `PAGE_files/`."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from game.atomic import atomic_write_text
from game.cover.leaderboard import COLUMNS_EXPLAINED, Placed, joint_text
from game.cover.report_html import STYLE
from game.scoring.rules import hex_color
from game.scoring.score import GRADE_COLORS

PAGE_STYLE = (
    STYLE
    + """
main{max-width:1200px}.board{overflow-x:auto}
table{border-collapse:collapse;width:100%}td,th{padding:6px 8px;text-align:left}
tr:nth-child(even){background:#1e1836}th{color:#50dcff;white-space:nowrap}
td{white-space:nowrap}td.joint,td.err{white-space:normal;min-width:10em}
td img{height:72px;max-width:180px;object-fit:contain;border-radius:6px;display:block}
.err{color:#ff8c8c}
a{color:#ff5caa}
"""
)


def reports_folder(page: Path) -> Path:
    """Where the per-cover reports go: `PAGE_files/` beside the page."""
    return page.with_name(f"{page.stem}_files")


def write_cover_report(page: Path, number: int, report_html: str) -> str:
    """Write the `number`-th cover's own report beside `page` now (not held until the end);
    returns its link from the page."""
    folder = reports_folder(page)
    atomic_write_text(folder / f"cover-{number}.html", report_html)
    return f"{folder.name}/cover-{number}.html"


def _still(jpeg: bytes | None) -> str:
    if not jpeg:
        return ""
    return f'<img alt="" src="data:image/jpeg;base64,{base64.b64encode(jpeg).decode()}">'


def _line(placed: Placed, link: str | None) -> str:
    r = placed.row
    name = html.escape(r.cover)
    if r.score is None:
        return (f'<tr><td>-</td><td></td><td>{name}</td>'
                f'<td colspan="6" class="err">{html.escape(r.error or "")}</td></tr>')  # fmt: skip
    if link:
        name = f'<a href="{html.escape(link)}">{name}</a>'
    color = hex_color(GRADE_COLORS[r.grade]) if r.grade in GRADE_COLORS else "#f0ecff"
    return (
        f"<tr><td>{placed.rank}</td><td>{_still(r.still_jpeg)}</td><td>{name}</td>"
        f"<td><b>{r.score:.1f}</b></td>"
        f'<td style="color:{color}"><b>{html.escape(r.grade or "")}</b></td>'
        f"<td>{r.accuracy or 0.0:.0f}%</td><td>{r.offset_s or 0.0:+.2f} s</td>"
        f"<td>{'yes' if r.mirrored else 'no'}</td>"
        f'<td class="joint">{html.escape(joint_text(r.weak_joint))}</td>'
        "</tr>"
    )


def render_page(reference: str, difficulty: str, board: list[Placed], links: dict[str, str]) -> str:
    """The page; `links` maps a cover to its report's link."""
    rows = "".join(_line(p, links.get(p.row.cover)) for p in board)
    scored = sum(p.rank is not None for p in board)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Audition: {html.escape(Path(reference).name)}</title>
<style>{PAGE_STYLE}</style></head><body><main>
<h1>Audition leaderboard</h1>
<p class="sub">{len(board)} covers of {html.escape(reference)}, judged as the game judges a
player at {html.escape(difficulty)}; {scored} scored, {len(board) - scored} could not be.
Click a cover for its own report.</p>
<div class="board"><table><tr><th>rank</th><th></th><th>cover</th><th>score</th><th>grade</th>
<th>accuracy</th><th>offset</th><th>mirrored</th><th>weakest joint</th></tr>
{rows}</table></div>
<p class="sub">{html.escape(COLUMNS_EXPLAINED)}.</p>
</main></body></html>
"""


def write_page(
    reference: str, difficulty: str, board: list[Placed], page: Path, links: dict[str, str]
) -> None:
    atomic_write_text(page, render_page(reference, difficulty, board, links))
