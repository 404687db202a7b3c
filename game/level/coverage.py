"""Does a pose track cover a level's song? Every window needs the dancer's frames."""

from __future__ import annotations

import numpy as np

from game.pose.frame import PoseTrack
from game.timing.beat_grid import BeatGrid

COVERAGE_SLACK_S = 0.5  # the pose track may end this much before the last window does
MIN_SEEN_WINDOWS = 0.25  # share of windows in which a part's dancer must be seen


def coverage_problem(track: PoseTrack, grid: BeatGrid) -> str | None:
    """Why `track` does not cover the song's windows, or None: it must reach the last window,
    have a frame in (or within COVERAGE_SLACK_S of) every window, and show the dancer in at
    least MIN_SEEN_WINDOWS of them (a part never seen cannot be danced, or waited for)."""
    if track.times[-1] + COVERAGE_SLACK_S < grid.end_time:
        return (f"pose track ends at {track.times[-1]:.2f} s but the song's windows run to "
                f"{grid.end_time:.2f} s")  # fmt: skip
    spans = np.array([grid.window_span(w) for w in range(grid.window_count)]).reshape(-1, 2)
    starts, ends = spans[:, 0], spans[:, 1]
    covered = _frames_between(track.times, starts - COVERAGE_SLACK_S, ends + COVERAGE_SLACK_S)
    if not covered.all():
        window = int(np.argmin(covered))
        return (f"no pose frame in window {window + 1} ({starts[window]:.2f}-{ends[window]:.2f} s):"
                " the track must cover every window")  # fmt: skip
    seen = _frames_between(track.times[track.visibility.max(axis=1) > 0], starts, ends)
    if seen.mean() < MIN_SEEN_WINDOWS:
        return (f"the dancer is seen in {seen.mean():.0%} of the windows; at least "
                f"{MIN_SEEN_WINDOWS:.0%} needed")  # fmt: skip
    return None


def _frames_between(times: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """For each span, whether any of the sorted `times` falls within it."""
    return np.searchsorted(times, ends, side="right") > np.searchsorted(times, starts)
