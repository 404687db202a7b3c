"""What the reports show at a moment: both poses, and the joints that were wrong then."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.cover.run import CoverResult
from game.pose.frame import MIN_VISIBILITY, PoseFrame, mirror_frame
from game.pose.skeleton import ANGLE_MARKER, BONES
from game.scoring.rules import WindowJudgement


@dataclass(frozen=True)
class Moment:
    time: float  # reference time
    reference: PoseFrame | None
    cover: PoseFrame | None  # as judged (mirrored back when the cover is mirrored)
    wrong: tuple[str, ...]
    event: WindowJudgement | None


def _pose(track, time: float, max_gap: float = 0.2) -> PoseFrame | None:
    if len(track) == 0:
        return None
    frame = track.frame_at(time)
    if abs(frame.time - time) > max_gap or frame.visibility.max() <= 0:
        return None
    return frame


def event_at(result: CoverResult, time: float) -> WindowJudgement | None:
    for event in result.events:
        if event.start_s <= time < event.end_s:
            return event
    return None


def moment(result: CoverResult, time: float, mirror_cover: bool = True) -> Moment:
    """Both poses at reference `time`; the cover one at its aligned time (plus the lag)."""
    event = event_at(result, time)
    lag = event.lag_s if event else 0.0
    cover_time = float(result.alignment.warp.to_cover(time + lag))
    if not np.isfinite(cover_time):
        cover_time = time + result.alignment.offset_s + lag
    cover = _pose(result.cover.track, cover_time)
    if cover is not None and mirror_cover and result.alignment.mirrored:
        cover = mirror_frame(cover, result.cover.track.aspect)
    wrong = tuple(result.joint_names[j] for j in event.wrong_joints) if event else ()
    return Moment(time, _pose(result.reference.track, time), cover, wrong, event)


def bone_segments(frame: PoseFrame) -> list[tuple[np.ndarray, np.ndarray]]:
    """(start, end) x/y points of every visible bone, in height units."""
    seen = frame.visibility >= MIN_VISIBILITY
    xy = frame.landmarks[:, :2]
    return [(xy[a], xy[b]) for a, b in BONES if seen[a] and seen[b]]


def marker_points(frame: PoseFrame, joints: tuple[str, ...]) -> list[np.ndarray]:
    """Where to circle each wrong joint (skipped when not visible)."""
    points = []
    for name in joints:
        idx = list(ANGLE_MARKER.get(name, ()))
        if idx and (frame.visibility[idx] >= MIN_VISIBILITY).all():
            points.append(frame.landmarks[idx, :2].mean(axis=0))
    return points


def bounds(frame: PoseFrame) -> tuple[float, float, float, float]:
    """x0, y0, x1, y1 of the visible landmarks (height units)."""
    seen = frame.visibility >= MIN_VISIBILITY
    xy = frame.landmarks[seen, :2] if seen.any() else frame.landmarks[:, :2]
    return (
        float(xy[:, 0].min()),
        float(xy[:, 1].min()),
        float(xy[:, 0].max()),
        float(xy[:, 1].max()),
    )
