"""Above-chance cover scores on synthetic dancers: self is 100, unrelated timing is near 0."""

from __future__ import annotations

import numpy as np
from synthetic import dancer_track

from game.cover.chance import above_chance, chance_credit
from game.pose.frame import PoseTrack
from game.pose.skeleton import SEED_ANGLES
from game.scoring.judge import Judge
from game.scoring.rules import Judgement
from game.timing.beat_grid import BeatGrid

TOL = np.array([s.tolerance_deg for s in SEED_ANGLES], np.float32)


def _judge(reference: PoseTrack) -> Judge:
    grid = BeatGrid.fitting(100.0, 0.0, 2.0, reference.duration)
    return Judge(reference, grid, SEED_ANGLES, TOL)


def _scores(reference: PoseTrack, cover: PoseTrack) -> tuple[float, float, float]:
    """The raw score, the score above chance (floored at 0) and the score chance alone
    would earn on the same joints, 0-100 over the charted windows."""
    judge = _judge(reference)
    total = int(judge.charted.sum())
    events = judge.judge_track(cover)
    chance = chance_credit(judge, cover)
    raw = 100.0 * sum(e.similarity for e in events) / total
    gained = sum(above_chance(e, chance, judge.rules) for e in events)
    level = 0.0
    for event in events:
        known = np.isfinite(np.asarray(event.joint_ratios, np.float64)) & np.isfinite(chance)
        if event.judgement != Judgement.NO_POSE and known.any():
            level += float(chance[known].mean())
    return raw, round(max(0.0, 100.0 * gained / total), 2), round(100.0 * level / total, 2)


def test_a_dance_against_itself_is_100_above_chance() -> None:
    ref = dancer_track(duration=16.0, bpm=100.0, seed=2)
    raw, above, _ = _scores(ref, ref)
    assert raw == above == 100.0


def test_another_dance_scores_near_chance() -> None:
    ref = dancer_track(duration=16.0, bpm=100.0, seed=2)
    other = dancer_track(duration=16.0, bpm=71.0, seed=9)  # another tempo: out of step
    raw, above, level = _scores(ref, other)
    assert above < 0.5 * raw  # most of the raw score is what any timing would earn
    assert abs(raw - level) < 15.0


def test_chance_credit_is_per_joint_and_leaves_missing_joints_out() -> None:
    ref = dancer_track(duration=12.0, bpm=100.0, seed=2)
    cover = dancer_track(duration=12.0, bpm=100.0, seed=4)
    visibility = cover.visibility.copy()
    visibility[:, 25:] = 0.0  # knees and feet out of frame: waist-up
    waist_up = PoseTrack(cover.times, cover.landmarks, visibility, cover.aspect)
    chance = chance_credit(_judge(ref), waist_up)
    names = [s.name for s in SEED_ANGLES]
    assert np.isnan(chance[names.index("left_knee")])
    assert np.isnan(chance[names.index("left_hip")])
    assert np.all((chance[np.isfinite(chance)] >= 0) & (chance[np.isfinite(chance)] <= 1))


def test_no_dancer_scores_zero_above_chance() -> None:
    ref = dancer_track(duration=12.0, bpm=100.0, seed=2)
    empty = PoseTrack(ref.times, ref.landmarks, np.zeros_like(ref.visibility), ref.aspect)
    _, above, level = _scores(ref, empty)
    assert above == 0.0 and level == 0.0
