"""The song clock: the audio position is the master, sampled once per rendered frame.

The clock predicts the song position from the wall clock between frames, eases toward
the audio device's reported position, and snaps when they drift apart (a seek, a
stutter). `rate` is the playback speed (practice at 0.5x runs the song clock at half
speed). Pure: the audio position and the wall clock are injected.
"""

from __future__ import annotations

from collections.abc import Callable

SNAP_DRIFT_S = 0.12
EASE = 0.15


class SongClock:
    def __init__(
        self,
        wall: Callable[[], float],
        audio_position: Callable[[], float | None],
        start: float = 0.0,
        rate: float = 1.0,
        audio_offset: float = 0.0,
    ) -> None:
        """`audio_position()` is song seconds heard so far (None before audio starts);
        `audio_offset` (s) is added to it: positive when the speakers lag the device."""
        self._wall = wall
        self._audio_position = audio_position
        self.rate = rate
        self.audio_offset = audio_offset
        self._song = start
        self._at_wall = wall()
        self.paused = False

    @property
    def position(self) -> float:
        """Song position (seconds) at the last update: the one snapshot for this frame."""
        return self._song

    def update(self) -> float:
        now = self._wall()
        if not self.paused:
            predicted = self._song + (now - self._at_wall) * self.rate
            heard = self._audio_position()
            if heard is None:
                self._song = predicted
            else:
                target = heard - self.audio_offset
                drift = target - predicted
                self._song = target if abs(drift) > SNAP_DRIFT_S else predicted + drift * EASE
        self._at_wall = now
        return self._song

    def song_time_at(self, wall_time: float) -> float:
        """The song position at another wall time (e.g. a camera frame's capture time)."""
        if self.paused:
            return self._song
        return self._song + (wall_time - self._at_wall) * self.rate

    def pause(self) -> None:
        self.update()
        self.paused = True

    def resume(self) -> None:
        self._at_wall = self._wall()
        self.paused = False

    def seek(self, song_time: float) -> None:
        self._song = song_time
        self._at_wall = self._wall()
