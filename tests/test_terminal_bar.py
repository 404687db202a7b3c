"""The terminal progress bar's time left: at the recent pace, in minutes when it is long."""

from __future__ import annotations

import io

import pytest

from game.terminal_bar import TerminalBar, duration_text


def test_time_left_follows_the_pace_of_now_not_the_average() -> None:
    """Tracking slows down when more dancers come into view: 1% a second for 50 s, then
    0.25% a second. After 2 minutes at the slow pace the line says what is left at that
    pace (the average since the start would say 40% less)."""
    now = [0.0]
    out = io.StringIO()
    line = TerminalBar(out, clock=lambda: now[0])
    fraction = 0.0
    for second in range(170):
        now[0] = float(second)
        line.update("tracking dancers", fraction, 1000, "frames")
        fraction += 0.01 if second < 50 else 0.0025
    left = line.time_left(now[0], fraction)
    assert left == pytest.approx((1 - fraction) / 0.0025, rel=0.05)
    average = now[0] * (1 - fraction) / fraction
    assert average < 0.6 * left
    assert out.getvalue().splitlines()[-1].endswith(" min 59 s left")  # printed at 70%


def test_durations_in_words() -> None:
    assert [duration_text(s) for s in (4.4, 59.6, 65, 3599, 3725)] == [
        "4 s", "1 min 00 s", "1 min 05 s", "59 min 59 s", "1 h 02 min",
    ]  # fmt: skip


def test_slow_work_is_counted_per_minute_and_a_note_ends_the_line() -> None:
    """An audition: a cover every 20 s reads as 3 covers/min, with its failures so far."""
    now = [0.0]
    out = io.StringIO()
    line = TerminalBar(out, clock=lambda: now[0])
    for done in range(4):
        now[0] = 20.0 * done
        line.update("ranking covers", done / 10, 10, "covers", note="1 failed" if done else "")
    last = out.getvalue().splitlines()[-1]
    assert last.startswith("ranking covers:  30%, 3/10 covers, 3 covers/min")
    assert last.endswith(", 1 failed")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_bar_is_redrawn_on_one_line_per_label() -> None:
    """tqdm redraws the line (a carriage return, no new line until the label changes or the
    work ends); the figures are the same as off a terminal."""
    now = [0.0]
    out = Terminal()
    line = TerminalBar(out, clock=lambda: now[0])
    for done in range(4):
        now[0] = 20.0 * done
        line.update("ranking covers", done / 10, 10, "covers", note="1 failed" if done else "")
    assert "\n" not in out.getvalue() and out.getvalue().startswith("\rranking covers:   0%|")
    line.update("writing the report", 1.0)
    line.finish()
    first, second, rest = out.getvalue().split("\n")
    assert first.split("\r")[-1].startswith("ranking covers:  30%|")
    assert first.endswith("|, 3/10 covers, 3 covers/min, 2 min 20 s left, 1 failed")
    assert second.split("\r")[-1].startswith("writing the report: 100%|") and rest == ""


def test_quiet_writes_nothing_anywhere() -> None:
    for out in (io.StringIO(), Terminal()):
        line = TerminalBar(out, quiet=True)
        line.update("tracking poses", 0.5, 100, "frames")
        line.finish()
        assert out.getvalue() == ""
