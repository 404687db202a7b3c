"""Find how a cover lines up with its reference: offset, drift, mirrored or not.

1. When both have music and their onset envelopes correlate clearly, the audio gives the
   offset; otherwise the joint angles give a few candidate offsets.
2. Each candidate is refined, both mirrored and not, by the game's own judge: the pair
   (offset, mirrored) with the best score wins.
3. DTW on the joint angles, in a band around that offset, follows slow drift; its warp is
   kept only if the judge agrees it fits better.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from game.pose.frame import PoseTrack
from game.scoring.alignment import (
    Offset,
    Warp,
    correlate_envelopes,
    dtw_warp,
    offset_candidates,
    pose_lag_costs,
    retime,
)
from game.scoring.judge import Judge, WindowJudgement

AUDIO_TRUST = 0.5  # onset-envelope correlation above which the audio offset is trusted
AUDIO_REFINE_S = 0.2  # search around a trusted audio offset
POSE_REFINE_S = 0.5  # search around each pose candidate
REFINE_STEP_S = 0.05
DTW_MIN_GAIN = 0.5  # score points the warp must add to be kept

Progress = Callable[[float], None]


@dataclass(frozen=True)
class Alignment:
    offset_s: float  # cover time = reference time + offset (at the start, before drift)
    mirrored: bool
    method: str  # "audio", "pose", plus "+dtw" when the drift warp was kept
    audio_correlation: float | None
    warp: Warp
    events: tuple[WindowJudgement, ...]
    score: float  # mean window similarity, 0-100
    mirror_scores: dict[bool, float]  # best score found mirrored / not mirrored

    @property
    def drift_s(self) -> float:
        """How far the warp strays from the plain offset (0 without DTW)."""
        return float(np.max(np.abs(self.warp.offsets - self.offset_s)))


def window_score(events: list[WindowJudgement] | tuple[WindowJudgement, ...], total: int) -> float:
    return 100.0 * sum(e.similarity for e in events) / max(total, 1)


class Aligner:
    """Aligns one cover track against one reference, judged by `judges[mirrored]`."""

    def __init__(self, reference: PoseTrack, judges: dict[bool, Judge]) -> None:
        self.reference = reference
        self.judges = judges
        self.total = int(judges[False].charted.sum())
        self.span = (float(reference.times[0]), float(reference.times[-1]))

    def judge(self, cover: PoseTrack, warp: Warp, mirrored: bool) -> tuple[float, list]:
        events = self.judges[mirrored].judge_track(retime(cover, warp))
        return window_score(events, self.total), events

    def constant(self, offset: float) -> Warp:
        return Warp.constant(offset, *self.span)

    def best_near(
        self, cover: PoseTrack, centre: float, radius: float, mirrored: bool
    ) -> tuple[float, float]:
        """(score, offset) of the best offset within `radius` of `centre`."""
        best = (-1.0, centre)
        for offset in centre + np.arange(-radius, radius + 1e-9, REFINE_STEP_S):
            score, _ = self.judge(cover, self.constant(float(offset)), mirrored)
            if score > best[0] + 1e-9 or (
                abs(score - best[0]) <= 1e-9 and abs(offset - centre) < abs(best[1] - centre)
            ):
                best = (score, float(offset))
        return best

    def candidates(self, cover: PoseTrack, mirrored: bool) -> list[Offset]:
        judge = self.judges[mirrored]
        ref_angles = judge.angles(self.reference)
        cover_angles = judge.player_angles(cover.landmarks, cover.visibility)
        offsets, costs = pose_lag_costs(
            self.reference.times, ref_angles, cover.times, cover_angles, judge.tolerances
        )
        return offset_candidates(offsets, costs)

    def align(
        self,
        cover: PoseTrack,
        audio: Offset | None = None,
        use_dtw: bool = True,
        on_progress: Progress | None = None,
    ) -> Alignment:
        trusted = audio is not None and audio.strength >= AUDIO_TRUST
        tried: list[tuple[float, float, bool, str]] = []  # score, offset, mirrored, method
        for step, mirrored in enumerate((False, True)):
            if trusted:
                assert audio is not None
                seeds, radius, method = [audio], AUDIO_REFINE_S, "audio"
            else:
                seeds, radius, method = self.candidates(cover, mirrored), POSE_REFINE_S, "pose"
            for seed in seeds or [Offset(0.0, 0.0, "none")]:
                score, offset = self.best_near(cover, seed.seconds, radius, mirrored)
                tried.append((score, offset, mirrored, method))
            if on_progress:
                on_progress(0.4 * (step + 1))
        mirror_scores = {m: max(t[0] for t in tried if t[2] == m) for m in (False, True)}
        score, offset, mirrored, method = max(tried, key=lambda t: (t[0], not t[2]))
        warp = self.constant(offset)
        if use_dtw:
            judge = self.judges[mirrored]
            warped = dtw_warp(
                self.reference.times,
                judge.angles(self.reference),
                cover.times,
                judge.player_angles(cover.landmarks, cover.visibility),
                judge.tolerances,
                offset,
            )
            warped_score, _ = self.judge(cover, warped, mirrored)
            if warped_score >= score + DTW_MIN_GAIN:
                warp, method = warped, method + "+dtw"
        final_score, events = self.judge(cover, warp, mirrored)
        if on_progress:
            on_progress(1.0)
        return Alignment(
            offset_s=offset,
            mirrored=mirrored,
            method=method,
            audio_correlation=None if audio is None else audio.strength,
            warp=warp,
            events=tuple(events),
            score=final_score,
            mirror_scores=mirror_scores,
        )


def audio_offset(
    reference_envelope: np.ndarray | None, cover_envelope: np.ndarray | None, rate: float
) -> Offset | None:
    """The audio offset when both sides have music, else None."""
    if reference_envelope is None or cover_envelope is None:
        return None
    if len(reference_envelope) < 8 or len(cover_envelope) < 8:
        return None
    return correlate_envelopes(reference_envelope, cover_envelope, rate)
