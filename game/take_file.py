"""The files of a recorded take (`play --record`): the spool of JPEG frames written during the
song, and the MP4 made from it after the song (H.264 + AAC, PyAV).

The MP4 has a constant frame rate: output frame k shows the game at song time k / fps (the
latest frame recorded at or before it, so frames the game skipped or dropped repeat the one
before), and the audio is the song's first frames / fps seconds (padded with silence where
the song file is shorter than what was played). Video and audio therefore last the same,
and are within one frame of the song's played length.
"""

from __future__ import annotations

import os
import queue
import tempfile
import threading
from array import array
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import TypeVar, cast

import av
import cv2
import numpy as np

from game.atomic import current_umask

AUDIO_RATE = 44100
JPEG_QUALITY = 80  # ~80 KB a 1280x720 game frame; compressing one takes ~2 ms of one core
AUDIO_CHUNK = 1024  # samples per AAC frame
VIDEO_PRESET = "veryfast"  # after the song: a quarter of ultrafast's file size, ~9 ms a frame
PREFETCH = 4  # frames decoded ahead of the encoder

T = TypeVar("T")


class Cancelled(Exception):
    """Writing the take was cancelled (SIGTERM or Ctrl+C while it was being written)."""


def one_line(exc: BaseException) -> str:
    """An exception as one short line (an OS or FFmpeg error without its number)."""
    strerror, filename = getattr(exc, "strerror", None), getattr(exc, "filename", None)
    text = str(exc) if not strerror else f"{filename}: {strerror}" if filename else strerror
    return " ".join(text.split())[:300] or type(exc).__name__


class FrameSpool:
    """JPEG-compressed frames, each with its frame index, in a temporary file without a name
    (in `folder`: the take's own disk, not a memory-backed /tmp), so a killed game leaves
    nothing behind. Memory: 16 bytes of index a frame; the pixels are on disk."""

    def __init__(self, folder: Path, quality: int = JPEG_QUALITY) -> None:
        self._file = tempfile.TemporaryFile(dir=folder)  # noqa: SIM115 (closed by close())
        self._quality = quality
        self._indices = array("q")
        self._sizes = array("q")

    def __len__(self) -> int:
        return len(self._indices)

    @property
    def last_index(self) -> int:
        return self._indices[-1]

    def add(self, index: int, image: np.ndarray) -> None:
        """Append frame `index` (BGR or BGRA pixels, index above the last one's)."""
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, self._quality])
        if not ok:
            raise OSError("could not compress a frame")
        self._file.write(data)
        self._indices.append(index)
        self._sizes.append(len(data))

    def frames(self) -> Iterator[tuple[int, np.ndarray]]:
        """(index, BGR image) of every frame, in order."""
        self._file.flush()
        self._file.seek(0)
        for index, size in zip(self._indices, self._sizes, strict=True):
            data = np.frombuffer(self._file.read(size), np.uint8)
            image = cv2.imdecode(data, cv2.IMREAD_COLOR)
            if image is None:
                raise OSError("a recorded frame could not be read back")
            yield index, image

    def close(self) -> None:
        self._file.close()


def check_audio(source: Path) -> None:
    """Raise (av's one-line error) unless `source` has an audio stream that decodes."""
    with av.open(str(source)) as song:
        if not song.streams.audio:
            raise ValueError(f"{source}: no audio stream")
        for _ in song.decode(audio=0):
            return
    raise ValueError(f"{source}: no audio could be decoded")


class AudioFeed:
    """The song's audio into an AAC stream of `container`: exactly `total` samples at
    AUDIO_RATE stereo, cut where the song played longer, silence where it ran out. Decoded as
    the video goes (write_until), so the file is interleaved and memory stays small."""

    def __init__(self, container: av.container.OutputContainer, source: Path, total: int) -> None:
        self.container = container
        self.stream = container.add_stream("aac", rate=AUDIO_RATE)
        self.stream.layout = "stereo"
        self.total = total
        self.written = 0
        self._song = av.open(str(source))
        self._decoded = self._samples()
        self._pending = np.zeros((2, 0), np.float32)

    def _samples(self) -> Iterator[np.ndarray]:
        """(2, n) float32 blocks of the song, resampled; nothing more once it ends."""
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=AUDIO_RATE)
        for decoded in self._song.decode(audio=0):
            for frame in resampler.resample(decoded):
                yield frame.to_ndarray().astype(np.float32, copy=False)
        for frame in resampler.resample(None):  # what the resampler still holds
            yield frame.to_ndarray().astype(np.float32, copy=False)

    def write_until(self, seconds: float) -> None:
        """Encode the audio up to `seconds` (at most `total` samples)."""
        goal = min(self.total, round(seconds * AUDIO_RATE))
        while self.written < goal:
            count = min(AUDIO_CHUNK, goal - self.written)
            while self._pending.shape[1] < count:
                block = next(self._decoded, None)
                if block is None:  # the song ran out: silence
                    block = np.zeros((2, count - self._pending.shape[1]), np.float32)
                self._pending = np.concatenate([self._pending, block], axis=1)
            chunk, self._pending = self._pending[:, :count], self._pending[:, count:]
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(chunk), "fltp", "stereo")
            frame.sample_rate = AUDIO_RATE
            frame.pts = self.written
            frame.time_base = Fraction(1, AUDIO_RATE)
            self.written += count
            for packet in self.stream.encode(frame):
                self.container.mux(packet)

    def finish(self) -> None:
        self.write_until(self.total / AUDIO_RATE)
        for packet in self.stream.encode(None):
            self.container.mux(packet)

    def close(self) -> None:
        self._song.close()


