"""Find how a cover lines up with its reference: offset, drift, mirrored or not.

1. When both have music and their onset envelopes correlate clearly, the audio gives the
   offset; otherwise the joint angles give a few candidate offsets.
2. Each candidate is refined, both mirrored and not, by the game's own judge: the pair
   (offset, mirrored) with the best score wins.
3. DTW on the joint angles, in a band around that offset, follows slow drift; its warp is
   kept only if the judge agrees it fits better.
4. A cover danced at another tempo: the best tempo lines and a DTW around each
   (`game.cover.tempo`); one is kept only if the judge rates it far above the best constant
   offset by the score above chance (measured: unrelated pairs gain up to 14 points from
   the freedom alone, two takes of one dance 25-33). With shared music (trusted audio) one
   song is under both, so the tempo must stay near 1 and needs the same wide margin.
   Its warp may cover only part of the reference.
5. `Aligner.best` runs this once not mirrored and once mirrored (or judges a given offset
   without any search) and keeps the one with the higher game score (mean window points,
   as the scorecard computes it), so the choice and the figures printed agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from game.cover.chance import above_chance as window_above_chance
from game.cover.chance import chance_credit
from game.cover.tempo import tempo_warps
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
from game.scoring.judge import Judge
from game.scoring.rules import WindowJudgement

AUDIO_TRUST = 0.5  # onset-envelope correlation above which the audio offset is trusted
IN_STEP_S = 1 / 30  # an offset under one video frame (at 30 fps) is no offset at all
AUDIO_REFINE_S = 0.2  # search around a trusted audio offset
POSE_REFINE_S = 0.5  # search around each pose candidate
REFINE_STEP_S = 0.05
DTW_MIN_GAIN = 0.5  # score points the warp must add to be kept
TEMPO_MIN_GAIN = 15.0  # above-chance points a tempo warp must add over the best offset
TRUSTED_TEMPO_GAIN = 15.0  # ...also with shared music: one song under both keeps tempo 1
TRUSTED_TEMPO_SPAN = 0.1  # shared music: the tempo stays within exp(+/- this) of 1

Progress = Callable[[float], None]


@dataclass(frozen=True)
class Alignment:
    offset_s: float  # cover time = reference time + offset (at the start, before drift)
    mirrored: bool
    method: str  # "audio", "pose", plus "+dtw" when the drift warp was kept, or "tempo"
    audio_correlation: float | None
    warp: Warp
    events: tuple[WindowJudgement, ...]
    score: float  # the game's score: mean window points, 0-100
    mirror_scores: dict[bool, float]  # the game's score of the best alignment mirrored / not
    similarity: float = 0.0  # mean window similarity, 0-100 (what the search maximises)

    @property
    def drift_s(self) -> float:
        """How far the warp strays from the plain offset (0 without DTW)."""
        if self.warp.partial:
            return 0.0  # a tempo warp: its drift is the tempo
        return float(np.max(np.abs(self.warp.offsets - self.offset_s)))

    @property
    def tempo(self) -> float:
        """Cover seconds per reference second along the warp (1 = same tempo)."""
        return self.warp.tempo


def lateness(offset_s: float) -> str:
    """How a cover sits against its song: "0.81 s late", "0.81 s early" (its music comes
    that much before the song's), or "in step" under a frame."""
    if abs(offset_s) < IN_STEP_S:
        return "in step"
    return f"{abs(offset_s):.2f} s {'early' if offset_s < 0 else 'late'}"


def window_score(events: list[WindowJudgement] | tuple[WindowJudgement, ...], total: int) -> float:
    """Mean window similarity x 100: smooth in the offset, so the search climbs it."""
    return 100.0 * sum(e.similarity for e in events) / max(total, 1)


def game_score(events: list[WindowJudgement] | tuple[WindowJudgement, ...], total: int) -> float:
    """The game's score: mean window points (PERFECT 100, GOOD 80, else 0), as `summarize`."""
    return round(sum(e.points for e in events) / max(total, 1), 2)


class Aligner:
    """Aligns one cover track against one reference, judged by `judges[mirrored]`."""

    def __init__(self, reference: PoseTrack, judges: dict[bool, Judge]) -> None:
        self.reference = reference
        self.judges = judges
        self.total = int(judges[False].charted.sum())
        self.span = (float(reference.times[0]), float(reference.times[-1]))

    def chance(self, cover: PoseTrack, mirrors: tuple[bool, ...]) -> dict[bool, np.ndarray]:
        """Per mirroring, each joint's chance credit of `cover` (`game.cover.chance`)."""
        return {m: chance_credit(self.judges[m], cover) for m in mirrors}

    def above_chance(
        self, events: list[WindowJudgement], mirrored: bool, chance: dict[bool, np.ndarray]
    ) -> float:
        """Mean above-chance similarity x 100, not floored (candidates below chance still
        compare)."""
        rules = self.judges[mirrored].rules
        gained = sum(window_above_chance(e, chance[mirrored], rules) for e in events)
        return 100.0 * gained / max(self.total, 1)

    def tempo_candidate(
        self,
        cover: PoseTrack,
        chance: dict[bool, np.ndarray],
        mirrors: tuple[bool, ...] = (False, True),
        span: float = 1.0,
    ) -> tuple[float, Warp, bool] | None:
        """(above chance, warp, mirrored) of the best tempo warp with a tempo within
        exp(+/- `span`) of 1, if any."""
        best = None
        for mirrored in mirrors:
            judge = self.judges[mirrored]
            for _, warp in tempo_warps(
                self.reference.times,
                judge.reference_angles,
                cover.times,
                judge.player_angles(cover.landmarks, cover.visibility),
                judge.tolerances,
            ):
                if abs(np.log(max(warp.tempo, 1e-6))) > span:
                    continue
                _, events = self.judge(cover, warp, mirrored)
                rated = self.above_chance(events, mirrored, chance)
                if best is None or rated > best[0]:
                    best = (rated, warp, mirrored)
        return best

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
        ref_angles = judge.reference_angles
        cover_angles = judge.player_angles(cover.landmarks, cover.visibility)
        offsets, costs = pose_lag_costs(
            self.reference.times, ref_angles, cover.times, cover_angles, judge.tolerances
        )
        return offset_candidates(offsets, costs)

    def best(
        self,
        cover: PoseTrack,
        audio: Offset | None = None,
        use_dtw: bool = True,
        on_progress: Progress | None = None,
        mirror: str = "auto",
        offset: float | None = None,
    ) -> Alignment:
        """The alignment the cover is scored at: searched (or at the given `offset`, cover
        time = reference time + offset), mirrored when `mirror` is "yes", not when "no",
        and for "auto" whichever earns the higher game score (not mirrored on a tie)."""
        mirrors = {"auto": (False, True), "yes": (True,), "no": (False,)}[mirror]
        found: dict[bool, Alignment] = {}
        for i, mirrored in enumerate(mirrors):

            def part(fraction: float, i: int = i) -> None:
                if on_progress:
                    on_progress((i + fraction) / len(mirrors))

            if offset is None:
                found[mirrored] = self.align(cover, audio, use_dtw, part, (mirrored,))
            else:
                found[mirrored] = self.at_offset(cover, offset, mirrored, audio)
        chosen = max(found.values(), key=lambda a: (a.score, a.similarity, not a.mirrored))
        return replace(chosen, mirror_scores={m: a.score for m, a in found.items()})

    def at_offset(
        self, cover: PoseTrack, offset: float, mirrored: bool, audio: Offset | None = None
    ) -> Alignment:
        """The cover judged at a constant `offset`, no search."""
        warp = self.constant(offset)
        similarity, events = self.judge(cover, warp, mirrored)
        score = game_score(events, self.total)
        return Alignment(
            offset_s=offset, mirrored=mirrored, method="given",
            audio_correlation=None if audio is None else audio.strength, warp=warp,
            events=tuple(events), score=score, mirror_scores={mirrored: score},
            similarity=similarity,
        )  # fmt: skip

    def align(
        self,
        cover: PoseTrack,
        audio: Offset | None = None,
        use_dtw: bool = True,
        on_progress: Progress | None = None,
        mirrors: tuple[bool, ...] = (False, True),
    ) -> Alignment:
        """Search the offset (drift, tempo) among `mirrors`, by the window similarity."""
        trusted = audio is not None and audio.strength >= AUDIO_TRUST
        tried: list[tuple[float, float, bool, str]] = []  # score, offset, mirrored, method
        for step, mirrored in enumerate(mirrors):
            if trusted:
                assert audio is not None
                seeds, radius, method = [audio], AUDIO_REFINE_S, "audio"
            else:
                seeds, radius, method = self.candidates(cover, mirrored), POSE_REFINE_S, "pose"
            for seed in seeds or [Offset(0.0, 0.0, "none")]:
                score, offset = self.best_near(cover, seed.seconds, radius, mirrored)
                tried.append((score, offset, mirrored, method))
            if on_progress:
                on_progress(0.8 * (step + 1) / len(mirrors))
        score, offset, mirrored, method = max(tried, key=lambda t: (t[0], not t[2]))
        warp = self.constant(offset)
        if use_dtw and not trusted:  # shared music: the song's time is the game's, no drift
            judge = self.judges[mirrored]
            warped = dtw_warp(
                self.reference.times,
                judge.reference_angles,
                cover.times,
                judge.player_angles(cover.landmarks, cover.visibility),
                judge.tolerances,
                offset,
            )
            warped_score, _ = self.judge(cover, warped, mirrored)
            if warped_score >= score + DTW_MIN_GAIN:
                warp, method = warped, method + "+dtw"
        final_score, events = self.judge(cover, warp, mirrored)
        if use_dtw:
            chance = self.chance(cover, mirrors)
            rated = self.above_chance(events, mirrored, chance)
            if trusted:
                tempo = self.tempo_candidate(cover, chance, mirrors, TRUSTED_TEMPO_SPAN)
                need = TRUSTED_TEMPO_GAIN
            else:
                tempo, need = self.tempo_candidate(cover, chance, mirrors), TEMPO_MIN_GAIN
            if tempo is not None and tempo[0] >= rated + need:
                _, warp, mirrored = tempo
                offset, method = float(warp.cover_times[0] - warp.ref_times[0]), "tempo"
                final_score, events = self.judge(cover, warp, mirrored)
        if on_progress:
            on_progress(1.0)
        score = game_score(events, self.total)
        return Alignment(
            offset_s=offset,
            mirrored=mirrored,
            method=method,
            audio_correlation=None if audio is None else audio.strength,
            warp=warp,
            events=tuple(events),
            score=score,
            mirror_scores={mirrored: score},
            similarity=final_score,
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
