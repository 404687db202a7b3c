"""The real MediaPipe BlazePose model on a real photo and on the real dance clips."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.cli import main
from game.pose.factory import make_players_estimator
from game.pose.mediapipe_estimator import MediaPipePose, PoseModelError
from game.pose.models import BLAZEPOSE_FULL
from game.pose.skeleton import L_SHOULDER, NOSE, R_SHOULDER

pytestmark = pytest.mark.mediapipe

# Where they are in skimage.data.astronaut() (512 x 512 pixels), checked by eye.
ASTRONAUT = {NOSE: (222, 128), L_SHOULDER: (306, 257), R_SHOULDER: (113, 240)}
TOLERANCE_PX = 25


@pytest.fixture(scope="module")
def astronaut() -> np.ndarray:
    data = pytest.importorskip("skimage.data")
    return data.astronaut()


@pytest.fixture(scope="module")
def still() -> MediaPipePose:
    estimator = MediaPipePose(static_image_mode=True)
    yield estimator
    estimator.close()


def test_nose_and_shoulders_found_on_a_real_photo(
    astronaut: np.ndarray, still: MediaPipePose
) -> None:
    frames = still.estimate_all(astronaut, 3.25)
    assert len(frames) == 1
    frame = frames[0]
    assert frame.time == 3.25
    for index, (x, y) in ASTRONAUT.items():
        px = frame.landmarks[index, :2] * astronaut.shape[0]  # height units -> pixels
        assert np.hypot(px[0] - x, px[1] - y) < TOLERANCE_PX, (index, px)
        assert frame.visibility[index] > 0.9


def test_landmarks_are_in_height_units_on_a_wide_image(
    astronaut: np.ndarray, still: MediaPipePose
) -> None:
    wide = np.zeros((512, 1024, 3), np.uint8)
    wide[:, 256:768] = astronaut
    (frame,) = still.estimate_all(wide, 0.0)
    nose = frame.landmarks[NOSE, :2] * 512 - (256, 0)
    assert np.hypot(*(nose - ASTRONAUT[NOSE])) < TOLERANCE_PX


def test_nobody_in_a_blank_image(still: MediaPipePose) -> None:
    assert still.estimate_all(np.zeros((256, 256, 3), np.uint8), 0.0) == []


def test_tracking_mode_follows_the_photo(astronaut: np.ndarray) -> None:
    estimator = make_players_estimator(1)
    poses = [estimator.estimate_players(astronaut, t / 30)[0] for t in range(3)]
    estimator.close()
    assert all(p is not None for p in poses)
    assert [p.time for p in poses if p] == [0.0, 1 / 30, 2 / 30]


def test_a_missing_or_bad_model_file_gives_one_clear_line(tmp_path: Path) -> None:
    with pytest.raises(PoseModelError, match="not found"):
        MediaPipePose(model_path=tmp_path / "nope.task")
    bad = tmp_path / "bad.task"
    bad.write_bytes(b"not a model")
    with pytest.raises(PoseModelError, match="could not be loaded") as info:
        MediaPipePose(model_path=bad)
    assert "\n" not in str(info.value)


def test_doctor_reports_one_line_per_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("pose model: ok")
    assert str(BLAZEPOSE_FULL) in out[0]
    assert any(line.startswith("audio output:") for line in out)
    assert any(line.startswith("tracking speed:") for line in out)
    assert out[-1].startswith("verdict: ")


def test_an_official_style_task_file_given_as_model_path_finds_the_same_pose(
    tmp_path: Path, astronaut: np.ndarray, still: MediaPipePose
) -> None:
    copy = tmp_path / "pose_landmarker_full.task"
    copy.write_bytes(BLAZEPOSE_FULL.read_bytes())
    bundled = still.estimate_one(astronaut, 0.0)
    given = MediaPipePose(static_image_mode=True, model_path=copy)
    frame = given.estimate_one(astronaut, 0.0)
    given.close()
    assert bundled is not None and frame is not None
    assert np.abs(frame.landmarks[:, :2] - bundled.landmarks[:, :2]).max() < 1e-4
    video = make_players_estimator(1, model_path=copy)  # VIDEO mode, monotonic timestamps
    poses = [video.estimate_players(astronaut, 0.0)[0] for _ in range(3)]  # same time thrice
    video.close()
    assert all(p is not None for p in poses)


def test_reset_searches_afresh_and_keeps_tracking(astronaut: np.ndarray) -> None:
    estimator = MediaPipePose()
    first = estimator.estimate_one(astronaut, 0.0)
    estimator.reset()
    again = estimator.estimate_one(astronaut, 0.0)  # an earlier time after a reset: accepted
    estimator.close()
    assert first is not None and again is not None
    assert np.abs(first.landmarks[:, :2] - again.landmarks[:, :2]).max() < 0.01


def test_the_shipped_model_is_named_with_its_licence() -> None:
    folder = BLAZEPOSE_FULL.parent
    assert BLAZEPOSE_FULL.stat().st_size > 9_000_000
    assert "Apache License" in (folder / "LICENSE").read_text()
    assert "BlazePose" in (folder / "NOTICE").read_text()
