"""Charts for the scorecard: similarity over time and the weakest joints."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from game.render import draw, theme
from game.scoring.judge import WindowJudgement
from game.scoring.score import JointReport


def draw_score_over_time(
    surface: pygame.Surface,
    rect: pygame.Rect,
    events: Sequence[WindowJudgement],
    song_length: float,
    color: theme.Color = theme.ACCENT_2,
    title: str = "Score over time",
) -> None:
    """Each window as a bar (height = similarity, colour = judgement), plus a trend line."""
    draw.panel(surface, rect)
    draw.text(surface, title, (rect.x + 14, rect.y + 10), 24, color)
    plot = pygame.Rect(rect.x + 14, rect.y + 36, rect.width - 28, rect.height - 50)
    for level in (0.5, 1.0):
        y = plot.bottom - plot.height * level
        pygame.draw.line(surface, theme.PANEL_EDGE, (plot.x, y), (plot.right, y), 1)
    if not events or song_length <= 0:
        return
    points = []
    for event in events:
        x0 = plot.x + plot.width * event.start_s / song_length
        x1 = plot.x + plot.width * event.end_s / song_length
        height = max(3, round(plot.height * event.similarity))
        bar = pygame.Rect(round(x0) + 1, plot.bottom - height, max(2, round(x1 - x0) - 2), height)
        pygame.draw.rect(surface, theme.JUDGEMENT_COLORS[event.judgement], bar, border_radius=2)
        points.append(((x0 + x1) / 2, plot.bottom - plot.height * event.similarity))
    smoothed = []
    for i in range(len(points)):
        near = points[max(0, i - 2) : i + 3]
        smoothed.append((points[i][0], sum(p[1] for p in near) / len(near)))
    if len(smoothed) > 1:
        pygame.draw.lines(surface, color, False, smoothed, 3)


def draw_joint_bars(
    surface: pygame.Surface,
    rect: pygame.Rect,
    joints: Sequence[JointReport],
    count: int = 5,
    title: str = "Weakest joints",
    color: theme.Color = theme.MUTED,
) -> None:
    """The weakest joints: how far off they were on average, in tolerances."""
    draw.panel(surface, rect)
    draw.text(surface, title, (rect.x + 14, rect.y + 10), 24, color)
    shown = [j for j in joints if j.mean_ratio == j.mean_ratio][:count]
    row = (rect.height - 44) / max(1, count)
    for i, joint in enumerate(shown):
        y = rect.y + 40 + i * row
        draw.text(surface, joint.name.replace("_", " "), (rect.x + 14, y), 24, theme.TEXT)
        draw.text(
            surface,
            f"wrong {joint.wrong_share:.0%}",
            (rect.right - 14, y + 2),
            20,
            theme.MUTED,
            "topright",
        )
        bar = pygame.Rect(rect.x + 14, round(y + 24), rect.width - 28, 12)
        fraction = min(1.0, joint.mean_ratio / 2.0)
        color = theme.mix(theme.GOLD, theme.WRONG, fraction * 1.5)
        draw.bar(surface, bar, fraction, color)
        tolerance_x = bar.x + bar.width // 2  # one tolerance: beyond it the joint is wrong
        pygame.draw.line(
            surface, theme.TEXT, (tolerance_x, bar.y - 3), (tolerance_x, bar.bottom + 3), 2
        )
