"""Player slots: strips for side-by-side players, ownership keeps identities (no model)."""

from __future__ import annotations

import numpy as np

from game.pose.frame import PoseFrame
from game.pose.players import SinglePlayer, SplitPlayers, body_centre_x, strip_bounds


class FakeEstimator:
    """Finds a 'person' at the centre of the brightest column block of its crop."""

    def __init__(self) -> None:
        self.closed = False
        self.calls = 0

    def estimate_one(self, image: np.ndarray, timestamp: float) -> PoseFrame | None:
        self.calls += 1
        columns = image[..., 0].mean(axis=0)
        if columns.max() == 0:
            return None
        x = float(np.flatnonzero(columns == columns.max()).mean()) / image.shape[0]
        landmarks = np.zeros((33, 3), np.float32)
        landmarks[:, 0] = x
        landmarks[:, 1] = 0.5
        return PoseFrame(timestamp, landmarks, np.ones(33, np.float32))

    def close(self) -> None:
        self.closed = True


def image_with_people(*columns: int, width: int = 400, height: int = 100) -> np.ndarray:
    image = np.zeros((height, width, 3), np.uint8)
    for c in columns:
        image[:, c - 5 : c + 5] = 255
    return image


def test_strip_bounds_cover_the_image_with_overlap() -> None:
    assert strip_bounds(400, 2) == [(0, 220), (180, 400)]
    assert strip_bounds(400, 1) == [(0, 400)]


def test_split_players_places_each_person_in_full_frame_height_units() -> None:
    split = SplitPlayers([FakeEstimator(), FakeEstimator()])
    left, right = split.estimate_players(image_with_people(100, 300), 1.5)
    assert left is not None and right is not None
    assert abs(body_centre_x(left) - 1.0) < 0.06  # column 100 of a 100 px high image
    assert abs(body_centre_x(right) - 3.0) < 0.06
    assert left.time == right.time == 1.5
    split.close()


def test_the_remaining_player_keeps_their_slot() -> None:
    split = SplitPlayers([FakeEstimator(), FakeEstimator()])
    left, right = split.estimate_players(image_with_people(300), 0.0)
    assert left is None and right is not None  # player 0 left the frame
    left, right = split.estimate_players(image_with_people(100), 0.1)
    assert left is not None and right is None


def test_a_person_in_the_overlap_belongs_to_one_player_only() -> None:
    split = SplitPlayers([FakeEstimator(), FakeEstimator()])
    # At column 190 the person is visible to both strips but centred in the left half.
    left, right = split.estimate_players(image_with_people(190), 0.0)
    assert left is not None and right is None


def test_single_player_wraps_one_estimator() -> None:
    fake = FakeEstimator()
    single = SinglePlayer(fake)
    assert single.players == 1
    (only,) = single.estimate_players(image_with_people(50), 0.0)
    assert only is not None
    single.close()
    assert fake.closed
