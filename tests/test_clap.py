"""Clap on the beat: claps seen late by the camera set the camera latency."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest
from game_driver import FakeClock, key, make_game, make_test_level, run, top_name
from synthetic import dancer_track

from game.capture.base import PoseOnlyInput
from game.config import Settings
from game.inputs import InputPlan
from game.pose.frame import PoseFrame
from game.pose.skeleton import INDEX
from game.scenes.clap import clap_times, median_lag

STANDING = dancer_track(duration=0.1).landmarks[0]


def pose(time: float, together: bool) -> PoseFrame:
    """A standing person whose hands meet in front of the chest, or are held apart."""
    landmarks = STANDING.copy()
    spread = 0.01 if together else 0.16
    points = {"left_elbow": (0.56, 0.4), "right_elbow": (0.44, 0.4),
              "left_wrist": (0.5 + spread, 0.33), "right_wrist": (0.5 - spread, 0.33)}  # fmt: skip
    for name, xy in points.items():
        landmarks[INDEX[name], :2] = xy
    for side in ("left", "right"):
        for finger in ("index", "pinky", "thumb"):
            landmarks[INDEX[f"{side}_{finger}"]] = landmarks[INDEX[f"{side}_wrist"]]
    return PoseFrame(time, landmarks, np.ones(33, np.float32))


class Clapper(PoseOnlyInput):
    """A camera that sees someone clapping `lag` seconds after each beat."""

    players = 1

    def __init__(self, lag: float) -> None:
        self.lag, self.beats, self.last = lag, [], None

    def poll(self, now: float) -> list[list[PoseFrame]]:
        start = now if self.last is None else self.last
        times = np.arange(start, now, 1 / 30)
        self.last = now if not len(times) else float(times[-1] + 1 / 30)
        frames = [pose(float(t), any(abs(t - b - self.lag) < 0.04 for b in self.beats))
                  for t in times]  # fmt: skip
        return [frames]

    def latest_image(self) -> None:
        return None

    def problem(self) -> None:
        return None

    def close(self) -> None:
        pass


def test_claps_and_their_lag_are_found() -> None:
    beats = [1.0, 1.6, 2.2, 2.8, 3.4]
    poses = [pose(t, any(abs(t - b - 0.15) < 0.04 for b in beats)) for t in np.arange(0, 4, 1 / 30)]
    claps = clap_times(poses)
    assert len(claps) == 5
    assert median_lag(claps, beats) == pytest.approx(0.15, abs=0.035)
    assert median_lag(claps[:2], beats) is None  # too few to trust


def test_the_clap_test_saves_the_measured_latency(tmp_path: Path, screenshots: Path) -> None:
    (tmp_path / "levels").mkdir()  # no level at all: the clap test needs only the camera
    clock = FakeClock()
    game = make_game(tmp_path / "levels", clock, plan=InputPlan("camera", camera=0))
    clapper = Clapper(lag=0.15)
    game.ctx.inputs.camera_factory = lambda players: clapper
    run(game, clock, 0.1, [key(pygame.K_DOWN), key(pygame.K_RETURN)])  # title: Calibrate
    run(game, clock, 0.1, [key(pygame.K_DOWN), key(pygame.K_RETURN)])  # Clap test
    assert top_name(game) == "clap"
    clapper.beats = game.ctx.stack.top.beats
    run(game, clock, 5.0)
    pygame.image.save(game.ctx.screen, screenshots / "11-clap-test.png")
    run(game, clock, 5.0)
    assert game.ctx.stack.top.result == pytest.approx(0.15, abs=0.035)
    pygame.image.save(game.ctx.screen, screenshots / "12-clap-result.png")
    run(game, clock, 0.1, [key(pygame.K_RETURN)])  # Save
    assert Settings.load().camera_latency_ms == pytest.approx(150, abs=35)


def test_the_clap_test_without_a_camera_says_so(tmp_path: Path) -> None:
    make_test_level(tmp_path / "levels")
    clock = FakeClock()
    game = make_game(tmp_path / "levels", clock, plan=InputPlan("demo"))
    run(game, clock, 0.1, [key(pygame.K_DOWN), key(pygame.K_RETURN)])  # title: Calibrate
    run(game, clock, 0.1, [key(pygame.K_DOWN), key(pygame.K_RETURN)])  # Clap test
    assert top_name(game) == "clap"
    scene = game.ctx.stack.top
    assert scene.finished and "needs a camera" in scene.message
    run(game, clock, 3.0)  # nothing counts in, nothing crashes
    assert scene.result is None
