"""The HTML report's score-over-time chart: bars by verdict, readable at song length."""

from __future__ import annotations

import re
from types import SimpleNamespace

from game.cover.report_html import _chart
from game.scoring.rules import Judgement, WindowJudgement


def _window(w: int, judgement: Judgement, similarity: float) -> WindowJudgement:
    return WindowJudgement(w, judgement, 1.2 * w, 1.2 * w + 1.2, 2.0 * w, 2.0 * w + 2, 0.0,
                           similarity, (), ())  # fmt: skip


def _bar_heights(svg: str) -> list[float]:
    return [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]


def test_bars_show_the_verdict_not_the_similarity() -> None:
    """A MISS with a high similarity must not stand taller than a GOOD with a low one."""
    events = [
        _window(0, Judgement.GOOD, 0.35),
        _window(1, Judgement.MISS, 0.9),
        _window(2, Judgement.PERFECT, 0.5),
    ]
    good, miss, perfect = _bar_heights(_chart(SimpleNamespace(events=events)))
    assert miss < good < perfect
    assert miss > 0  # a window of no points still shows
    assert abs(good / perfect - 0.8) < 0.01


def test_a_full_length_song_gets_a_dozen_time_labels_at_most() -> None:
    events = [_window(w, Judgement.GOOD, 0.7) for w in range(185)]  # 3:42 of windows
    svg = _chart(SimpleNamespace(events=events))
    labels = re.findall(r">(\d+:\d\d)</text>", svg)
    assert 4 <= len(labels) <= 12
    assert labels[0] == "0:00" and labels[-1].startswith("3:")
    assert len(_bar_heights(svg)) == 185


def test_weakest_joint_bars_are_as_long_as_their_wrong_share_and_carry_no_tick() -> None:
    from game.cover.report_html import _joint_bars
    from game.scoring.score import JointReport

    svg = _joint_bars([JointReport("left_knee", 0.9, 0.25, 0.0),
                       JointReport("right_forearm", 1.4, 0.75, 0.1)])  # fmt: skip
    assert "<line" not in svg  # no unexplained tick
    assert svg.index("right forearm") < svg.index("left knee")  # most often wrong first
    fills = [float(w) for w in re.findall(r'width="([\d.]+)" height="14" rx="7" fill="#ff', svg)]
    assert len(fills) == 2 and abs(fills[0] / fills[1] - 3.0) < 0.01  # 75% against 25%
