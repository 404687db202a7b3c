"""The judge and score processor on synthetic pose tracks: known inputs, known judgements."""

from __future__ import annotations

import numpy as np
import pytest
from synthetic import dancer_track, freeze_arms, vanish

from game.pose.skeleton import SEED_ANGLES
from game.scoring.judge import Judge
from game.scoring.live import LiveJudging
from game.scoring.rules import DIFFICULTIES, Judgement, JudgeRules
from game.scoring.score import grade_for, summarize
from game.timing.beat_grid import BeatGrid

REFERENCE = dancer_track(duration=20.0, bpm=120.0)
GRID = BeatGrid.fitting(bpm=120.0, offset=1.0, beats_per_window=2, duration=19.0)
NAMES = [s.name for s in SEED_ANGLES]
TOLERANCES = np.array([s.tolerance_deg for s in SEED_ANGLES])


def judge(**kwargs: object) -> Judge:
    return Judge(REFERENCE, GRID, SEED_ANGLES, TOLERANCES, **kwargs)  # type: ignore[arg-type]


def play(player, j: Judge | None = None):
    j = j or judge()
    events = j.judge_track(player)
    return events, summarize(events, int(j.charted.sum()), NAMES)


def test_autoplay_is_all_perfect_with_score_100() -> None:
    events, summary = play(REFERENCE)
    assert len(events) == GRID.window_count == 18
    assert {e.judgement for e in events} == {Judgement.PERFECT}
    assert summary.score == 100.0 and summary.grade == "S"
    assert summary.max_combo == 18 and summary.missed_segments == ()


def test_autoplay_in_mirror_mode_with_a_mirrored_player_is_all_perfect() -> None:
    events, _ = play(REFERENCE.mirrored(), judge(mirror=True))
    assert {e.judgement for e in events} == {Judgement.PERFECT}
    unmirrored_events, unmirrored = play(REFERENCE.mirrored())
    # Without mirror mode the mirrored pose is never precise; its limbs still move with the
    # coach's (this synthetic dance is nearly symmetric), which earns GOOD at best.
    assert Judgement.PERFECT not in {e.judgement for e in unmirrored_events}
    assert unmirrored.score <= 80


def test_a_player_150_ms_late_is_still_perfect_or_good() -> None:
    events, summary = play(REFERENCE.shifted(0.15))
    assert all(e.judgement >= Judgement.GOOD for e in events)
    assert all(0.1 <= e.lag_s <= 0.2 for e in events)
    assert summary.grade in {"S", "A"}


def test_a_player_beyond_the_timing_tolerance_is_not_perfect() -> None:
    strict = judge(rules=JudgeRules(timing_tolerance_s=0.1))
    events, _ = play(REFERENCE.shifted(0.5), strict)
    assert sum(e.judgement == Judgement.PERFECT for e in events) < len(events) / 2


def test_arms_held_still_are_missed_and_the_segment_names_the_arms() -> None:
    player = freeze_arms(REFERENCE, start=9.0, end=13.0)
    events, summary = play(player)
    by_window = {e.window: e.judgement for e in events}
    frozen = [w for w in range(GRID.window_count) if 9.0 <= GRID.window_start(w) < 13.0]
    assert all(by_window[w] == Judgement.MISS for w in frozen)
    assert all(by_window[w] == Judgement.PERFECT for w in by_window if w not in frozen)
    (segment,) = summary.missed_segments
    assert segment.start_s == pytest.approx(9.0)
    assert segment.end_s == pytest.approx(13.0)
    assert set(segment.joints) <= {"left_elbow", "right_elbow", "left_shoulder", "right_shoulder"}
    assert segment.joints
    assert summary.worst_joints[0].name in {"left_shoulder", "right_shoulder"}
    assert (summary.combo, summary.max_combo) == (6, 8)  # 13-19 s after, 1-9 s before


def test_a_player_who_vanishes_for_two_seconds_gets_no_pose_there() -> None:
    events, summary = play(vanish(REFERENCE, start=5.0, end=7.0))
    gone = [e for e in events if e.judgement == Judgement.NO_POSE]
    assert [(e.start_s, e.end_s) for e in gone] == [(5.0, 6.0), (6.0, 7.0)]
    assert all(e.judgement == Judgement.PERFECT for e in events if e not in gone)
    assert summary.counts[Judgement.NO_POSE] == 2 and summary.missed_segments == ()


def test_no_player_at_all_is_all_no_pose_not_an_error() -> None:
    empty = REFERENCE.slice_time(100.0, 101.0)
    events, summary = play(empty)
    assert {e.judgement for e in events} == {Judgement.NO_POSE}
    assert summary.score == 0.0 and summary.grade == "D"


def test_missing_joints_are_left_out_not_counted_as_errors() -> None:
    visibility = REFERENCE.visibility.copy()
    visibility[:, 25:] = 0.0  # knees and feet out of frame (waist-up camera)
    player = type(REFERENCE)(REFERENCE.times, REFERENCE.landmarks, visibility, 1.0)
    events, summary = play(player)
    assert {e.judgement for e in events} == {Judgement.PERFECT}
    knee = NAMES.index("left_knee")
    assert all(np.isnan(e.joint_errors[knee]) for e in events)
    report = {r.name: r for r in summary.worst_joints}
    assert report["left_knee"].missing_share == 1.0


def test_easier_difficulty_forgives_more() -> None:
    player = freeze_arms(REFERENCE, start=9.0, end=13.0)
    _, hard = play(player, judge(difficulty=DIFFICULTIES["hard"]))
    _, easy = play(player, judge(difficulty=DIFFICULTIES["easy"]))
    assert easy.score > hard.score


def test_live_judging_closes_every_window_once_however_far_the_song_jumps() -> None:
    jumps, steps = LiveJudging([judge()]), LiveJudging([judge()])
    jumped = [e.window for t in (1.5, 5.2, 5.3, 100.0) for _, e in jumps.update(t)]
    stepped = [e.window for t in np.arange(0.0, 100.0, 0.0167) for _, e in steps.update(float(t))]
    assert jumped == stepped == list(range(GRID.window_count))


def test_live_judging_frame_by_frame_matches_the_batch_judge() -> None:
    j = judge()
    judging = LiveJudging([j])
    player = freeze_arms(REFERENCE, 9.0, 13.0)
    closed_late = []
    for i in range(len(player)):
        judging.add_pose(0, player.frame(i))
        for _, event in judging.update(float(player.times[i])):
            closed_late.append(float(player.times[i]) - event.end_s)
    judging.finish()
    batch = j.judge_track(player)
    live = judging.players[0].processor.events
    assert [e.judgement for e in live] == [e.judgement for e in batch]
    assert judging.summary().score == summarize(batch, len(batch), NAMES).score
    assert all(judging.margin <= late < judging.margin + 0.05 for late in closed_late)


def test_grades_follow_one_rule_on_the_window_points() -> None:
    # 100 = all PERFECT, 80 = all GOOD, 56 = 70 % GOOD (the calibrated cover target: B).
    assert [grade_for(s) for s in (100, 95, 94.9, 80, 79.9, 56, 55, 54.9, 35, 34.9, 0)] == [
        "S", "S", "A", "A", "B", "B", "B", "C", "C", "D", "D",
    ]  # fmt: skip
