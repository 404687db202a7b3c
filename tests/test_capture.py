"""Frame sources and the pose pipeline: fakes for the plumbing, real clips for tracking."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from game.capture import webcam
from game.capture.base import CapturedFrame, CaptureError
from game.capture.open import open_webcam_input
from game.capture.pipeline import PosePipeline
from game.capture.request import TrackRequest
from game.capture.stream import IteratorSource, side_by_side_source, video_source
from game.capture.video import iter_video, probe_video
from game.cli import main
from game.errors import UserError
from game.pose.frame import PoseFrame
from game.pose.players import body_centre_x

CLIPS = (
    "funfun_reference.mp4", "funfun_user.mp4", "justidol_easy.mp4",
    "justidol_hard.mp4", "mruchus_nat2.mp4", "mruchus_nat3.mp4",
)  # fmt: skip


class MarkerEstimator:
    """A fake PlayersEstimator: reports the image's first pixel value as the x coordinate."""

    players = 1

    def __init__(self) -> None:
        self.closed = False

    def estimate_players(self, image: np.ndarray, timestamp: float) -> list[PoseFrame | None]:
        value = int(image[0, 0, 0])
        if value == 0:
            return [None]
        landmarks = np.full((33, 3), value / 100, np.float32)
        return [PoseFrame(timestamp, landmarks, np.ones(33, np.float32))]

    def close(self) -> None:
        self.closed = True


def frames(values: list[int], fps: float = 30.0) -> list[CapturedFrame]:
    return [CapturedFrame(np.full((4, 4, 3), v, np.uint8), i / fps) for i, v in enumerate(values)]


# --- plumbing, no model -----------------------------------------------------------------


def test_unpaced_pipeline_delivers_every_pose_in_capture_order() -> None:
    values = [10, 20, 0, 30, 40]
    source = IteratorSource(iter(frames(values)), "fake", realtime=False)
    estimator = MarkerEstimator()
    pipeline = PosePipeline(source, estimator, smooth=False).start()
    assert pipeline.wait(10.0)
    (poses,) = pipeline.poll(0.0)
    assert [round(p.landmarks[0, 0] * 100) for p in poses] == [10, 20, 30, 40]
    assert [p.time for p in poses] == [0.0, 1 / 30, 3 / 30, 4 / 30]  # video's own times
    assert pipeline.poll(1.0) == [[]]  # only new poses
    assert pipeline.latest_image() is not None and pipeline.latest_image()[0, 0, 0] == 40
    assert pipeline.problem() is None and pipeline.frames_processed == 5
    pipeline.close()
    assert estimator.closed


def test_an_unpaced_video_ends_however_slow_the_consumer() -> None:
    """The decoder finishes while its queue is full and the consumer is busy for longer
    than any put timeout (a slow laptop, a five-dancer frame): the end still arrives."""
    values = [1, 2, 3, 4]  # exactly fills the read-ahead queue
    source = IteratorSource(iter(frames(values)), "fake", realtime=False)
    time.sleep(1.5)  # the consumer is busy: the decoder is done, its queue full
    got = []
    deadline = time.monotonic() + 10.0
    while not source.ended:
        assert time.monotonic() < deadline, "the video never ended"
        frame = source.next_frame(timeout=0.5)
        if frame is not None:
            got.append(int(frame.image[0, 0, 0]))
        assert len(got) <= len(values)
    assert got == values
    assert source.next_frame(timeout=0.1) is None
    source.close()


def test_paced_source_stamps_frames_with_the_injected_clock() -> None:
    offset = 1000.0
    clock = lambda: time.monotonic() + offset  # noqa: E731
    source = IteratorSource(iter(frames([5] * 6, fps=60)), "fake", realtime=True, clock=clock)
    pipeline = PosePipeline(source, MarkerEstimator(), smooth=False, clock=clock).start()
    assert pipeline.wait(10.0)
    (poses,) = pipeline.poll(clock())
    assert poses, "no pose delivered"
    times = [p.time for p in poses]
    assert all(t > offset for t in times) and times == sorted(times)
    assert all(0 <= lat < 5 for lat in pipeline.latencies)
    pipeline.close()


def test_a_failing_estimator_becomes_a_problem_not_a_hang() -> None:
    class Broken(MarkerEstimator):
        def estimate_players(self, image: np.ndarray, timestamp: float) -> list:
            raise RuntimeError("boom")

    source = IteratorSource(iter(frames([1, 2])), "fake", realtime=False)
    pipeline = PosePipeline(source, Broken()).start()
    assert pipeline.wait(10.0)
    assert pipeline.problem() == "pose tracking failed: boom"
    pipeline.close()


class FakeCapture:
    """Stands in for cv2.VideoCapture: delivers `frames` images, then fails."""

    frames = 3

    def __init__(self, index: int) -> None:
        self.index, self.count = index, 0

    def isOpened(self) -> bool:
        return self.index == 0

    def set(self, prop: int, value: float) -> bool:
        return True

    def get(self, prop: int) -> float:
        return 30.0

    def read(self) -> tuple[bool, np.ndarray | None]:
        time.sleep(0.01)
        self.count += 1
        if self.count > self.frames:
            return False, None
        return True, np.full((8, 8, 3), 50, np.uint8)

    def release(self) -> None:
        pass