def write_take(
    spool: FrameSpool,
    frames: int,
    fps: int,
    audio: Path | None,
    target: Path,
    progress: Callable[[int], None] = lambda done: None,
    cancelled: Callable[[], bool] = lambda: False,
) -> None:
    """Encode `frames` frames at `fps` from `spool` (and the audio) to a temp file
    `.NAME.XXXXXXXX.tmp` beside `target`, renamed over it once complete. `progress(done)`
    after each frame; `cancelled()` is asked each frame (Cancelled is raised if it says so).
    Any failure leaves `target` as it was."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        _encode(spool, frames, fps, audio, tmp, progress, cancelled)
        os.chmod(tmp, 0o666 & ~current_umask())  # as a plain open() would have made it
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _encode(
    spool: FrameSpool,
    frames: int,
    fps: int,
    audio: Path | None,
    path: Path,
    progress: Callable[[int], None],
    cancelled: Callable[[], bool],
) -> None:
    time_base = Fraction(1, fps)
    with _prefetched(_yuv_frames(spool), PREFETCH) as source:
        upcoming = next(source, None)
        if upcoming is None:
            raise ValueError("no frames were recorded")
        with av.open(str(path), "w", format="mp4") as container:
            video = container.add_stream("libx264", rate=fps)
            (video.width, video.height), video.pix_fmt = upcoming[2], "yuv420p"
            video.options = {"preset": VIDEO_PRESET, "crf": "23"}
            video.time_base = time_base
            _tag_bt601(video)
            total = frames * AUDIO_RATE // fps
            feed = None if audio is None else AudioFeed(container, audio, total)
            try:
                shown: av.VideoFrame | None = None
                for k in range(frames):
                    if cancelled():
                        raise Cancelled
                    while upcoming is not None and (shown is None or upcoming[0] <= k):
                        shown = av.VideoFrame.from_ndarray(upcoming[1], "yuv420p")
                        upcoming = next(source, None)  # frame k: the latest at or before k
                    assert shown is not None
                    shown.pts, shown.time_base = k, time_base  # each time: encode rebases them
                    for packet in video.encode(shown):
                        container.mux(packet)
                    if feed is not None:
                        feed.write_until((k + 1) / fps)
                    progress(k + 1)
                for packet in video.encode(None):
                    container.mux(packet)
                if feed is not None:
                    feed.finish()
            finally:
                if feed is not None:
                    feed.close()


def _yuv_frames(spool: FrameSpool) -> Iterator[tuple[int, np.ndarray, tuple[int, int]]]:
    """(index, I420 pixels, (width, height)) of the spool's frames, cropped to even sizes."""
    for index, image in spool.frames():
        height, width = image.shape[:2]
        even = image[: height - height % 2, : width - width % 2]
        yuv = cv2.cvtColor(even, cv2.COLOR_BGR2YUV_I420)  # BT.601, limited range
        yield index, yuv, (even.shape[1], even.shape[0])


@contextmanager
def _prefetched(items: Iterator[T], depth: int) -> Iterator[Iterator[T]]:
    """`items` made on another thread, up to `depth` ahead (decoding a frame while the one
    before is encoded: cv2 lets go of the GIL). The thread has ended when this exits."""
    ready: queue.Queue[tuple[str, object]] = queue.Queue(depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if not _put(ready, ("item", item), stop):
                    return
            _put(ready, ("end", None), stop)
        except Exception as exc:  # handed to the consumer, which raises it
            _put(ready, ("error", exc), stop)

    def consume() -> Iterator[T]:
        while True:
            try:
                kind, value = ready.get(timeout=0.1)
            except queue.Empty:
                if thread.is_alive() or not ready.empty():
                    continue
                raise RuntimeError("the recorded frames could not be read") from None
            if kind == "end":
                return
            if kind == "error":
                assert isinstance(value, Exception)
                raise value
            yield cast(T, value)

    thread = threading.Thread(target=produce, name="read take", daemon=True)
    thread.start()
    try:
        yield consume()
    finally:
        stop.set()
        thread.join()


def _put(
    ready: queue.Queue[tuple[str, object]], item: tuple[str, object], stop: threading.Event
) -> bool:
    """Put `item` unless `stop` is set first; whether it was put."""
    while not stop.is_set():
        try:
            ready.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


def _tag_bt601(stream: av.video.stream.VideoStream) -> None:
    """Say how the colours were converted (cv2: BT.601, limited range), so players do not
    guess BT.709 for a 720p picture."""
    context = stream.codec_context
    try:
        context.colorspace = 6  # AVCOL_SPC_SMPTE170M (BT.601)
        context.color_range = 1  # AVCOL_RANGE_MPEG
    except (AttributeError, TypeError, ValueError):  # an older PyAV without these
        pass
