"""The two dances side by side, in step, with skeletons and the wrong joints circled red."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from game.capture.base import CapturedFrame
from game.capture.video import iter_video
from game.cover.run import CoverResult
from game.cover.stills import bone_segments, event_at, marker_points, moment
from game.pose.frame import PoseFrame
from game.scoring.rules import Judgement

HEIGHT = 480
FPS = 15
PLAIN = (230, 230, 230)  # a caption with no window judged, or a window with no pose


class FrameCursor:
    """Sequential access to a video's frames by time (times must not go back)."""

    def __init__(self, path: Path | None) -> None:
        self._frames: Iterator[CapturedFrame] | None = iter_video(path) if path else None
        self._current: CapturedFrame | None = None
        self._next: CapturedFrame | None = None

    def at(self, time: float) -> np.ndarray | None:
        if self._frames is None:
            return None
        if self._next is None:
            self._next = next(self._frames, None)
        while self._next is not None and self._next.time <= time + 1e-6:
            self._current, self._next = self._next, next(self._frames, None)
        return None if self._current is None else self._current.image


def _panel(
    image: np.ndarray | None, pose: PoseFrame | None, wrong: tuple[str, ...], aspect: float
) -> np.ndarray:
    width = int(round(HEIGHT * aspect / 2) * 2)
    if image is None:
        canvas = np.full((HEIGHT, width, 3), 30, np.uint8)
    else:
        canvas = cv2.resize(image, (width, HEIGHT), interpolation=cv2.INTER_AREA)
    if pose is not None:
        for a, b in bone_segments(pose):
            pa = tuple(int(v) for v in a * HEIGHT)
            pb = tuple(int(v) for v in b * HEIGHT)
            cv2.line(canvas, pa, pb, (80, 220, 255), 3, cv2.LINE_AA)
        for p in marker_points(pose, wrong):
            cv2.circle(canvas, tuple(int(v) for v in p * HEIGHT), 16, (255, 60, 60), 3, cv2.LINE_AA)
    return canvas


def _video_of(path: Path, level_video: Path | None, is_video: bool) -> Path | None:
    return path if is_video else level_video


class SideBySide:
    """Composes reference-and-cover frames at reference times (which must not go back)."""

    def __init__(self, result: CoverResult) -> None:
        ref, cover = result.reference, result.cover
        level_video = None
        if ref.path.is_dir():
            from game.level.loader import load_level

            level_video = load_level(ref.path).video_path
        self.result = result
        self._ref_frames = FrameCursor(_video_of(ref.path, level_video, ref.is_video))
        self._cover_frames = FrameCursor(cover.path if cover.is_video else None)

    def frame(self, t: float, caption: bool = True) -> np.ndarray:
        """Reference left, cover right, skeletons drawn and the cover's wrong joints circled."""
        result = self.result
        m = moment(result, t, mirror_cover=False)
        cover_time = float(result.alignment.warp.to_cover(t))
        if not np.isfinite(cover_time):
            cover_time = t + result.alignment.offset_s
        wrong_cover = m.wrong
        if result.alignment.mirrored:  # the cover's own left is the reference's right
            wrong_cover = tuple(_swap_side(n) for n in m.wrong)
        left = _panel(self._ref_frames.at(t), m.reference, (), result.reference.track.aspect)
        right = _panel(
            self._cover_frames.at(cover_time), m.cover, wrong_cover, result.cover.track.aspect
        )
        frame = np.concatenate([left, right], axis=1)
        if caption:
            _caption(frame, event_at(result, t), t)
        return frame


def write_side_by_side(
    result: CoverResult, path: Path, on_progress: Callable[[float], None] | None = None
) -> None:
    """Write `path` (.mp4): reference left, cover right, at reference time."""
    composer = SideBySide(result)
    t0, t1 = result.events[0].start_s, result.events[-1].end_s
    times = np.arange(t0, t1, 1.0 / FPS)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp.mp4")
    try:
        with av.open(str(tmp), "w", format="mp4") as out:
            stream = None
            for i, t in enumerate(times):
                frame = composer.frame(float(t))
                if stream is None:
                    stream = out.add_stream("libx264", rate=Fraction(FPS))
                    stream.width, stream.height, stream.pix_fmt = frame.shape[1], HEIGHT, "yuv420p"
                    stream.options = {"preset": "veryfast", "crf": "26"}
                for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                    out.mux(packet)
                if on_progress and i % 15 == 0:
                    on_progress(i / len(times))
            if stream is not None:
                for packet in stream.encode():
                    out.mux(packet)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    if on_progress:
        on_progress(1.0)


def _swap_side(name: str) -> str:
    if name.startswith("left_"):
        return "right_" + name[5:]
    if name.startswith("right_"):
        return "left_" + name[6:]
    return name


def _caption(frame: np.ndarray, event, time: float) -> None:
    text = f"{time:5.1f} s"
    color = PLAIN
    if event is not None:
        text += f"  {event.judgement.label}"
        if event.judgement != Judgement.NO_POSE:
            color = event.judgement.tier.color  # as in the game
    cv2.rectangle(frame, (0, 0), (260, 34), (0, 0, 0), -1)
    cv2.putText(frame, text, (8, 24), cv2.FONT_HERSHEY_SIMPLEX, 0.8, color, 2, cv2.LINE_AA)
