"""A time limit on a block of code, for work that may hang (a stuck decoder, a pipe opened
for reading): SIGALRM raises the caller's exception in the main thread when time is up."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def time_limit(seconds: float | None, expired: Callable[[], BaseException]) -> Iterator[None]:
    """Raise `expired()` inside the block after `seconds`. Without a limit, or where a timer
    cannot reach the block (not Unix, not the main thread), the block runs unlimited."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not seconds or not usable:
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise expired()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
