"""Recording your take (`play --record FILE.mp4`): the game's picture of one song and the
song's audio, as an H.264 + AAC MP4.

Encoding 1280x720 H.264 while the song ran took about a third of a core of the two this game
aims at (a 3 ms RGB copy on the render thread, then ~7 ms of colour conversion and x264 a
frame), and slowed both the render and the pose tracking. So during the song the render
thread only copies each recorded frame's pixels (~0.4 ms) into one of SLOTS buffers, and a
background thread JPEG-compresses it (~2.3 ms of one core; cv2 lets go of the GIL) into a
spool on disk. When the song ends (the scorecard, or leaving the song) the same thread makes the
MP4 from the spool (take_file.py); `close()` waits for it with a progress line.

Frames are stamped by the song clock (frame k is song time k / fps), never by arrival, so
skipped or dropped frames repeat the one before instead of shifting the rest, and video and
audio both last the song's played length (within one frame).

Memory is bounded whatever the song's length: during the song, SLOTS frame buffers (4 x 3.7
MB at 1280x720) and 16 bytes of index a frame (115 KB for 4 minutes at 30 fps); writing the
MP4 takes ~100 MB more (measured the same for 10 s and 80 s songs: x264's threads and
lookahead, a few decoded frames, one audio block). The JPEGs (~80 KB a frame, ~0.6 GB for a
4-minute song) go to a nameless temporary file in the target's folder, which the system
removes when the take is written or the process dies.

Nothing is lost: the MP4 is written to `.NAME.XXXXXXXX.tmp` beside the target and renamed
over it only when complete; a failure, a cancel or kill -9 leaves an existing target as it
was. The recorder never blocks the game, and any failure ends its thread and is kept as one
line in `error`.
"""

from __future__ import annotations

import math
import os
import queue
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np
import pygame

from game.atomic import check_regular_target
from game.errors import UserError
from game.leftovers import clean_temp_files_of
from game.take_file import Cancelled, FrameSpool, check_audio, one_line, write_take
from game.terminal_bar import TerminalBar

FPS = 30
SLOTS = 4  # frame buffers between the render thread and the compressing thread
_BGRA_MASKS = (0xFF0000, 0xFF00, 0xFF)  # a 32-bit surface whose bytes are B, G, R, A


class RecordingError(UserError):
    """The take cannot be written (the message is one line)."""


def check_target(path: Path) -> Path:
    """`path` must end in .mp4 and its folder must exist and take new files; the file itself
    is not touched (a temp file is made and removed)."""
    path = Path(path)
    if path.suffix.lower() != ".mp4":
        raise RecordingError(f"{path}: --record writes an .mp4 file")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise RecordingError(f"{path}: the folder {folder} does not exist")
    try:
        check_regular_target(path)  # a take never replaces a folder, a pipe or a device
    except OSError as exc:  # NotARegularFileError, or a folder in the path that is a file
        raise RecordingError(one_line(exc)) from None
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise RecordingError(f"{path}: cannot write there ({exc.strerror})") from exc
    return path


def copy_pixels(surface: pygame.Surface, slot: np.ndarray) -> bool:
    """Copy `surface` into `slot` (height, width, 4); True if the bytes are B, G, R, A (a
    32-bit surface, copied straight), False if R, G, B, A (any other, converted by pygame)."""
    width, height = surface.get_size()
    masks = surface.get_masks()[:3]
    if surface.get_bytesize() == 4 and masks == _BGRA_MASKS and sys.byteorder == "little":
        buffer = surface.get_buffer()  # locks the surface until it is let go
        if surface.get_pitch() == width * 4:  # one memcpy that keeps the GIL (numpy's lets
            memoryview(slot).cast("B")[:] = memoryview(buffer)  # it go, and taking it back
        else:  # can wait for the pose and recorder threads)
            rows = np.frombuffer(buffer, np.uint8).reshape(height, surface.get_pitch())
            np.copyto(slot, rows[:, : width * 4].reshape(height, width, 4))
            del rows
        del buffer
        return True
    pixels = pygame.image.tobytes(surface, "RGBA")
    np.copyto(slot, np.frombuffer(pixels, np.uint8).reshape(height, width, 4))
    return False


