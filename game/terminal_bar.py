"""A progress bar on one terminal line (stderr): what, how far, how fast, time left. On a
terminal tqdm draws it (fitted to the terminal's width, redrawn at most ten times a second);
elsewhere (a pipe, a log file) it is a plain line at each tenth of the work. The figures
are ours: the time left at the recent pace, slow work counted per minute. (The player's
saved progress, bests and history, is game.progress.)"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TextIO

RECENT_S = 60.0  # the time left comes from the pace over about the last minute ...
MIN_RECENT = 0.05  # ... or over at least this share of the work
BAR_STEPS = 1000  # the drawn bar's resolution
BAR_FORMAT = "{desc}: {percentage:3.0f}%|{bar:20}|{postfix}"  # tqdm starts a postfix with ", "


def duration_text(seconds: float) -> str:
    """`45 s`, `3 min 05 s`, `1 h 02 min`."""
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class TerminalBar:
    """Redraws one terminal line (tqdm; or prints a line per 10% when not a terminal). The time
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
        self._bar: Any = None  # the tqdm bar of the current label, on a terminal
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
        if self.tty:
            self._draw(label, fraction, ", ".join(parts[1:]))
            return
        decile = int(fraction * 10)
        if decile != self._last_decile:
            self._last_decile = decile
            self.stream.write(", ".join(parts) + "\n")
            self.stream.flush()

    def _draw(self, label: str, fraction: float, details: str) -> None:
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=BAR_STEPS, desc=label, file=self.stream, bar_format=BAR_FORMAT,
                dynamic_ncols=True, mininterval=0.1, leave=True,
            )  # fmt: skip
        self._bar.set_postfix_str(details, refresh=False)
        self._bar.update(round(fraction * BAR_STEPS) - self._bar.n)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.close()  # drawn once more: its last figures, whatever the redraws skipped
            self._bar = None
