"""Choosing by hand: the pointer lives in a box around the upper body, mirrored."""

from __future__ import annotations

import numpy as np
import pygame

from game.pose.frame import PoseFrame
from game.pose.pointing import interaction_zone, raised_hand
from game.pose.skeleton import INDEX
from game.scenes.hand import HandPointer

BODY = {"left_shoulder": (0.55, 0.4), "right_shoulder": (0.45, 0.4),
        "left_hip": (0.53, 0.7), "right_hip": (0.47, 0.7)}  # fmt: skip


def pose(time: float = 0.0, **wrists: tuple[float, float]) -> PoseFrame:
    landmarks = np.zeros((33, 3), np.float32)
    for name, xy in {**BODY, **wrists}.items():
        landmarks[INDEX[name], :2] = xy
    return PoseFrame(time, landmarks, np.ones(33, np.float32))


def test_hands_resting_by_the_hips_point_at_nothing() -> None:
    assert raised_hand(pose(left_wrist=(0.56, 0.75), right_wrist=(0.44, 0.75)), (1280, 720)) is None


def test_the_pointer_is_mirrored_and_follows_the_higher_hand() -> None:
    x0, y0, width, height = interaction_zone(pose())
    # The player's right hand, raised to their right (image left): screen right, like a mirror.
    up = pose(right_wrist=(x0 + 0.1 * width, y0 + 0.2 * height), left_wrist=(0.56, 0.75))
    assert raised_hand(up, (1000, 500)) == (900, 100)


def test_a_hand_must_rest_on_a_button_for_a_second() -> None:
    x0, y0, width, height = interaction_zone(pose())
    target = pygame.Rect(0, 0, 200, 200)  # the screen's top-left corner
    pointer = HandPointer((1000, 1000))
    hand = {"right_wrist": (x0 + 0.95 * width, y0 + 0.05 * height)}
    assert pointer.update(pose(0.0, **hand), 0.0, [target]) is None
    assert pointer.update(pose(0.6, **hand), 0.6, [target]) is None
    assert pointer.progress > 0.5
    assert pointer.update(pose(1.05, **hand), 1.05, [target]) == 0
    assert pointer.update(pose(1.1, **hand), 1.1, [target]) is None  # one choice per hold
    assert pointer.update(pose(1.1, **hand), 3.0, [target]) is None  # a stale pose is ignored
    assert pointer.position is None
