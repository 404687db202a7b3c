"""Charts for the scorecard: the score over time and the weakest joints."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pygame

from game.render import draw, theme
from game.scoring.rules import Judgement, WindowJudgement
from game.scoring.score import JointReport
from game.timing.axis import clock_label, tick_step

MOST_BARS = 200  # bars of the score chart: one per window up to this many (3 px or more each)


def window_bins(
    events: Sequence[WindowJudgement], most: int = MOST_BARS
) -> list[tuple[float, float, float, Judgement]]:
    """One bin per judged window, so a MISS beside a GOOD shows as a red bar and a green
    one; a song of more than `most` windows groups neighbouring windows (as few a bin as
    fit): (start s, end s, mean credit, the bin's commonest judgement) per bin."""
    if not events:
        return []
    per_bin = max(1, -(-len(events) // most))
    out = []
    for first in range(0, len(events), per_bin):
        group = events[first : first + per_bin]
        credit = sum(e.points for e in group) / len(group) / 100.0
        counts = Counter(e.judgement for e in group)
        common = max(counts, key=lambda j: (counts[j], -int(j)))
        out.append((group[0].start_s, group[-1].end_s, credit, common))
    return out


def draw_score_over_time(
    surface: pygame.Surface,
    rect: pygame.Rect,
    events: Sequence[WindowJudgement],
    song_length: float,
    color: theme.Color = theme.ACCENT_2,
    title: str = "Score over time",
) -> None:
    """The score window by window (neighbouring windows share a column on a very long song;
    colour = the judgement), over a time axis in minutes and seconds."""
    draw.panel(surface, rect)
    draw.text(surface, title, (rect.x + 14, rect.y + 10), 24, color)
    plot = pygame.Rect(rect.x + 44, rect.y + 34, rect.width - 60, rect.height - 58)
    for level in (0.5, 1.0):
        y = plot.bottom - plot.height * level
        pygame.draw.line(surface, theme.PANEL_EDGE, (plot.x, y), (plot.right, y), 1)
        draw.text(surface, f"{level * 100:.0f}", (plot.x - 6, y), 16, theme.MUTED, "midright")
    pygame.draw.line(surface, theme.MUTED, plot.bottomleft, plot.bottomright, 2)
    if song_length <= 0:
        return
    step = tick_step(song_length)
    for tick in range(0, int(song_length) + 1, step):
        x = plot.x + plot.width * tick / song_length
        pygame.draw.line(surface, theme.MUTED, (x, plot.bottom), (x, plot.bottom + 5), 2)
        draw.text(surface, clock_label(tick), (x, plot.bottom + 6), 16,
                  theme.MUTED, "midtop")  # fmt: skip
    for start, end, credit, common in window_bins(events):
        x0 = plot.x + plot.width * start / song_length
        x1 = plot.x + plot.width * end / song_length
        height = max(3, round(plot.height * credit))
        gap = 1 if x1 - x0 >= 4 else 0  # a hairline between bars, while they are wide enough
        width = max(1, round(x1 - x0) - gap)
        bar = pygame.Rect(round(x0) + gap, plot.bottom - height, width, height)
        pygame.draw.rect(surface, common.tier.color, bar, border_radius=min(3, width // 3))


def wrong_joints(joints: Sequence[JointReport], count: int) -> list[JointReport]:
    """The joints that were wrong in at least one window, most often wrong first."""
    wrong = [j for j in joints if j.wrong_share > 0]
    return sorted(wrong, key=lambda j: (-j.wrong_share, -j.mean_ratio))[:count]


def draw_joint_bars(
    surface: pygame.Surface,
    rect: pygame.Rect,
    joints: Sequence[JointReport],
    count: int = 5,
    title: str = "Weakest joints",
    color: theme.Color = theme.MUTED,
) -> None:
    """The joints that were wrong, most often first: each bar as long as the share of
    windows it was wrong in (the "wrong in N%" beside it). Joints never wrong are not listed."""
    draw.panel(surface, rect)
    draw.text(surface, title, (rect.x + 14, rect.y + 10), 24, color)
    shown = wrong_joints(joints, count)
    if not shown:
        draw.check_mark(surface, (rect.x + 30, rect.y + 58), 22, theme.GOOD_TINT)
        draw.text(surface, "No joint was off", (rect.x + 50, rect.y + 58), 26, theme.GOOD_TINT,
                  "midleft")  # fmt: skip
        return
    row = (rect.height - 44) / max(1, count)
    for i, joint in enumerate(shown):
        y = rect.y + 40 + i * row
        draw.text(surface, joint.name.replace("_", " "), (rect.x + 14, y), 24, theme.TEXT)
        draw.text(surface, f"wrong in {joint.wrong_share:.0%}", (rect.right - 14, y + 2), 20,
                  theme.MUTED, "topright")  # fmt: skip
        bar = pygame.Rect(rect.x + 14, round(y + 24), rect.width - 28, 12)
        fraction = min(1.0, joint.wrong_share)
        draw.bar(surface, bar, fraction, theme.mix(theme.GOLD, theme.WRONG, fraction * 1.5))