class TakeRecorder:
    """Records the first song offered (`add`) to `path`, at `fps`; see the module's doc."""

    def __init__(
        self, path: Path, fps: int = FPS, slots: int = SLOTS, wait_for_encoder: bool = False
    ) -> None:
        """`wait_for_encoder`: a take rendered faster than real time (a test's fake clock)
        waits for a free buffer rather than dropping the frame; a live song never waits."""
        self.path = check_target(path)
        for line in clean_temp_files_of(self.path):
            print(f"cover-dance: {line}", file=sys.stderr)
        self.fps = fps
        self.wait_for_encoder = wait_for_encoder
        self.frames = 0  # frames captured
        self.dropped = 0  # frames not captured: every buffer was still busy
        self.played_s = 0.0  # the song time of the last frame the song drew
        self.copy_cpu_s = 0.0  # CPU time the game spent copying frames (its cost in the song)
        self.compress_cpu_s = 0.0  # CPU time the thread spent compressing them meanwhile
        self.saved: Path | None = None
        self.error: str | None = None  # one line: the take and what went wrong
        self.reason = ""  # what went wrong, without the take's path (for the screen)
        self._slot_count = slots
        self._owner: object | None = None
        self._audio: Path | None = None
        self._next_index = 0
        self._free: queue.Queue[np.ndarray] = queue.Queue()
        self._work: queue.Queue[tuple[int, np.ndarray, bool] | None] = queue.Queue()
        self._ended = False  # the end marker is in `_work`: no more frames
        self._cancel = threading.Event()
        self._other_song = threading.Event()  # another song is being danced: hold the encoding
        self._written = 0  # frames of the MP4 encoded so far
        self._total = 0  # frames the MP4 will have (known when the song ends)
        self._thread = threading.Thread(target=self._run, name="record take", daemon=True)
        self._thread.start()

    @property
    def status(self) -> str | None:
        """One line for the screen: a failure, the MP4 being written or saved, or None."""
        if self.error:
            return f"recording failed: {self.reason}"
        if self.saved:
            return f"your take is saved: {self.saved.name}"
        if self._total and self._thread.is_alive():
            return f"saving your take: {self._written * 100 // self._total}%"
        return None

    def add(
        self, owner: object, surface: pygame.Surface, song_time: float, audio: Path | None
    ) -> None:
        """Offer the frame just drawn at `song_time` of `owner`'s song; only the first owner's
        song is recorded, one frame per 1 / fps of song time (frames between are skipped)."""
        if self._owner is None and not self._ended and song_time >= 0:
            self._owner, self._audio = owner, audio
        if owner is not self._owner:
            if self._owner is not None:
                self._other_song.set()
            return
        if self._ended or self.error or song_time < 0:
            return
        self.played_s = max(self.played_s, song_time)
        index = math.floor(song_time * self.fps + 1e-9)
        if index < self._next_index:
            return
        self._next_index = index + 1
        slot = self._free_slot(surface)
        if slot is None:
            self.dropped += 1
            return
        if slot.shape[:2] != surface.get_size()[::-1]:  # the window changed size: not taken
            self._free.put(slot)
            self.dropped += 1
            return
        began = time.thread_time()
        self._work.put((index, slot, copy_pixels(surface, slot)))
        self.copy_cpu_s += time.thread_time() - began
        self.frames += 1

    def _free_slot(self, surface: pygame.Surface) -> np.ndarray | None:
        """A free frame buffer (made on first use), or None if all are still busy."""
        if self._slot_count:
            width, height = surface.get_size()
            for _ in range(self._slot_count):
                self._free.put(np.empty((height, width, 4), np.uint8))
            self._slot_count = 0
        while True:
            try:
                return self._free.get(block=self.wait_for_encoder, timeout=0.05)
            except queue.Empty:
                if not self.wait_for_encoder or not self._thread.is_alive():
                    return None

    def finish(self, owner: object) -> None:
        """`owner`'s song has ended (the scorecard, or it was left): the recorded song's take
        is written now, in the background; another song's end lets that writing go on."""
        if owner is self._owner:
            self._end()
        else:
            self._other_song.clear()

    def _end(self) -> None:
        if not self._ended:
            self._ended = True
            self._work.put(None)

    def close(self) -> Path | None:
        """Finish the file, waiting for it with a progress line on the terminal (SIGTERM or
        Ctrl+C meanwhile cancel it); the path, or None if nothing was recorded or it failed.
        A failure is printed as one line and kept in `error`."""
        self._end()
        self._other_song.clear()
        line = TerminalBar()
        try:
            with _sigterm_sets(self._cancel):
                while self._thread.is_alive():
                    self._thread.join(0.1)
                    if self._total and self._thread.is_alive():
                        line.update(
                            f"saving {self.path.name}", self._written / self._total,
                            self._total, "frames",
                        )  # fmt: skip
        except BaseException:  # Ctrl+C: stop writing, leave the target as it was
            self._cancel.set()
            self._thread.join()
            raise
        finally:
            line.finish()
        if self.error:
            print(f"cover-dance: recording failed: {self.error}", file=sys.stderr)
        return self.saved

    # --- the recorder's thread ---

    def _run(self) -> None:
        spool: FrameSpool | None = None
        try:
            while (item := self._work.get()) is not None:
                index, slot, bgra = item
                began = time.thread_time()
                try:
                    if spool is None:
                        if self._audio is not None:  # fail now, on screen, not after the song
                            check_audio(self._audio)
                        spool = FrameSpool(self.path.parent)
                    spool.add(index, slot if bgra else cv2.cvtColor(slot, cv2.COLOR_RGBA2BGR))
                finally:
                    self._free.put(slot)
                    self.compress_cpu_s += time.thread_time() - began
                if self._cancel.is_set():
                    raise Cancelled
            if spool is None or not len(spool):
                return  # nothing recorded: the target is left alone
            self._total = max(math.floor(self.played_s * self.fps + 1e-9), spool.last_index) + 1
            write_take(
                spool, self._total, self.fps, self._audio, self.path, self._wrote, self._stop
            )
            self.saved = self.path
        except Cancelled:
            self._fail("cancelled; the take was not saved")
        except Exception as exc:  # the game goes on; the error is shown and printed
            self._fail(one_line(exc))
        finally:
            if spool is not None:
                spool.close()

    def _fail(self, reason: str) -> None:
        self.reason = reason
        self.error = f"{self.path}: {reason}"  # set last: the game reads it from its thread

    def _wrote(self, frames: int) -> None:
        self._written = frames

    def _stop(self) -> bool:
        """Cancelled? Waits meanwhile while another song is danced (it keeps its pace)."""
        while self._other_song.is_set() and not self._cancel.wait(0.1):
            pass
        return self._cancel.is_set()


@contextmanager
def _sigterm_sets(event: threading.Event) -> Iterator[None]:
    """While inside, SIGTERM sets `event` (on the main thread only; elsewhere nothing)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda signum, frame: event.set())
    try:
        yield
    finally:  # None: a handler set outside Python (SDL's, for a game that has ended)
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)
