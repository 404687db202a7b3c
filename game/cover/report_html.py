"""A self-contained HTML report of a cover score: inline SVG, no external files."""

from __future__ import annotations

import base64
import html
import math
from pathlib import Path

import cv2
import numpy as np

from game.atomic import atomic_write_text
from game.cover.export import summary_lines
from game.cover.report_video import SideBySide
from game.cover.run import CoverResult
from game.cover.stills import Moment, bone_segments, bounds, marker_points, moment
from game.pose.frame import PoseFrame
from game.scoring.coaching import segment_coaching
from game.scoring.rules import TIERS, hex_color
from game.scoring.score import GRADE_COLORS, JointReport
from game.timing.axis import clock_label, tick_step

MISS_STUB_PX = 4  # a window of no points still shows, in its colour
STYLE = """
body{font-family:system-ui,sans-serif;margin:0;background:#120e22;color:#f0ecff}
main{margin:2em auto;max-width:960px;padding:0 1em}
h1{margin-bottom:0;color:#ff5caa}h2{color:#50dcff;margin-top:1.6em}
.sub{color:#968cbe;margin-top:.2em}
.score{font-size:3.4em;font-weight:700}.grade{font-size:2.6em;font-weight:700;margin-left:.3em}
.facts{color:#c8c0e8}.facts li{margin:.2em 0}
.panel{background:#1e1836;border:1px solid #463878;border-radius:12px;padding:12px}
.stills{display:flex;flex-direction:column;gap:14px}.still img{max-width:100%;border-radius:8px}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;border-radius:3px}
.note{color:#ffd25a}
.pair{display:inline-flex;flex-direction:column;max-width:100%}
.sides{display:flex;color:#968cbe;margin:.4em 0 .2em}.sides span{flex:1;text-align:center}
"""


def _chart(result: CoverResult, width: int = 900, height: int = 220) -> str:
    """Each beat window's verdict as a bar of its points (PERFECT 100, GOOD 80, a MISS a
    red stub), the window's similarity as a line, and m:ss ticks readable at any length."""
    events = result.events
    if not events:
        return "<p>No windows were judged.</p>"
    t0 = min(e.start_s for e in events)
    t1 = max(e.end_s for e in events)
    pad, plot_h = 34, height - 40
    sx = (width - 2 * pad) / max(t1 - t0, 1e-6)
    parts = [f'<svg width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">']
    for frac in (0.0, 0.5, 1.0):
        y = 10 + plot_h * (1 - frac)
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{y:.1f}" y2="{y:.1f}" stroke="#463878"/>'
        )
        parts.append(
            f'<text x="2" y="{y + 4:.1f}" font-size="10" fill="#968cbe">{frac * 100:.0f}</text>'
        )
    points = []
    for e in events:
        x = pad + (e.start_s - t0) * sx
        w = max((e.end_s - e.start_s) * sx - 1, 1)
        h = max(plot_h * e.points / 100.0, MISS_STUB_PX)
        color = e.judgement.tier.color_hex  # the game's own
        tip = (
            f"{e.start_s:.2f}-{e.end_s:.2f} s: {e.judgement.label} ({e.points} points), "
            f"similarity {e.similarity:.2f}"
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{10 + plot_h - h:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="{color}" opacity="0.8"><title>{html.escape(tip)}</title></rect>'
        )
        points.append(f"{x + w / 2:.1f},{10 + plot_h * (1 - e.similarity):.1f}")
    parts.append(
        f'<polyline points="{" ".join(points)}" fill="none" stroke="#50dcff" stroke-width="1.5" '
        'opacity="0.8"/>'
    )
    step = tick_step(t1 - t0, most=12, smallest=1)
    for second in range(math.ceil(t0 / step) * step, math.floor(t1) + 1, step):
        x = pad + (second - t0) * sx
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" font-size="10" fill="#968cbe" '
            f'text-anchor="middle">{clock_label(second)}</text>'
        )
    parts.append("</svg>")
    legend = "".join(
        f'<span style="background:{tier.color_hex}"></span>{tier.label}' for tier in TIERS.values()
    )
    line = '<span style="background:#50dcff;height:3px"></span>similarity'
    return "".join(parts) + f'<div class="legend">{legend}{line}</div>'


