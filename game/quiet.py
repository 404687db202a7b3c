"""Keep the pose library's own log lines (MediaPipe, TFLite, absl, glog) out of our output.

Their C++ code writes straight to file descriptor 2, past Python, and some lines (TFLite's
"Created TensorFlow Lite XNNPACK delegate", absl's "All log messages before
absl::InitializeLog()") ignore GLOG_minloglevel and TF_CPP_MIN_LOG_LEVEL. So while a command
runs, descriptor 2 points at the null device and Python's `sys.stderr` at a copy of the real
one: our own messages (and tracebacks) still show, theirs do not.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

QUIET_ENV = {"GLOG_minloglevel": "2", "TF_CPP_MIN_LOG_LEVEL": "3", "GLOG_logtostderr": "0",
             "PYGAME_HIDE_SUPPORT_PROMPT": "1"}  # fmt: skip


def quiet_env() -> None:
    """The libraries' own switches (read when they load, so set before importing them)."""
    for name, value in QUIET_ENV.items():
        os.environ.setdefault(name, value)
    with contextlib.suppress(ImportError):
        from absl import logging as absl_logging

        absl_logging.set_verbosity(absl_logging.ERROR)


@contextlib.contextmanager
def quiet_pose_library() -> Iterator[None]:
    """Inside: native writes to stderr are dropped, Python's `sys.stderr` still shows.

    Only when stderr is the process's own (under pytest's capture nothing is redirected)."""
    quiet_env()
    if sys.stderr is not sys.__stderr__ or sys.__stderr__ is None:
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    ours = os.fdopen(os.dup(saved), "w", buffering=1, encoding=sys.stderr.encoding)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    sys.stderr = ours
    try:
        yield
    finally:
        ours.flush()
        sys.stderr = sys.__stderr__
        os.dup2(saved, 2)
        os.close(saved)
        ours.close()
