"""Where the players' poses come from: one owner for the input plan, the camera shared
across songs, videos used as the camera, the demo's bots, and the hand that points at menu
buttons."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from game.capture.base import CaptureError, PoseInput
from game.config import Settings
from game.demo import demo_input
from game.play_setup import PlaySetup
from game.pose.frame import PoseFrame
from game.pose.pointing import newest_pose
from game.session import capture_order, video_schedule

if TYPE_CHECKING:
    from game.cover.sync import VideoSync

InputFactory = Callable[[PlaySetup, Callable[[float], float], bool], PoseInput]
"""Opens a song's input: (setup, wall-to-song time, clean bot) -> poses (tests inject one)."""
CameraFactory = Callable[[int], PoseInput]
"""Opens the camera for a number of players (tests inject a fake one)."""


@dataclass(frozen=True)
class InputPlan:
    """Where the players' poses come from."""

    kind: str  # "camera", "video" (videos, maybe with a camera too), "demo"
    camera: int | None = 0
    videos: tuple[Path, ...] = ()
    model: Path | None = None
    video_offsets: tuple[float, ...] = ()
    """`--input-offset`: the n-th video's time = song time + the n-th offset; a video
    without one is lined up by its music."""

    def video_offset(self, index: int) -> float | None:
        """The offset given by hand for the video `index`, if any."""
        return self.video_offsets[index] if index < len(self.video_offsets) else None

    @property
    def label(self) -> str:
        if self.kind == "demo":
            return "demo: the bot dances"
        names = [f"camera {self.camera}"] if self.camera is not None else []
        return " + ".join(names + [f"video {p.name}" for p in self.videos])


class PlayerInputs:
    """The game's pose inputs. `settings()` gives the current settings (camera size and
    latency); `factory`, when set, opens every song's input instead (tests, benchmarks), and
    `camera_factory` the camera."""

    def __init__(
        self, plan: InputPlan, now: Callable[[], float], settings: Callable[[], Settings]
    ) -> None:
        self.plan = plan
        self.now = now
        self.settings = settings
        self.factory: InputFactory | None = None
        self.camera_factory: CameraFactory | None = None
        self.camera: PoseInput | None = None
        """The camera, opened once and lent to each song."""
        self.hand_pose: PoseFrame | None = None
        self.camera_lag: float | None = None
        """The median lag of the poses behind the coach in the last song danced to the
        camera (None before one): what the latency calibration offers to add."""
        self.syncs: dict[tuple[Path, Path], VideoSync] = {}
        """Each video's place against each song it was played to: (song, video) -> sync."""
        self.notify: Callable[[str], None] = lambda line: None
        """Shows the player a one-line notice (the game: on screen at the song's start)."""

    @property
    def camera_only(self) -> bool:
        """The players dance to the camera alone: its latency setting applies, and its
        lag calibrates it (a video's or a bot's says nothing about the camera)."""
        return self.plan.kind == "camera" and not self.plan.videos

    @property
    def latency(self) -> float:
        """Seconds between a camera frame's capture stamp and the moment it shows."""
        return self.settings().camera_latency_ms / 1000.0 if self.camera_only else 0.0

    def note_lags(self, lags: Sequence[float]) -> None:
        """A finished song's judged lags (P1's): their median is the camera's lag."""
        if lags and self.camera_only:
            self.camera_lag = float(np.median(lags))

    def hand(self) -> PoseFrame | None:
        """The newest pose from the camera, for choosing menu buttons by hand (None without
        a camera)."""
        if self.camera is None:
            return None
        newest = newest_pose(self.camera.poll(self.now()))
        if newest is not None:
            self.hand_pose = newest
        return self.hand_pose

    def open(
        self, setup: PlaySetup, song_time_of: Callable[[float], float], clean_bot: bool = False
    ) -> PoseInput:
        """Pose input for one song (the camera stays open across songs)."""
        players = setup.players
        if self.factory is not None:
            return self.factory(setup, song_time_of, clean_bot)
        if self.plan.kind == "demo":
            return demo_input(setup, song_time_of, clean_bot)
        plan = self.plan
        syncs = [self.sync(setup.level.audio_path, i) for i in range(len(plan.videos))]
        if syncs:
            self.notify("; ".join(sync.notice for sync in syncs))
        sources = ([] if plan.camera is None else [None]) + syncs  # None: the camera
        if len(sources) > 1:
            from game.capture.merged import MergedInput

            per_player = [self._open_one(source, 1, song_time_of)
                          for source in sources[:players]]  # P1 first  # fmt: skip
            return MergedInput(capture_order(per_player))
        return self._open_one(sources[0], players, song_time_of)

    def sync(self, song: Path, index: int) -> VideoSync:
        """Where the plan's video `index` sits against `song`: by hand, else by its music
        (found once per song, and said on the terminal)."""
        from game.cover.sync import sync_video

        video = self.plan.videos[index]
        if (song, video) not in self.syncs:
            found = sync_video(song, video, self.plan.video_offset(index))
            print(f"cover-dance: {found.notice}", file=sys.stderr)
            self.syncs[song, video] = found
        return self.syncs[song, video]

    def _open_one(
        self, video: VideoSync | None, players: int, song_time_of: Callable[[float], float]
    ) -> PoseInput:
        """A video file, its frames landing at their song time, or the shared camera."""
        if video is not None:
            from game.capture.open import open_video_input

            start = max(0.0, song_time_of(self.now()) + video.offset_s)
            return open_video_input(
                video.video, players, model_path=self.plan.model, clock=self.now, start=start,
                schedule=video_schedule(song_time_of, self.now, video.offset_s),
            )  # fmt: skip
        return _Shared(self.open_camera(players))

    def open_camera(self, players: int) -> PoseInput:
        """The shared camera, for `players`: reopened if it failed or was opened for another
        number of players (the game opens it at start so menus work by hand at once)."""
        failed = self.camera is not None and self.camera.problem() is not None
        if self.camera is not None and (failed or self.camera.players != players):
            self.camera.close()
            self.camera = None
        if self.camera is None and self.camera_factory is not None:
            self.camera = self.camera_factory(players)
        if self.camera is None:
            from game.capture.open import open_webcam_input

            self.camera = open_webcam_input(
                self.plan.camera or 0, players, self.settings().camera_width,
                self.settings().camera_height, self.plan.model, clock=self.now,
            )  # fmt: skip
        return self.camera

    def open_camera_alone(self) -> PoseInput:
        """The camera lent to a scene with no song (the clap test), for one person; a
        CaptureError when the game plays without a camera (the demo's bots cannot clap)."""
        if self.plan.kind == "demo" or self.plan.camera is None:
            raise CaptureError("The clap test needs a camera: start the game with one")
        if self.camera is not None and self.camera.problem() is None:
            return _Shared(self.camera)  # open for two: the scene reads the first person
        return _Shared(self.open_camera(1))

    def close(self) -> None:
        if self.camera is not None:
            self.camera.close()
            self.camera = None


class _Shared:
    """A camera input lent to one scene: closing it does not close the camera."""

    def __init__(self, inner: PoseInput) -> None:
        self._inner = inner
        self.players = inner.players

    def poll(self, now: float):
        return self._inner.poll(now)

    def latest_image(self):
        return self._inner.latest_image()

    def problem(self) -> str | None:
        return self._inner.problem()

    @property
    def ended(self) -> bool:
        return self._inner.ended

    def pause(self) -> None:
        self._inner.pause()

    def resume(self) -> None:
        self._inner.resume()

    def close(self) -> None:
        pass
