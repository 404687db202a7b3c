"""A song in progress, without pygame: the song clock, the players' pose input and the live
judging. The play and practice scenes step it once a frame and draw it; tests step it with
a manual clock.

Player slots have one owner here: an input reports poses in capture order (the left of
the camera image first); on the mirrored screen that person stands on the right, so P1 is
the last of them. `screen_order` and `capture_order` are the only places that say so.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TypeVar

from game.capture.base import PoseInput
from game.scoring.live import LiveJudging
from game.scoring.rules import WindowJudgement
from game.timing.song_clock import SongClock

Clock = Callable[[], float]
T = TypeVar("T")
InputOpener = Callable[[Callable[[float], float]], PoseInput]
"""Opens the pose input, given the wall-to-song time conversion (bots dance in song time)."""


def screen_order(per_capture: Sequence[T]) -> list[T]:
    """Capture order (left of the camera image first) -> player slots (P1 on the left of the
    mirrored display), which is the reverse."""
    return list(per_capture)[::-1]


def capture_order(per_player: Sequence[T]) -> list[T]:
    """Player slots (P1 first) -> capture order: where each player stands in the camera
    image, left first (the inverse of `screen_order`)."""
    return list(per_player)[::-1]


def video_schedule(
    song_time_of: Callable[[float], float], wall: Clock, offset_s: float
) -> Callable[[float], float]:
    """For a video used as the camera whose time is song time + `offset_s`: video time ->
    the wall time its frame is due. It follows the song clock, so the video holds (inf)
    while the song is held or paused, and keeps up with the clock's corrections."""

    def due(video_s: float) -> float:
        now = wall()
        song = song_time_of(now)
        rate = song_time_of(now + 1.0) - song  # the song clock's speed now (0: held)
        return now + (video_s - offset_s - song) / rate if rate > 0 else math.inf

    return due


class SongSession:
    """Clock, input and judging of one song (or a practice slice of it)."""

    def __init__(
        self,
        judging: LiveJudging,
        open_input: InputOpener,
        wall: Clock,
        heard: Callable[[], float | None],
        start: float = 0.0,
        rate: float = 1.0,
        audio_offset_s: float = 0.0,
        input_latency_s: float = 0.0,
    ) -> None:
        """`heard()` is the song time the audio has played (None without audio); a pose's
        capture stamp (wall time) less `input_latency_s` is when it happened."""
        self.judging = judging
        self.wall = wall
        self.input_latency_s = input_latency_s
        self.clock = SongClock(wall, heard, start=start, rate=rate, audio_offset=audio_offset_s)
        # The clock holds while the input opens (a pose model loads; a video lined up with
        # the song waits for it): the song starts once the input is ready.
        self.clock.paused = True
        self.input = open_input(self.clock.song_time_at)
        self.clock.resume()
        self.input_ended_song_s: float | None = None
        """Song time the input (a video used as the camera) ended, if it did."""

    def step(self) -> tuple[float, list[tuple[int, WindowJudgement]]]:
        """One frame: advance the clock, take new poses (in song time), close due windows.
        Returns the song time and each (player, judgement) closed now."""
        song = self.clock.update()
        for player, frames in enumerate(screen_order(self.input.poll(self.wall()))):
            for frame in frames:  # capture time (wall clock) -> song time, here only
                happened_song_s = self.clock.song_time_at(frame.time - self.input_latency_s)
                self.judging.add_pose(player, frame.at(happened_song_s))
        if self.input_ended_song_s is None and self.input.ended:
            self._input_ended(song)
        return song, self.judging.update(song)

    def _input_ended(self, song: float) -> None:
        """The video used as the camera has ended: the rest of the song is not judged."""
        poses = [s.latest.time for s in self.judging.players if s.latest is not None]
        self.input_ended_song_s = min(song, max(poses)) if poses else song
        self.judging.stop_after(self.input_ended_song_s)

    def pause(self) -> None:
        """Hold the song clock and a video used as the camera."""
        self.clock.pause()
        self.input.pause()

    def resume(self) -> None:
        self.clock.resume()
        self.input.resume()

    def close(self) -> None:
        self.input.close()
