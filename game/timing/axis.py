"""Time axes of charts (the scorecard's, the HTML report's): round tick steps, m:ss labels."""

from __future__ import annotations

TICK_STEPS_S = (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600)


def tick_step(length_s: float, most: int = 7, smallest: int = 5) -> int:
    """Seconds between ticks: the smallest round step (at least `smallest`) giving at most
    `most` ticks over `length_s`."""
    for step in TICK_STEPS_S:
        if step >= smallest and length_s / step <= most:
            return step
    return TICK_STEPS_S[-1]


def clock_label(seconds: float) -> str:
    """'3:05' for 185 seconds."""
    whole = int(max(0.0, seconds))
    return f"{whole // 60}:{whole % 60:02d}"
