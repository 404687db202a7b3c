"""A self-contained HTML report of a cover score: inline SVG, no external files."""

from __future__ import annotations

import html
import math
from pathlib import Path

from game.atomic import atomic_write_text
from game.cover.export import summary_lines
from game.cover.run import CoverResult
from game.cover.stills import Moment, bone_segments, bounds, marker_points, moment
from game.pose.frame import PoseFrame
from game.scoring.judge import Judgement

COLOURS = {
    Judgement.PERFECT: "#2e9d4f",
    Judgement.GOOD: "#3b7dd8",
    Judgement.MISS: "#d83b3b",
    Judgement.NO_POSE: "#9a9a9a",
}
STYLE = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:960px;color:#222}
h1{margin-bottom:0}.score{font-size:3em;font-weight:700}.grade{font-size:2em;margin-left:.4em}
table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left}
.stills{display:flex;flex-wrap:wrap;gap:12px}.still{border:1px solid #ddd;padding:6px}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}
.note{color:#a05a00}
"""


def _chart(result: CoverResult, width: int = 900, height: int = 220) -> str:
    """Similarity per beat window over time, bars coloured by judgement."""
    events = result.events
    if not events:
        return "<p>No windows were judged.</p>"
    t0 = min(e.start_s for e in events)
    t1 = max(e.end_s for e in events)
    pad, plot_h = 30, height - 40
    sx = (width - 2 * pad) / max(t1 - t0, 1e-6)
    parts = [f'<svg width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for frac in (0.0, 0.5, 1.0):
        y = 10 + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
        )
        parts.append(f'<text x="2" y="{y + 4:.1f}" font-size="10">{frac * 100:.0f}</text>')
    points = []
    for e in events:
        x = pad + (e.start_s - t0) * sx
        w = max((e.end_s - e.start_s) * sx - 1, 1)
        h = max(plot_h * e.similarity, 2)
        colour = COLOURS[e.judgement]
        tip = f"{e.start_s:.2f}-{e.end_s:.2f} s: {e.judgement.label}, similarity {e.similarity:.2f}"
        parts.append(
            f'<rect x="{x:.1f}" y="{10 + plot_h - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{colour}" opacity="0.75"><title>{html.escape(tip)}</title></rect>'
        )
        points.append(f"{x + w / 2:.1f},{10 + plot_h * (1 - e.similarity):.1f}")
    parts.append(
        f'<polyline points="{" ".join(points)}" fill="none" stroke="#222" stroke-width="1.5"/>'
    )
    for second in range(math.ceil(t0), math.floor(t1) + 1, 2):
        x = pad + (second - t0) * sx
        parts.append(f'<text x="{x:.1f}" y="{height - 8}" font-size="10">{second}s</text>')
    parts.append("</svg>")
    legend = "".join(f'<span style="background:{c}"></span>{j.label}' for j, c in COLOURS.items())
    return "".join(parts) + f'<div class="legend">{legend}</div>'


def _skeleton_svg(frame: PoseFrame | None, wrong: tuple[str, ...], colour: str, label: str) -> str:
    size = 200
    parts = [f'<svg width="{size}" height="{size + 20}" xmlns="http://www.w3.org/2000/svg">']
    parts.append(f'<text x="4" y="14" font-size="12">{html.escape(label)}</text>')
    if frame is None:
        parts.append(f'<text x="60" y="{size / 2:.0f}" font-size="12">no dancer</text></svg>')
        return "".join(parts)
    x0, y0, x1, y1 = bounds(frame)
    scale = 0.85 * size / max(x1 - x0, y1 - y0, 1e-6)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2

    def at(p) -> tuple[float, float]:
        return size / 2 + (p[0] - cx) * scale, 20 + size / 2 + (p[1] - cy) * scale

    for a, b in bone_segments(frame):
        (ax, ay), (bx, by) = at(a), at(b)
        parts.append(
            f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="{colour}" '
            'stroke-width="4" stroke-linecap="round"/>'
        )
    for p in marker_points(frame, wrong):
        x, y = at(p)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="none" stroke="#e00" stroke-width="3"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _still(m: Moment, start: float, end: float, joints: tuple[str, ...]) -> str:
    names = ", ".join(j.replace("_", " ") for j in joints) or "timing"
    return (
        f'<div class="still"><b>{start:.2f} - {end:.2f} s</b>: {html.escape(names)}<br>'
        + _skeleton_svg(m.reference, (), "#444", "reference")
        + _skeleton_svg(m.cover, m.wrong, "#d8873b", "cover (wrong joints circled)")
        + "</div>"
    )


def render_report(result: CoverResult) -> str:
    s = result.summary
    rows = "".join(
        f"<tr><td>{j.name.replace('_', ' ')}</td>"
        f"<td>{'-' if math.isnan(j.mean_ratio) else f'{j.mean_ratio:.2f}'}</td>"
        f"<td>{j.wrong_share:.0%}</td><td>{j.missing_share:.0%}</td></tr>"
        for j in s.worst_joints
    )
    stills = []
    for seg in s.missed_segments:
        worst = max(
            (e for e in result.events if seg.first_window <= e.window <= seg.last_window),
            key=lambda e: len(e.wrong_joints),
        )
        m = moment(result, (worst.start_s + worst.end_s) / 2)
        stills.append(_still(m, seg.start_s, seg.end_s, seg.joints))
    lines = "".join(f"<li>{html.escape(line)}</li>" for line in summary_lines(result)[2:])
    notes = "".join(f'<p class="note">{html.escape(w)}</p>' for w in result.warnings)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Cover score: {html.escape(result.cover.name)}</title>
<style>{STYLE}</style></head><body>
<h1>{html.escape(result.cover.name)}</h1>
<p>against {html.escape(result.reference.name)}</p>
<div><span class="score">{s.score:.1f}</span><span class="grade">{s.grade}</span></div>
{notes}<ul>{lines}</ul>
<h2>Similarity over time</h2>{_chart(result)}
<h2>Weakest joints</h2>
<table><tr><th>joint</th><th>mean error / tolerance</th><th>wrong</th><th>not seen</th></tr>
{rows}</table>
<h2>Missed segments</h2>
<div class="stills">{"".join(stills) or "<p>None: well danced.</p>"}</div>
</body></html>
"""


def write_report(result: CoverResult, path: Path) -> None:
    atomic_write_text(Path(path), render_report(result))
