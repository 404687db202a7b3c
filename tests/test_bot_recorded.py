"""The bot dancer and the recorded pose track replay, driven by a fake clock."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from game_driver import FakeClock

from game.capture.base import CaptureError
from game.capture.bot import ARMS, BotDancer, BotPoseInput, Mistake
from game.capture.recorded import RecordedPoseInput
from game.pose.frame import PoseTrack
from game.pose.skeleton import L_HIP, L_SHOULDER, L_WRIST, R_SHOULDER, R_WRIST

SONG_START = 100.0  # wall time at which the song starts


def song_time_of(wall: float) -> float:
    return wall - SONG_START


def reference(duration: float = 10.0, fps: float = 30.0) -> PoseTrack:
    """Every landmark moves on its own smooth curve, so any time shift is visible."""
    times = np.arange(0.0, duration, 1.0 / fps)
    phase = np.arange(33)[None, :, None] * 0.3 + np.arange(3)[None, None, :]
    landmarks = 0.5 + 0.2 * np.sin(2.0 * times[:, None, None] + phase)
    return PoseTrack(
        times, landmarks.astype(np.float32), np.ones((len(times), 33), np.float32), 1.0
    )


def polled(bot: BotPoseInput, start: float, end: float, step: float = 1 / 60) -> list[list]:
    out: list[list] = [[] for _ in range(bot.players)]
    for now in np.arange(start, end, step):
        for k, frames in enumerate(bot.poll(float(now))):
            out[k].extend(frames)
    return out


def test_bot_follows_the_reference_with_its_lag() -> None:
    ref = reference()
    bot = BotPoseInput(BotDancer(ref, lag=0.25, jitter=0.0), song_time_of)
    (frames,) = polled(bot, SONG_START + 1.0, SONG_START + 3.0)
    assert len(frames) == pytest.approx(60, abs=2)  # ~30 fps
    times = np.array([f.time for f in frames])
    assert np.allclose(np.diff(times), 1 / 30)
    for f in frames[::7]:
        song = song_time_of(f.time)
        lagged = ref.frame_at(song - 0.25).landmarks
        on_time = ref.frame_at(song).landmarks
        assert np.abs(f.landmarks - lagged).max() < 0.01  # interpolation vs nearest frame
        assert np.abs(f.landmarks - on_time).max() > 0.02  # it does lag


def test_bot_jitter_is_seeded() -> None:
    ref = reference()

    def run(seed: int) -> np.ndarray:
        bot = BotPoseInput(BotDancer(ref, lag=0.0, jitter=0.01, seed=seed), song_time_of)
        return np.stack([f.landmarks for f in polled(bot, 101.0, 101.5)[0]])

    a, b, c = run(1), run(1), run(2)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    clean = np.stack([f.landmarks for f in polled(
        BotPoseInput(BotDancer(ref, lag=0.0, jitter=0.0), song_time_of), 101.0, 101.5
    )[0]])  # fmt: skip
    assert 0.005 < np.std(a - clean) < 0.015


def test_bot_makes_mistakes_only_where_told() -> None:
    ref = reference()
    mistakes = (Mistake(2.0, 3.0, "freeze_arms"), Mistake(4.0, 5.0, "drop_arms"),
                Mistake(6.0, 7.0, "absent"))  # fmt: skip
    bot = BotPoseInput(BotDancer(ref, lag=0.1, jitter=0.0, mistakes=mistakes), song_time_of)
    (frames,) = polled(bot, SONG_START + 1.0, SONG_START + 8.0)
    by_song = {song_time_of(f.time): f for f in frames}
    arms = list(ARMS)
    frozen = [f for s, f in by_song.items() if 2.0 <= s < 3.0]
    assert len(frozen) >= 25
    first = frozen[0].landmarks[arms]
    assert all(np.allclose(f.landmarks[arms], first) for f in frozen)  # arms stay put
    assert np.ptp([f.landmarks[L_HIP, 0] for f in frozen]) > 0.05  # the body still dances
    dropped = [f for s, f in by_song.items() if 4.0 <= s < 5.0]
    for f in dropped:
        for shoulder, wrist in ((L_SHOULDER, L_WRIST), (R_SHOULDER, R_WRIST)):
            assert f.landmarks[wrist, 1] > f.landmarks[shoulder, 1]  # hands below shoulders
            assert abs(f.landmarks[wrist, 0] - f.landmarks[shoulder, 0]) < 1e-5
    assert not [s for s in by_song if 6.0 <= s < 7.0]  # absent: no poses at all
    for s, f in by_song.items():  # outside the mistakes the bot follows the reference
        if s < 2.0 or 3.0 <= s < 4.0 or 5.0 <= s < 6.0 or s >= 7.0:
            assert np.abs(f.landmarks - ref.frame_at(s - 0.1).landmarks).max() < 0.01


def test_two_bots_are_two_players() -> None:
    ref = reference()
    bot = BotPoseInput(
        [BotDancer(ref, jitter=0.0), BotDancer(ref, jitter=0.0, x_offset=1.0,
                                              mistakes=(Mistake(0.0, 10.0, "absent"),))],
        song_time_of,
    )  # fmt: skip
    assert bot.players == 2
    left, right = polled(bot, 101.0, 102.0)
    assert len(left) >= 29 and right == []
    assert bot.latest_image() is None and bot.problem() is None


def save_track(path: Path, track: PoseTrack) -> Path:
    np.savez(path, times=track.times, landmarks=track.landmarks, visibility=track.visibility)
    return path


def test_recorded_track_replays_in_sync_with_the_clock(tmp_path: Path) -> None:
    track = reference(duration=2.0)
    visibility = track.visibility.copy()
    visibility[10] = 0.0  # nobody in frame 10
    track = PoseTrack(track.times, track.landmarks, visibility, 1.0)
    path = save_track(tmp_path / "take.npz", track)
    replay = RecordedPoseInput.from_file(path, clock=FakeClock(50.0))
    (first,) = replay.poll(50.5)
    assert [round(f.time - 50.0, 4) for f in first] == [
        round(t, 4) for i, t in enumerate(track.times) if t <= 0.5 and i != 10
    ]
    np.testing.assert_allclose(first[3].landmarks, track.landmarks[3])
    (second,) = replay.poll(50.6)
    assert second and all(50.5 < f.time <= 50.6 for f in second)
    assert replay.poll(50.6) == [[]]
    replay.poll(60.0)
    assert replay.ended and replay.latest_image() is None


def test_a_bad_recorded_track_is_one_clear_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    np.savez(bad, times=np.arange(3.0))
    with pytest.raises(CaptureError, match=r"bad\.npz: landmarks: missing array"):
        RecordedPoseInput.from_file(bad)