def test_a_camera_that_stops_sets_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webcam.cv2, "VideoCapture", FakeCapture)
    source = webcam.WebcamSource(0, stall_timeout=5.0)
    pipeline = PosePipeline(source, MarkerEstimator(), smooth=False).start()
    for _ in range(500):
        if pipeline.problem():
            break
        time.sleep(0.01)
    assert pipeline.problem() == "camera 0 stopped delivering frames"
    assert pipeline.poll(0.0)[0], "the frames before the failure were tracked"
    pipeline.close()


def test_a_camera_that_does_not_exist_gives_the_clear_error() -> None:
    with pytest.raises(CaptureError, match=r"^camera 97 could not be opened") as info:
        webcam.WebcamSource(97)
    assert "\n" not in str(info.value) and isinstance(info.value, UserError)
    with pytest.raises(CaptureError, match="camera 98"):
        open_webcam_input(98)
    assert webcam.probe_camera(99) is None


def test_not_a_video_names_the_file(tmp_path: Path) -> None:
    fake = tmp_path / "song.mp4"
    fake.write_text("hello")
    with pytest.raises(CaptureError, match=r"song\.mp4: not a video"):
        video_source(fake)
    with pytest.raises(CaptureError, match=r"nope\.mp4: video file not found"):
        probe_video(tmp_path / "nope.mp4")


def test_bench_with_an_unknown_name_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--only", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("cover-dance: unknown benchmark 'nope'") and err.count("\n") == 1


def test_bench_lists_the_pose_benchmarks(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--list"]) == 0
    names = capsys.readouterr().out.split()
    assert {"pose-single", "pose-two", "pose-latency"} <= set(names)


# --- real clips, real model ---------------------------------------------------------------


@pytest.mark.realdata
@pytest.mark.mediapipe
@pytest.mark.parametrize("name", CLIPS)
def test_the_dancer_is_found_in_most_frames(realdata: Path, name: str) -> None:
    from game.capture.track import track_video

    progress: list[float] = []
    track = track_video(TrackRequest.of(realdata / name).stepped(3), on_progress=progress.append)
    info = probe_video(realdata / name)
    assert len(track) >= info.duration * info.fps / 3 - 2
    found = track.visibility.max(axis=1) > 0
    assert found.mean() >= 0.85, f"dancer found in {found.mean():.0%} of frames"
    assert np.all(np.diff(track.times) > 0) and track.aspect == pytest.approx(info.aspect)
    assert progress == sorted(progress) and progress[-1] == 1.0
    seen = track.landmarks[found]
    assert 0 <= seen[..., 0].mean() <= info.aspect and 0 <= seen[..., 1].mean() <= 1


@pytest.mark.realdata
@pytest.mark.mediapipe
def test_track_video_keeps_the_video_timestamps_of_a_segment(realdata: Path) -> None:
    from game.capture.track import track_video

    track = track_video(TrackRequest.of(realdata / "justidol_easy.mp4"), start=2.0, end=3.0)
    assert 2.0 <= track.times[0] < 2.05 and 2.95 < track.times[-1] <= 3.0
    assert len(track) == pytest.approx(30, abs=1)


@pytest.mark.realdata
@pytest.mark.mediapipe
def test_two_dancers_side_by_side_keep_their_identities(realdata: Path) -> None:
    from game.capture.track import track_frames
    from game.pose.factory import make_players_estimator

    left, right = realdata / "mruchus_nat2.mp4", realdata / "funfun_user.mp4"
    source = side_by_side_source(left, right, realtime=False)
    tracks = track_frames(source, make_players_estimator(2), 1.0, (0.0, 22.0), every=2)
    left_end = probe_video(left).duration
    height = 888  # both scaled to the smaller height, mruchus' 888 px
    mid = (888 + round(720 * 888 / 1280)) / 2 / height
    both = tracks[0].times < left_end - 0.1
    for k, track in enumerate(tracks):
        found = track.visibility.max(axis=1) > 0
        assert found[both].mean() >= 0.85, f"player {k} found in {found[both].mean():.0%}"
        centres = [body_centre_x(track.frame(i)) for i in np.flatnonzero(found)]
        assert all((c < mid) if k == 0 else (c > mid) for c in centres), f"player {k} swapped"
    # The left dancer's video ends: player 0 is gone, player 1 is still tracked as player 1.
    after = tracks[0].times > left_end + 0.1
    assert after.sum() > 10
    assert not (tracks[0].visibility[after].max(axis=1) > 0).any()
    assert (tracks[1].visibility[after & (tracks[1].times < 19.0)].max(axis=1) > 0).mean() > 0.8


@pytest.mark.realdata
@pytest.mark.mediapipe
def test_a_video_used_as_camera_gives_live_poses(realdata: Path) -> None:
    from game.capture.open import track_source

    source = video_source(realdata / "justidol_easy.mp4", realtime=True, start=1.0, end=2.0)
    pipeline = track_source(source)
    assert pipeline.wait(20.0)
    (poses,) = pipeline.poll(time.monotonic())
    assert len(poses) >= 10
    assert all(p.time <= time.monotonic() for p in poses)
    image = pipeline.latest_image()
    assert image is not None and image.shape == (640, 360, 3)
    assert pipeline.problem() is None
    pipeline.close()


@pytest.mark.realdata
def test_decoding_gives_rgb_with_increasing_times(realdata: Path) -> None:
    first = [f for _, f in zip(range(5), iter_video(realdata / "mruchus_nat3.mp4"), strict=False)]
    assert first[0].image.shape == (1080, 1080, 3) and first[0].image.dtype == np.uint8
    assert np.all(np.diff([f.time for f in first]) > 0)
