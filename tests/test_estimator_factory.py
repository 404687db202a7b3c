"""The estimator seam with a fake model: every estimator comes from the factory, by kind; a
model with COCO-17 keypoints becomes BlazePose frames (the points it lacks unseen), is tracked
like the real one and judged like any player."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from synthetic import dancer_track

from game.capture.base import CapturedFrame
from game.capture.stream import IteratorSource
from game.capture.track import track_frames
from game.pose import factory
from game.pose.estimator import PoseEstimator
from game.pose.factory import (
    EstimatorOptions,
    UnknownEstimatorError,
    make_estimator,
    make_players_estimator,
)
from game.pose.layouts import BLAZEPOSE_33, KeypointLayout, LayoutEstimator
from game.pose.players import SinglePlayer, SplitPlayers
from game.pose.skeleton import INDEX, NUM_LANDMARKS, angle_set
from game.scoring.judge import Judge
from game.scoring.rules import Judgement
from game.timing.beat_grid import BeatGrid

TRACK = dancer_track(6.0)
COCO_17 = KeypointLayout(
    "coco-17",
    (
        "nose", "left_eye", "right_eye", "left_ear", "right_ear",
        "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
        "left_wrist", "right_wrist", "left_hip", "right_hip",
        "left_knee", "right_knee", "left_ankle", "right_ankle",
    ),
)  # fmt: skip
"""The 17 keypoints of COCO (MoveNet, YOLO-pose, RTMPose): the fake model's layout."""
COCO = COCO_17.landmark_indices


class FakeCoco:
    """A COCO-17 model that 'sees' the synthetic dancer: the frame's time picks the pose,
    placed where the dancer stands in the image it is given."""

    layout = COCO_17

    def __init__(self, options: EstimatorOptions) -> None:
        self.options = options
        self.closed = False
        self.resets = 0

    def keypoints(self, image: np.ndarray, timestamp: float) -> list[tuple[np.ndarray, np.ndarray]]:
        if not image.any():
            return []  # a black image: nobody
        pose = TRACK.frame_at(timestamp)
        shift = np.array([image.shape[1] / image.shape[0] / 2 - 0.5, 0.0, 0.0], np.float32)
        return [(pose.landmarks[COCO] + shift, np.full(len(COCO), 0.9, np.float32))]

    def reset(self) -> None:
        self.resets += 1

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake_kind(monkeypatch: pytest.MonkeyPatch) -> list[FakeCoco]:
    """Registers the kind "fake-coco"; the list holds every model the factory made."""
    made: list[FakeCoco] = []

    def maker(options: EstimatorOptions) -> PoseEstimator:
        made.append(FakeCoco(options))
        return LayoutEstimator(made[-1])

    monkeypatch.setitem(factory.ESTIMATORS, "fake-coco", maker)
    return made


def image(width: int = 64, height: int = 64, lit: bool = True) -> np.ndarray:
    return np.full((height, width, 3), 200 if lit else 0, np.uint8)


def test_coco_keypoints_become_blazepose_landmarks_with_the_rest_unseen() -> None:
    points = np.arange(17 * 2, dtype=np.float32).reshape(17, 2) / 40
    frame = COCO_17.frame(1.5, points, np.full(17, 0.8))
    assert frame.time == 1.5 and frame.landmarks.shape == (NUM_LANDMARKS, 3)
    np.testing.assert_allclose(frame.landmarks[INDEX["left_wrist"], :2], points[9])
    np.testing.assert_allclose(frame.landmarks[INDEX["right_ankle"], :2], points[16])
    missing = sorted(set(range(NUM_LANDMARKS)) - set(COCO.tolist()))
    assert len(missing) == NUM_LANDMARKS - 17
    assert (frame.visibility[missing] == 0).all() and (frame.visibility[COCO] == 0.8).all()
    assert (frame.landmarks[missing] == 0).all()


def test_a_whole_track_converts_and_blazepose_maps_onto_itself() -> None:
    back = BLAZEPOSE_33.track(TRACK.times, TRACK.landmarks, TRACK.visibility, TRACK.aspect)
    np.testing.assert_array_equal(back.landmarks, TRACK.landmarks)
    coco = COCO_17.track(TRACK.times, TRACK.landmarks[:, COCO, :2], TRACK.visibility[:, COCO], 1.0)
    assert coco.landmarks.shape == TRACK.landmarks.shape
    assert (coco.visibility[:, INDEX["left_heel"]] == 0).all()
    with pytest.raises(ValueError, match="not BlazePose landmarks: neck"):
        KeypointLayout("openpose", ("nose", "neck"))
    with pytest.raises(ValueError, match="expected"):
        COCO_17.to_landmarks(np.zeros((16, 2)), np.zeros(16))


def test_the_factory_makes_an_estimator_by_kind_with_its_options(fake_kind) -> None:
    estimator = make_estimator("fake-coco", model_path="model.bin", num_poses=3)
    assert fake_kind[0].options == EstimatorOptions(Path("model.bin"), num_poses=3)
    frame = estimator.estimate_one(image(), 2.0)
    assert frame is not None and frame.time == 2.0
    assert estimator.estimate_one(image(lit=False), 2.0) is None
    assert len(estimator.estimate_all(image(), 2.0)) == 1
    estimator.reset()
    estimator.close()
    assert fake_kind[0].resets == 1 and fake_kind[0].closed
    with pytest.raises(UnknownEstimatorError, match="no pose estimator called 'nope'"):
        make_estimator("nope")


def test_one_estimator_per_player_slot(fake_kind) -> None:
    assert isinstance(make_players_estimator(1, kind="fake-coco"), SinglePlayer)
    two = make_players_estimator(2, kind="fake-coco", static_image_mode=True)
    assert isinstance(two, SplitPlayers) and len(fake_kind) == 3
    assert all(model.options.static_image_mode for model in fake_kind[1:])
    poses = two.estimate_players(image(256, 128), 1.0)
    assert [p is not None for p in poses] == [True, True]  # each strip found its own dancer
    two.close()
    with pytest.raises(ValueError, match="at least 1"):
        make_players_estimator(0, kind="fake-coco")


def test_a_fake_models_track_is_tracked_and_judged_like_any_player(fake_kind) -> None:
    def frames() -> Iterator[CapturedFrame]:
        for t in np.arange(0.0, 6.0, 1 / 30):
            yield CapturedFrame(image(), float(t))

    source = IteratorSource(frames(), "fake", realtime=False)
    estimator = make_players_estimator(1, kind="fake-coco")
    try:
        (track,) = track_frames(source, estimator, 1.0, (0.0, 6.0))
    finally:
        estimator.close()
    assert len(track) == 180
    assert (track.visibility[:, INDEX["left_pinky"]] == 0).all()  # COCO has no hands
    specs = angle_set("directions")
    judge = Judge(TRACK, BeatGrid.fitting(120.0, 0.5, 2.0, 5.0), specs,
                  np.array([s.tolerance_deg for s in specs]))  # fmt: skip
    verdicts = {e.judgement for e in judge.judge_track(track)}
    assert verdicts == {Judgement.PERFECT}
