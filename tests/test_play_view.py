"""What a dancer reads at a glance: the whole body inside its panel, pop-ups and counters
clear of it, red circles only with the window that was judged, a scorecard without zeros."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pygame
import pytest
from synthetic import dancer_track

from game.pose import skeleton as sk
from game.pose.frame import PoseFrame
from game.render.charts import window_bins, wrong_joints
from game.render.image import ImageBlitter
from game.render.stage import PlayerView, draw_players
from game.render.theme import PLAYER_COLORS
from game.scoring.rules import Judgement, WindowJudgement
from game.scoring.score import JointReport, summarize
from game.timing.axis import tick_step

PANEL = pygame.Rect(584, 64, 672, 500)
TRACK = dancer_track(10.0)
SPECS = sk.SEED_ANGLES


def raised_hands(dx: float = 0.0, dy: float = 0.0, reach: float = 0.45) -> PoseFrame:
    """The synthetic dancer with both hands stretched high above the head."""
    frame = TRACK.frame(0)
    landmarks = frame.landmarks.copy()
    top = landmarks[sk.NOSE, 1]
    for elbow, wrist, index, side in ((sk.L_ELBOW, sk.L_WRIST, sk.L_INDEX, 1),
                                      (sk.R_ELBOW, sk.R_WRIST, sk.R_INDEX, -1)):  # fmt: skip
        x = landmarks[sk.NOSE, 0] + side * 0.12
        landmarks[elbow, :2] = (x, top - reach * 0.5)
        landmarks[wrist, :2] = (x + side * 0.03, top - reach)
        landmarks[index, :2] = (x + side * 0.04, top - reach - 0.04)
    landmarks[:, 0] += dx
    landmarks[:, 1] += dy
    return PoseFrame(0.0, landmarks, np.ones(33, np.float32))


def verdict(judgement: Judgement, wrong: tuple[int, ...] = (), window: int = 3) -> WindowJudgement:
    ratios = tuple(1.4 if j in wrong else 0.2 for j in range(len(SPECS)))
    return WindowJudgement(window, judgement, 2.0, 3.0, 2.0, 4.0, 0.0, 0.5,
                           tuple(10.0 * r for r in ratios), ratios)  # fmt: skip


def draw(views: list[PlayerView], image: np.ndarray | None = None):
    pygame.init()
    surface = pygame.Surface((1280, 720))
    return draw_players(surface, PANEL, image, TRACK, views, SPECS, ImageBlitter(), 0.0)


@pytest.mark.parametrize("image", [None, np.zeros((480, 640, 3), np.uint8)], ids=["bot", "camera"])
def test_raised_hands_and_feet_stay_inside_the_panel(image: np.ndarray | None) -> None:
    pose = raised_hands(dx=0.4 if image is not None else 0.0, dy=0.1)  # hands above the image
    assert pose.landmarks[sk.L_WRIST, 1] < 0  # the camera image would cut them off
    layout = draw([PlayerView(pose, PLAYER_COLORS[0], score=90.0, combo=3)], image)
    inner = PANEL.inflate(-16, -16)
    (body,) = layout.bodies
    assert body is not None and inner.contains(body)
    points = layout.view.to_screen(pose.landmarks[:, :2])
    for joint in (sk.L_WRIST, sk.R_WRIST, sk.L_INDEX, sk.L_FOOT, sk.R_FOOT, sk.NOSE):
        assert body.collidepoint(points[joint]), sk.LANDMARK_NAMES[joint]
    if image is not None:  # the image is shown smaller rather than the hands cut off
        assert layout.image is not None and layout.image.height < layout.area.height
        assert layout.image.top > points[sk.L_WRIST, 1]


@pytest.mark.parametrize("players", [1, 2])
@pytest.mark.parametrize("judgement", [Judgement.PERFECT, Judgement.GOOD, Judgement.MISS])
def test_pop_ups_and_counters_never_cover_a_dancer(players: int, judgement: Judgement) -> None:
    spread = 0.25 * TRACK.aspect
    poses = [raised_hands(dx=(2 * k - 1) * spread if players > 1 else 0.0) for k in range(players)]
    views = [
        PlayerView(pose, PLAYER_COLORS[k], f"P{k + 1}" if players > 1 else "YOU",
                   verdict=verdict(judgement, (1, 3)), verdict_age=0.2, score=88.0, combo=12)
        for k, pose in enumerate(poses)
    ]  # fmt: skip
    layout = draw(views)
    bodies = [b for b in layout.bodies if b is not None]
    assert len(bodies) == players
    shown = [r for r in (*layout.popups, *layout.counters) if r is not None]
    assert len(shown) == 2 * players
    inner = PANEL.inflate(-16, -16)
    for rect in shown:
        assert inner.contains(rect)
        assert not any(rect.colliderect(body) for body in bodies), (rect, bodies)


def test_red_circles_are_the_pop_ups_own_window_and_never_with_perfect() -> None:
    pose = raised_hands()
    miss = draw([PlayerView(pose, PLAYER_COLORS[0], verdict=verdict(Judgement.MISS, (1, 3)),
                            verdict_age=0.1)])  # fmt: skip
    assert miss.circled == [[SPECS[1].name, SPECS[3].name]]
    slipped = verdict(Judgement.PERFECT, (1,))  # one joint a little off, still PERFECT
    perfect = draw([PlayerView(pose, PLAYER_COLORS[0], verdict=slipped, verdict_age=0.1)])
    assert perfect.circled == [[]] and perfect.popups[0] is not None
    faded = draw([PlayerView(pose, PLAYER_COLORS[0], verdict=verdict(Judgement.MISS, (1,)),
                             verdict_age=5.0)])  # fmt: skip
    assert faded.circled == [[]] and faded.popups == [None]


def test_weakest_joints_lists_only_joints_that_were_wrong() -> None:
    joints = [
        JointReport("right_hip", 0.4, 0.0, 0.0),
        JointReport("left_elbow", 1.1, 0.2, 0.0),
        JointReport("nose", 0.9, 0.4, 0.0),
        JointReport("left_knee", float("nan"), 0.0, 1.0),
    ]
    assert [j.name for j in wrong_joints(joints, 5)] == ["nose", "left_elbow"]
    assert wrong_joints(joints[:1], 5) == []


def test_the_same_counts_give_the_same_score_and_grade() -> None:
    def song(miss_similarity: float) -> list[WindowJudgement]:
        events = [verdict(Judgement.PERFECT, window=w) for w in range(14)]
        missed = verdict(Judgement.MISS, (1, 3, 4))
        return events + [
            replace(missed, window=w, similarity=miss_similarity) for w in range(14, 18)
        ]

    names = [s.name for s in SPECS]
    frozen, dropped = summarize(song(0.61), 18, names), summarize(song(0.56), 18, names)
    assert frozen.score == dropped.score and frozen.grade == dropped.grade


def test_score_over_time_stays_readable_on_a_three_minute_song() -> None:
    events = [WindowJudgement(w, Judgement.GOOD, w * 1.0, w * 1.0 + 1, 2.0 * w, 2.0 * w + 2, 0,
                              0.8, (), ()) for w in range(180)]  # fmt: skip
    bins = window_bins(events)
    assert len(bins) == 180  # one bar per window
    assert all(b[1] > b[0] for b in bins)
    long = window_bins(events * 3)  # 540 windows: neighbours share a bar, 200 bars at most
    assert len(long) == 180 and long[0][1] == events[2].end_s  # 3 windows a bar


def test_a_miss_beside_a_good_is_two_bars_not_one() -> None:
    good = WindowJudgement(0, Judgement.GOOD, 0.0, 1.0, 0.0, 2.0, 0, 0.8, (), ())
    miss = replace(good, window=1, judgement=Judgement.MISS, start_s=1.0, end_s=2.0,
                   start_beat=2.0, end_beat=4.0, similarity=0.0)  # fmt: skip
    (first, second) = window_bins([good, miss])
    assert first[3] == Judgement.GOOD and second[3] == Judgement.MISS
    assert first[2] == good.points / 100 and second[2] == miss.points / 100
    assert 180 / tick_step(180.0) <= 7
