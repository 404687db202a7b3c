"""Recording your take: a song played headless becomes an MP4 with the game's picture and the
song's audio, both as long as the song was played (frames stamped by the song clock, even when
the game skipped or dropped some); a failure is one line and a non-zero exit, never a hang;
an existing take is only ever replaced by a complete one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import av
import numpy as np
import pygame
import pytest
from game_driver import FakeClock, make_game, make_test_level, top_name

import game.take_file
from game.leftovers import STALE_AFTER_S, clean_temp_files_of
from game.level.loader import load_level
from game.play_setup import PlaySetup
from game.recording import FPS, RecordingError, TakeRecorder, check_target, copy_pixels
from game.render import theme
from game.scenes.play import PlayScene

FRAME_S = 1 / FPS
BAR_LEFT, BAR_WIDTH, BAR_ROW = 24, 1232, 18  # the song progress bar along the top (play.py)
REPO = Path(__file__).resolve().parent.parent


def record_song(folder: Path, recorder: TakeRecorder, game_fps: float) -> tuple[float, float]:
    """Play the 8 s test song to its scorecard at `game_fps` (fake clock) with `recorder`;
    (the song time of the last frame the song drew, the song's judged length)."""
    level = load_level(make_test_level(folder / "levels", seconds=8.0))
    clock = FakeClock()
    game = make_game(folder / "levels", clock)
    game.ctx.recorder = recorder
    scene = PlayScene(game.ctx, PlaySetup(level))
    game.ctx.stack.push(scene)
    played = 0.0
    while top_name(game) != "results":
        game.frame([])
        clock.time += 1 / game_fps
        if game.ctx.stack.top is scene:
            assert scene.run is not None
            played = scene.run.clock.position
    game.frame([])  # the scorecard is not recorded
    return played, level.grid.end_time


def progress_bar_fill(image: np.ndarray) -> int:
    """Pixels of the song progress bar filled in a decoded RGB frame."""
    row = image[BAR_ROW, BAR_LEFT : BAR_LEFT + BAR_WIDTH].astype(int)
    return int((np.abs(row - theme.ACCENT).sum(axis=1) < 90).sum())


def slow_spool(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compressing a frame takes 50 ms: a game frame comes every ~10 ms, so frames drop."""
    add = game.take_file.FrameSpool.add

    def slow_add(self: game.take_file.FrameSpool, index: int, image: np.ndarray) -> None:
        time.sleep(0.05)
        add(self, index, image)

    monkeypatch.setattr(game.take_file.FrameSpool, "add", slow_add)


@pytest.mark.parametrize(
    ("game_fps", "how"),
    [(60.0, "every frame"), (9.0, "frames skipped"), (60.0, "frames dropped")],
)
def test_a_take_lasts_as_long_as_the_song_was_played_in_step_with_the_song_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, game_fps: float, how: str
) -> None:
    if how == "frames dropped":
        slow_spool(monkeypatch)
    recorder = TakeRecorder(
        tmp_path / "take.mp4", slots=1, wait_for_encoder=how != "frames dropped"
    )  # waits for the encoder: the fake clock outruns it (but for the dropped frames)
    played, song_end = record_song(tmp_path, recorder, game_fps)
    assert recorder.close() == tmp_path / "take.mp4"
    assert recorder.error is None
    with av.open(str(tmp_path / "take.mp4")) as container:
        (video,) = container.streams.video
        (audio,) = container.streams.audio
        assert (video.codec_context.width, video.codec_context.height) == (1280, 720)
        assert (video.codec_context.name, audio.codec_context.name) == ("h264", "aac")
        video_s = float(video.duration * video.time_base)
        audio_s = float(audio.duration * audio.time_base)
        fills = [progress_bar_fill(f.to_ndarray(format="rgb24")) for f in container.decode(video)]
    one_frame = FRAME_S + 1e-3
    assert abs(video_s - played) <= one_frame
    assert abs(audio_s - played) <= one_frame
    assert abs(audio_s - video_s) <= one_frame
    assert len(fills) == round(video_s * FPS)
    taken = recorder.frames
    if how == "frames skipped":
        assert taken < 0.5 * len(fills)  # 9 game frames a second: most are repeats
    elif how == "frames dropped":
        assert recorder.dropped > 0 and taken < len(fills)
    else:
        assert recorder.dropped == 0 and taken == len(fills)
    # frame k shows the song at k / FPS: no earlier than the frame the game drew before it
    # (1 / game_fps, or the dropped frames' span), never later: no drift along the song
    # (how much a dropped stretch lags depends on how fast this machine runs the fake clock
    # past the slow compressor: bounded loosely; drift forward is bounded tightly below)
    late_s = 1 / game_fps if how != "frames dropped" else 2.0
    for k in range(FPS, int((song_end - 0.5) * FPS)):  # where the bar is neither empty nor full
        expected_px = BAR_WIDTH * k / FPS / song_end
        px_per_s = BAR_WIDTH / song_end
        assert (
            expected_px - px_per_s * (late_s + FRAME_S) - 3
            <= fills[k]
            <= expected_px + (px_per_s * FRAME_S + 3)
        ), f"frame {k}"


def test_the_take_waits_while_another_song_is_danced(tmp_path: Path) -> None:
    pygame.init()
    screen = pygame.Surface((320, 180))
    recorder = TakeRecorder(tmp_path / "take.mp4", wait_for_encoder=True)
    first, second = object(), object()
    for k in range(60):  # two seconds of the first song, without audio
        screen.fill((4 * k, 0, 0))
        recorder.add(first, screen, k * FRAME_S, None)
    recorder.finish(first)
    recorder.add(second, screen, 0.0, None)  # another song starts: the take is held
    time.sleep(1.0)
    assert recorder.status == "saving your take: 0%"
    recorder.finish(second)
    assert recorder.close() == tmp_path / "take.mp4"
    assert recorder.status == "your take is saved: take.mp4"
    with av.open(str(tmp_path / "take.mp4")) as container:
        (video,) = container.streams.video
        assert not container.streams.audio
        assert float(video.duration * video.time_base) == pytest.approx(60 * FRAME_S)


def test_an_existing_take_is_untouched_when_no_song_is_recorded(tmp_path: Path) -> None:
    take = tmp_path / "take.mp4"
    take.write_bytes(b"my best take")
    before = take.stat()
    check_target(take)
    recorder = TakeRecorder(take)
    assert recorder.close() is None and recorder.error is None
    assert take.read_bytes() == b"my best take"
    assert take.stat().st_mtime_ns == before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == ["take.mp4"]


def test_a_take_that_fails_while_written_leaves_the_old_one_and_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    take = tmp_path / "take.mp4"
    take.write_bytes(b"my best take")

    def full_disk(self: game.take_file.AudioFeed, seconds: float) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(game.take_file.AudioFeed, "write_until", full_disk)
    recorder = TakeRecorder(take, wait_for_encoder=True)
    record_song(tmp_path / "song", recorder, 60.0)
    assert recorder.close() is None
    assert recorder.error == f"{take}: No space left on device"
    assert recorder.status == "recording failed: No space left on device"  # on the screens
    err = capsys.readouterr().err.splitlines()
    assert [line for line in err if "recording failed" in line] == [
        f"cover-dance: recording failed: {recorder.error}"
    ]
    assert take.read_bytes() == b"my best take"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["song", "take.mp4"]  # no temp file


def test_sigterm_while_the_take_is_written_cancels_it_and_leaves_the_old_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    take = tmp_path / "take.mp4"
    take.write_bytes(b"my best take")
    write_until = game.take_file.AudioFeed.write_until

    def slowly(self: game.take_file.AudioFeed, seconds: float) -> None:
        time.sleep(0.02)  # ~5 s for the song: time to be stopped
        write_until(self, seconds)

    monkeypatch.setattr(game.take_file.AudioFeed, "write_until", slowly)
    recorder = TakeRecorder(take, wait_for_encoder=True)
    record_song(tmp_path / "song", recorder, 60.0)

    before, closed = signal.getsignal(signal.SIGTERM), threading.Event()

    def terminate_once_close_listens() -> None:
        while signal.getsignal(signal.SIGTERM) is before:
            if closed.wait(0.01):
                return
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=terminate_once_close_listens, daemon=True).start()
    saved = recorder.close()
    closed.set()
    assert saved is None
    assert recorder.error == f"{take}: cancelled; the take was not saved"
    assert take.read_bytes() == b"my best take"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["song", "take.mp4"]


def play_command(home: Path, *args: str) -> subprocess.Popen[str]:
    """`cover-dance play ...` in its own process, headless, with `home` as the data folder."""
    env = dict(os.environ, COVER_DANCE_HOME=str(home), SDL_VIDEODRIVER="dummy",
               SDL_AUDIODRIVER="dummy", PYTHONPATH=str(REPO))  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "game", "play", *args],
        env=env, cwd=home, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_a_song_whose_audio_cannot_be_decoded_is_refused_in_one_line_before_playing(
    tmp_path: Path,
) -> None:
    folder = make_test_level(tmp_path / "home" / "levels", seconds=4.0)
    (folder / "song.ogg").write_bytes(np.random.default_rng(19).bytes(50_000))  # garbage
    take = tmp_path / "take.mp4"
    take.write_bytes(b"my best take")
    process = play_command(tmp_path / "home", "--level", folder.name, "--demo", "--record",
                           str(take))  # fmt: skip
    try:
        _out, err = process.communicate(timeout=240)  # it used to hang here forever
    finally:
        process.kill()
    assert process.returncode == 2, err  # refused: the song is never played nor recorded
    assert err.splitlines() == [
        f"cover-dance: {folder / 'song.ogg'}: audio: cannot be decoded as audio (End of file)"
    ], err
    assert take.read_bytes() == b"my best take"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "take.mp4"]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("phase", ["during the song", "while the MP4 is written"])
def test_kill_9_while_recording_leaves_the_old_take(tmp_path: Path, phase: str) -> None:
    song_s = 30.0 if phase == "during the song" else 5.0
    folder = make_test_level(tmp_path / "home" / "levels", seconds=song_s)
    takes = tmp_path / "takes"
    takes.mkdir()
    take = takes / "take.mp4"
    take.write_bytes(b"my best take")
    process = play_command(tmp_path / "home", "--level", folder.name, "--demo", "--record",
                           str(take))  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while not (
            open_in(process.pid, takes)  # the spool: frames are being recorded
            if phase == "during the song"
            else list(takes.glob(".take.mp4.*.tmp"))  # the MP4 being written
        ):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        process.kill()
        process.communicate()
    assert take.read_bytes() == b"my best take"
    later = time.time() + STALE_AFTER_S + 1  # what is left, the next recording removes
    clean_temp_files_of(take, now=later)
    assert sorted(p.name for p in takes.iterdir()) == ["take.mp4"]


def open_in(pid: int, folder: Path) -> bool:
    """Whether process `pid` has a file open in `folder`."""
    try:
        links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
    except OSError:
        return False
    return any(link.startswith(f"{folder}/") for link in links)


def test_stale_temp_files_of_a_killed_take_are_removed_when_it_is_recorded_again(
    tmp_path: Path,
) -> None:
    take = tmp_path / "take.mp4"
    left, other = tmp_path / ".take.mp4.a1b2c3d4.tmp", tmp_path / ".other.mp4.a1b2c3d4.tmp"
    for path in (left, other):
        path.write_bytes(b"half a take")
    assert clean_temp_files_of(take) == []  # it may be a take being written right now
    later = time.time() + STALE_AFTER_S + 1
    assert clean_temp_files_of(take, now=later) == [f"removed {left} (an unfinished write)"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name]  # not this take's


def test_frames_are_copied_the_same_from_any_surface() -> None:
    pygame.init()
    deep = pygame.Surface((64, 36))
    deep.fill((200, 100, 50))
    deep.fill((10, 220, 30), pygame.Rect(5, 7, 20, 9))
    shallow = deep.convert(24)
    wide = pygame.Surface((80, 36))
    wide.blit(deep, (0, 0))
    part = wide.subsurface(pygame.Rect(0, 0, 64, 36))  # rows longer than its width
    images = []
    for surface in (deep, shallow, part):
        slot = np.zeros((36, 64, 4), np.uint8)
        bgra = copy_pixels(surface, slot)
        images.append(slot[:, :, :3] if bgra else slot[:, :, 2::-1])
    assert deep.get_bitsize() == 32 and shallow.get_bitsize() == 24
    assert part.get_pitch() > 64 * 4
    assert np.array_equal(images[0], images[1]) and np.array_equal(images[0], images[2])
    assert tuple(images[0][10, 10]) == (30, 220, 10)  # B, G, R


def test_a_take_must_be_an_mp4_in_a_folder_that_exists(tmp_path: Path) -> None:
    with pytest.raises(RecordingError, match="mp4"):
        check_target(tmp_path / "take.avi")
    with pytest.raises(RecordingError, match="does not exist"):
        check_target(tmp_path / "nowhere" / "take.mp4")


def test_a_take_never_replaces_a_pipe_or_a_device_and_a_long_name_is_one_line(
    tmp_path: Path,
) -> None:
    """Found by the fuzz test: these were accepted (a pipe or a device link replaced by the
    take) or raised OSError (a name too long to look up)."""
    os.mkfifo(tmp_path / "pipe.mp4")
    (tmp_path / "null.mp4").symlink_to("/dev/null")
    for name, says in (("pipe.mp4", "is a device or pipe"), ("null.mp4", "is a device or pipe"),
                       ("t" * 300 + ".mp4", "cannot write there")):  # fmt: skip
        with pytest.raises(RecordingError, match=says) as refused:
            check_target(tmp_path / name)
        assert "\n" not in str(refused.value) and str(tmp_path) in str(refused.value)
    assert (tmp_path / "null.mp4").is_symlink()