def _skeleton_svg(frame: PoseFrame | None, wrong: tuple[str, ...], color: str, label: str) -> str:
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
            f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="{color}" '
            'stroke-width="4" stroke-linecap="round"/>'
        )
    for p in marker_points(frame, wrong):
        x, y = at(p)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="11" fill="none" stroke="#e00" stroke-width="3"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _joint_bars(joints: list[JointReport], width: int = 900) -> str:
    """Each joint's share of windows it was wrong in, most often wrong first, as a bar as
    long as the "wrong N%" beside it (a full bar: wrong in every window)."""
    seen = [j for j in joints if math.isfinite(j.mean_ratio)]
    if not seen:
        return "<p>No joint was seen on both sides.</p>"
    shown = sorted(seen, key=lambda j: -j.wrong_share)  # most often wrong first
    row, label_w, text_w = 26, 150, 190
    scale = width - label_w - text_w - 12
    parts = [f'<svg viewBox="0 0 {width} {row * len(shown) + 8}" width="100%" '
             'xmlns="http://www.w3.org/2000/svg">']  # fmt: skip
    for i, j in enumerate(shown):
        y = 4 + i * row
        length = max(2.0, min(j.wrong_share, 1.0) * scale)
        color = "#ff505a" if j.wrong_share > 0.5 else "#ffdc5a"
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="14" fill="#f0ecff">'
            f"{html.escape(j.name.replace('_', ' '))}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{scale}" height="14" rx="7" fill="#2a2248"/>'
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="14" rx="7" '
            f'fill="{color}"/>'
            f'<text x="{label_w + scale + 12}" y="{y + 16}" font-size="13" '
            f'fill="#968cbe">wrong {j.wrong_share:.0%}, unseen {j.missing_share:.0%}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _photo(frame: np.ndarray) -> str:
    """An RGB frame as an inline JPEG."""
    _, data = cv2.imencode(
        ".jpg", cv2.cvtColor(frame, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 82]
    )
    return f'<img alt="" src="data:image/jpeg;base64,{base64.b64encode(data.tobytes()).decode()}">'


def _still(
    m: Moment,
    start: float,
    end: float,
    joints: tuple[str, ...],
    photo: np.ndarray | None,
    advice: list[str] | None = None,
) -> str:
    names = "; ".join(advice or ()) or ", ".join(j.replace("_", " ") for j in joints) or "timing"
    sides = ('<div class="sides"><span>reference</span>'
             "<span>cover (wrong joints circled)</span></div>")  # fmt: skip
    picture = (
        f'<div class="pair">{sides}{_photo(photo)}</div>'
        if photo is not None
        else _skeleton_svg(m.reference, (), "#ff5caa", "reference")
        + _skeleton_svg(m.cover, m.wrong, "#50dcff", "cover (wrong joints circled)")
    )
    return (
        f'<div class="still panel"><b>{start:.2f} - {end:.2f} s</b>: {html.escape(names)}<br>'
        + picture
        + "</div>"
    )


def render_report(result: CoverResult) -> str:
    s = result.summary
    composer = SideBySide(result)
    stills = []
    for seg in s.missed_segments:
        worst = max(
            (e for e in result.events if seg.first_window <= e.window <= seg.last_window),
            key=lambda e: len(e.wrong_joints),
        )
        at = (worst.start_s + worst.end_s) / 2
        photo = composer.frame(at) if result.cover.is_video else None
        advice = segment_coaching(seg, result.events, result.reference.specs,
                                  result.alignment.mirrored)  # fmt: skip
        stills.append(_still(moment(result, at), seg.start_s, seg.end_s, seg.joints, photo,
                             advice))  # fmt: skip
    facts = "".join(f"<li>{html.escape(line)}</li>" for line in summary_lines(result)[1:4])
    notes = "".join(f'<p class="note">{html.escape(w)}</p>' for w in result.warnings)
    grade_color = hex_color(GRADE_COLORS[s.grade]) if s.grade in GRADE_COLORS else "#f0ecff"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Cover score: {html.escape(result.cover.name)}</title>
<style>{STYLE}</style></head><body><main>
<h1>{html.escape(result.cover.name)}</h1>
<p class="sub">scored against {html.escape(result.reference.name)} by Cover Dance Trainer</p>
<div><span class="score">{result.score:.1f}</span> <span class="sub">/ 100, the game's score</span>
<span class="grade" style="color:{grade_color}">{s.grade}</span>
<span class="sub">grade in the game</span></div>
<ul class="facts">{facts}</ul>{notes}
<h2>Score over time</h2><div class="panel">{_chart(result)}</div>
<h2>Weakest joints</h2><p class="sub">each bar: the share of windows the joint was wrong in
</p><div class="panel">{_joint_bars(list(s.worst_joints))}</div>
<h2>Missed segments</h2>
<div class="stills">{"".join(stills) or "<p>None: well danced.</p>"}</div>
</main></body></html>
"""


def write_report(result: CoverResult, path: Path) -> None:
    atomic_write_text(Path(path), render_report(result))
