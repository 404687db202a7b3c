"""A progress bar on one terminal line (stderr): what, how far, how fast, time left. (The
player's saved progress, bests and history, is game.progress.)"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class TerminalBar:
    """Redraws one terminal line (or prints a line per 10% when not a terminal)."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._label = ""
        self._started = time.monotonic()
        self._last_decile = -1
        self._first_fraction = 0.0
        self._open = False

    def update(self, label: str, fraction: float, total: int | None = None, unit: str = "") -> None:
        """Show `label` at `fraction` done; with `total`, also count units and their rate (of
        what was done since the label was first shown: work may have begun before)."""
        if self.quiet:
            return
        now = time.monotonic()
        fraction = min(max(fraction, 0.0), 1.0)
        if label != self._label:
            self.finish()
            self._label, self._started, self._last_decile = label, now, -1
            self._first_fraction = fraction
        elapsed = now - self._started
        progress = fraction - self._first_fraction
        parts = [f"{label}: {fraction:4.0%}"]
        if total:
            done = round(fraction * total)
            parts.append(f"{done}/{total} {unit}".rstrip())
            if elapsed > 0.2 and progress > 0:
                parts.append(f"{progress * total / elapsed:.0f} {unit}/s".replace(" /s", "/s"))
        if progress > 0.02 and fraction < 1.0 and elapsed > 0.5:
            parts.append(f"{elapsed * (1 - fraction) / progress:.0f} s left")
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
