"""Recording your take: the rendered game frames of one song and the song's audio, encoded
to an MP4 (H.264 + AAC, PyAV) on a background thread.

The render thread only copies the frame's pixels into a bounded queue (a frame is dropped,
never waited for, if the encoder falls behind), so the game keeps its frame rate. Frames
are stamped with song time, so the picture stays in step with the audio whatever the frame
rate of the game was.
"""

from __future__ import annotations

import queue
import sys
import threading
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pygame

from game.errors import UserError

FPS = 30
QUEUE_FRAMES = 8  # at most this many frames wait for the encoder (~22 MB at 1280x720)
AUDIO_RATE = 44100


class RecordingError(UserError):
    """The take cannot be written (the message is one line)."""


def check_target(path: Path) -> Path:
    """`path` must end in .mp4 and its folder must exist and be writable."""
    path = Path(path)
    if path.suffix.lower() != ".mp4":
        raise RecordingError(f"{path}: --record writes an .mp4 file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RecordingError(f"{path}: the folder {folder} does not exist")
    try:
        with open(path, "ab"):
            pass
    except OSError as exc:
        raise RecordingError(f"{path}: cannot write there ({exc.strerror})") from exc
    return path


class TakeRecorder:
    """Records the frames of the first song it is given, then its audio, to `path`."""

    def __init__(
        self,
        path: Path,
        fps: int = FPS,
        queue_frames: int = QUEUE_FRAMES,
        wait_for_encoder: bool = False,
    ) -> None:
        """`wait_for_encoder`: a take rendered faster than real time (a test's fake clock)
        waits for the encoder rather than dropping frames; a live song never waits."""
        self.path = check_target(path)
        self.wait_for_encoder = wait_for_encoder
        self.fps = fps
        self.dropped = 0
        self.frames = 0
        self.error: str | None = None
        self._owner: object | None = None  # the scene whose song is recorded
        self._audio: Path | None = None
        self._next_index = 0
        self._last_time = 0.0
        self._queue: queue.Queue[tuple[int, bytes, tuple[int, int]] | None] = queue.Queue(
            queue_frames
        )
        self._closed = False
        self._thread = threading.Thread(target=self._encode, name="record take", daemon=True)
        self._thread.start()

    @property
    def recording(self) -> bool:
        return self._owner is not None and not self._closed

    def add(
        self, owner: object, surface: pygame.Surface, song_time: float, audio: Path | None
    ) -> None:
        """Offer the frame just drawn at `song_time` of `owner`'s song; only the first
        owner's song is recorded, at `fps` (frames between are skipped)."""
        if self._closed or song_time < 0:
            return
        if self._owner is None:
            self._owner, self._audio = owner, audio
        if owner is not self._owner:
            return
        index = int(song_time * self.fps)
        if index < self._next_index:
            return
        self._next_index = index + 1
        self._last_time = song_time
        try:
            frame = (index, pygame.image.tobytes(surface, "RGB"), surface.get_size())
            self._queue.put(frame, block=self.wait_for_encoder)
            self.frames += 1
        except queue.Full:
            self.dropped += 1

    def close(self) -> Path | None:
        """Finish the file (waits for the encoder); the path, or None if nothing was
        recorded. A failure is printed as one line and kept in `error`."""
        if not self._closed:
            self._closed = True
            self._queue.put(None)
            self._thread.join()
        if self.error:
            print(f"cover-dance: recording failed: {self.error}", file=sys.stderr)
            return None
        return self.path if self.frames else None

    # --- the encoder thread ---

    def _encode(self) -> None:
        container = None
        try:
            first = self._queue.get()
            if first is None:
                self.path.unlink(missing_ok=True)
                return
            width, height = first[2]
            container = av.open(str(self.path), "w")
            video = container.add_stream("libx264", rate=self.fps)
            video.width, video.height, video.pix_fmt = (
                width - width % 2,
                height - height % 2,
                "yuv420p",
            )
            video.options = {"preset": "ultrafast", "crf": "23"}
            video.thread_count = 2
            video.time_base = Fraction(1, self.fps)
            audio = None
            if self._audio is not None:  # every stream before the first packet
                audio = container.add_stream("aac", rate=AUDIO_RATE)
                audio.layout = "stereo"
            item: tuple[int, bytes, tuple[int, int]] | None = first
            while item is not None:
                index, pixels, size = item
                image = np.frombuffer(pixels, np.uint8).reshape(size[1], size[0], 3)
                frame = av.VideoFrame.from_ndarray(image[: video.height, : video.width], "rgb24")
                frame.pts = index
                for packet in video.encode(frame):
                    container.mux(packet)
                item = self._queue.get()
            for packet in video.encode():
                container.mux(packet)
            if audio is not None and self._audio is not None:
                _mux_audio(container, audio, self._audio, self._next_index / self.fps)
        except Exception as exc:  # the game goes on; close() reports it
            self.error = f"{self.path}: {exc}"
            while self._queue.get() is not None:  # drain, so add() never blocks
                pass
        finally:
            if container is not None:
                container.close()


def _mux_audio(
    container: av.container.OutputContainer,
    stream: av.audio.stream.AudioStream,
    source: Path,
    seconds: float,
) -> None:
    """The first `seconds` of `source`, encoded into `stream` of `container`."""
    resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE)
    limit = round(seconds * AUDIO_RATE)
    written = 0
    with av.open(str(source)) as song:
        for decoded in song.decode(audio=0):
            for frame in resampler.resample(decoded):
                if written >= limit:
                    break
                keep = min(frame.samples, limit - written)
                if keep < frame.samples:
                    array = frame.to_ndarray()[:, :keep]
                    frame = av.AudioFrame.from_ndarray(
                        np.ascontiguousarray(array), "fltp", "stereo"
                    )
                    frame.sample_rate = AUDIO_RATE
                frame.pts = written
                frame.time_base = Fraction(1, AUDIO_RATE)
                written += keep
                for packet in stream.encode(frame):
                    container.mux(packet)
            if written >= limit:
                break
    for packet in stream.encode(None):
        container.mux(packet)
