"""A progress bar on one terminal line (stderr): what, how far, how fast, time left. (The
player's saved progress, bests and history, is game.progress.)"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable
from typing import TextIO

RECENT_S = 60.0  # the time left comes from the pace over about the last minute ...
MIN_RECENT = 0.05  # ... or over at least this share of the work


def duration_text(seconds: float) -> str:
    """`45 s`, `3 min 05 s`, `1 h 02 min`."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class TerminalBar:
    """Redraws one terminal line (or prints a line per 10% when not a terminal). The time
    left is the work left at the recent pace (work that slows down or speeds up as it goes,
    such as tracking more dancers, is estimated by how it goes now, not on average)."""

    def __init__(
        self,
        stream: TextIO | None = None,
        quiet: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._clock = clock
        self._label = ""
        self._started = clock()
        self._last_decile = -1
        self._first_fraction = 0.0
        self._open = False
        self._recent: deque[tuple[float, float]] = deque()  # (time, fraction)

    def time_left(self, now: float, fraction: float) -> float | None:
        """Seconds left at the recent pace, or None before there is a pace to go by."""
        recent = self._recent
        recent.append((now, fraction))
        while len(recent) > 2 and (
            now - recent[1][0] >= RECENT_S and fraction - recent[1][1] >= MIN_RECENT
        ):
            recent.popleft()
        then, done = recent[0]
        if fraction - done <= 0.02 or now - then <= 0.5 or fraction >= 1.0:
            return None
        return (now - then) * (1 - fraction) / (fraction - done)

    def update(
        self, label: str, fraction: float, total: int | None = None, unit: str = "", note: str = ""
    ) -> None:
        """Show `label` at `fraction` done; with `total`, also count units and their rate (of
        what was done since the label was first shown: work may have begun before); `note`
        (e.g. failures so far) ends the line."""
        if self.quiet:
            return
        now = self._clock()
        fraction = min(max(fraction, 0.0), 1.0)
        if label != self._label:
            self.finish()
            self._label, self._started, self._last_decile = label, now, -1
            self._first_fraction = fraction
            self._recent.clear()
        elapsed = now - self._started
        progress = fraction - self._first_fraction
        parts = [f"{label}: {fraction:4.0%}"]
        if total:
            done = round(fraction * total)
            parts.append(f"{done}/{total} {unit}".rstrip())
            if elapsed > 0.2 and progress > 0:
                rate, per = progress * total / elapsed, "s"
                if rate < 1.0:  # slow work (a cover a minute): counted per minute
                    rate, per = rate * 60.0, "min"
                parts.append(f"{rate:.0f} {unit}/{per}".replace(" /", "/"))
        left = self.time_left(now, fraction)
        if left is not None:
            parts.append(f"{duration_text(left)} left")
        if note:
            parts.append(note)
        text = ", ".join(parts)
        if self.tty:
            self.stream.write("\r" + text.ljust(78)[:100])
            self._open = True
        else:
            decile = int(fraction * 10)
            if decile != self._last_decile:
                self._last_decile = decile
                self.stream.write(text + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False
