"""One way in for every video that is tracked: `TrackRequest`, built once per command.

It holds the video probed once (a missing file or a non-video is one line, before any work),
the frame step (`every_for`: the one rule for "about N frames a second"), and the pose model
that tracks it (the estimator kind and model file, named by their identity). Import, score,
rank, learn and play with `--input`, and group tracking carry it; the pose cache key comes
from it (`cache_text`), so a track is never served for another model or frame step.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from game.capture.video import VideoInfo, probe_video
from game.pose.factory import DEFAULT_ESTIMATOR, model_identity

STEP_SLACK = 1.25
"""A video up to this much faster than the frames a second asked for is tracked whole."""


def every_for(video_fps: float, fps: float | None) -> int:
    """Track every n-th frame to reach about `fps` frames a second (None: every frame)."""
    if not fps or video_fps <= fps * STEP_SLACK:
        return 1
    return max(1, round(video_fps / fps))


@dataclass(frozen=True)
class TrackRequest:
    """A video to track: where it is, what it is, which frames and with which pose model."""

    video: Path
    info: VideoInfo
    every: int = 1  # track every n-th frame
    estimator: str = DEFAULT_ESTIMATOR
    model_path: Path | None = None  # None: the estimator's bundled model

    @classmethod
    def of(
        cls,
        video: Path | str,
        fps: float | None = None,
        model_path: Path | str | None = None,
        estimator: str = DEFAULT_ESTIMATOR,
    ) -> TrackRequest:
        """Probe `video` once (CaptureError, one line, if it is not a video) and track it at
        about `fps` frames a second (None: every frame)."""
        video = Path(video)
        info = probe_video(video)
        model = None if model_path is None else Path(model_path)
        return cls(video, info, every_for(info.fps, fps), estimator, model)

    def stepped(self, every: int) -> TrackRequest:
        """The same video and model, every `every`-th frame."""
        return replace(self, every=max(1, every))

    @property
    def model(self) -> str:
        """The pose model's identity (kind, file name and content hash)."""
        return model_identity(self.estimator, self.model_path)

    def cache_text(self) -> str:
        """What decides the tracked poses, for the pose cache key."""
        return f"every={self.every};{self.model}"

    def frames(self, start: float = 0.0, end: float | None = None) -> int:
        """About how many frames are tracked from `start` to `end` s (None: the end)."""
        stop = self.info.duration if end is None else end
        return round(max(stop - start, 0.0) * self.info.fps / self.every)
