"""Coaching in words: what to change in a missed stretch, from the judge's signed errors,
the way a dance teacher says it: which limb, which way, on which count.

Each wrong joint's signed error (player minus coach, `WindowJudgement.joint_offsets`) and
the coach's angle there (`reference_angles`) are named by `coach_words.cue_for`, window by
window: "right arm up, not out to the side", "right arm a little higher", "a different move
with your right arm: watch the coach" (more than 90 degrees off), "bend your left elbow
more", "turn side-on", "lean to your right", "tilt your head to your left". A joint off as
much one way as the other over the stretch (the mean signed error under half the mean
error) has the right shape at the wrong moment: "right forearm: move it with the coach".

Each cue ends with the counts of the windows it was wrong on (count = beat % 8 + 1, as the
timeline shows): "on 5", "on 5-6", "on 5 to 8", "on 1-2 and 5-6", "all through the eight".
At most `max_lines` cues (2), biggest first: limbs and bends, then facing and torso, then
the head; then by how many windows and how far wrong. An arm and its forearm (a leg and its
foot) with the same cue are one limb; both sides with the same cue are one: "arms up, not
out to the side, on 1-2".

Sides are the player's own for someone facing the camera. `mirrored` says the player's
landmarks were mirrored before judging (`Judge.mirror`, a cover scored mirrored): the
joint called "left" was then the player's right, so left and right swap in the words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from game.pose.angles import circular_mean
from game.pose.skeleton import AngleSpec
from game.scoring.coach_words import Cue, cue_for, timing_cue
from game.scoring.rules import Judgement, WindowJudgement
from game.scoring.score import MissedSegment

__all__ = ["Cue", "advice_for", "coaching_lines", "counts_phrase", "segment_coaching"]

TIMING_SHARE = 0.5  # a mean signed error below this share of the mean error: off in time
WHOLE_LIMBS = {"forearm": "arm", "foot": "leg"}  # a part that joins its limb's same cue


@dataclass(frozen=True)
class Found:
    """One cue and where it was wrong: the beats, how many windows, how far (mean ratio)."""

    cue: Cue
    beats: frozenset[int]
    windows: int
    ratio: float

    def line(self) -> str:
        return self.cue.line(counts_phrase(self.beats))

    def joined(self, other: Found, cue: Cue) -> Found:
        ratio = max(self.ratio, other.ratio)
        return Found(cue, self.beats | other.beats, self.windows + other.windows, ratio)


def advice_for(spec: AngleSpec, coach: float, offset: float) -> Cue:
    """What to change for one joint, the coach's angle there being `coach` and the player's
    `coach + offset` (degrees); `.line()` gives the words."""
    return cue_for(spec, coach, offset)


def window_beats(event: WindowJudgement) -> set[int]:
    """The beats a window covers (beat 0 is the first beat of the song)."""
    first = math.floor(event.start_beat + 1e-6)
    return set(range(first, max(math.ceil(event.end_beat - 1e-6), first + 1)))


def _run(start: int, length: int) -> str:
    """One stretch of counts from `start` (0-7): "5", "5-6", "5 to 8"; one danced on past
    8 counts forward into the next eight: "7-8 and 1-2", "5 to 8 and 1-2"."""
    if start + length > 8:
        return f"{_run(start, 8 - start)} and {_run(0, start + length - 8)}"
    if length == 1:
        return f"{start + 1}"
    last = start + length
    return f"{start + 1}-{last}" if length == 2 else f"{start + 1} to {last}"


def counts_phrase(beats: Iterable[int]) -> str:
    """The dance counts of `beats` (count = beat % 8 + 1): "on 5", "on 5-6", "on 5 to 8",
    "on 1-2 and 5-6", each stretch in the order first danced; a stretch runs on from 8 to 1
    only where the beats did; "all through the eight" when every count is in them."""
    beats = sorted(set(beats))
    counts = {b % 8 for b in beats}
    if len(counts) == 8:
        return "all through the eight"
    runs: list[tuple[int, int]] = []  # (first count, length), counts 0-7
    for count in sorted(counts):
        if runs and sum(runs[-1]) == count:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((count, 1))
    over = any(b % 8 == 7 and b + 1 in beats for b in beats)  # danced on from 8 to 1
    if over and len(runs) > 1 and runs[0][0] == 0 and sum(runs[-1]) == 8:
        runs = [(runs[-1][0], runs[-1][1] + runs[0][1]), *runs[1:-1]]
    danced = {r: next(b for b in beats if (b - r[0]) % 8 < r[1]) for r in runs}
    parts = [_run(*r) for r in sorted(runs, key=danced.__getitem__)]
    if not parts:
        return ""
    return "on " + (parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}")


def _joint_cue(
    spec: AngleSpec,
    coach: np.ndarray,
    offsets: np.ndarray,
    errors: np.ndarray,
    ratios: np.ndarray,
    beats: Sequence[set[int]],
) -> Found:
    """The cue for one joint over the windows it was wrong in (the arrays' rows): timing
    when off both ways over them, else the words of most of its windows."""

    def found(cue: Cue, rows: Sequence[int]) -> Found:
        hit = frozenset().union(*(beats[r] for r in rows))
        return Found(cue, hit, len(rows), float(ratios[list(rows)].mean()))

    if abs(float(circular_mean(offsets, axis=0))) < TIMING_SHARE * float(errors.mean()):
        return found(timing_cue(spec), range(len(offsets)))
    groups: dict[Cue, list[int]] = {}
    for r in range(len(offsets)):
        if abs(offsets[r]) < TIMING_SHARE * errors[r]:  # off both ways within the window
            cue = timing_cue(spec)
        else:
            cue = cue_for(spec, float(coach[r]), float(offsets[r]))
        groups.setdefault(cue, []).append(r)
    best = max(groups.items(), key=lambda g: (len(g[1]), float(ratios[g[1]].sum())))
    return found(*best)


def _whole(a: Cue, b: Cue) -> Cue | None:
    """The whole limb's cue when `a` and `b` are a limb and its part (same side) with the
    same cue, or with the coach's limb in the same place ("right arm up")."""
    for limb, part in ((a, b), (b, a)):
        if WHOLE_LIMBS.get(part.noun) != limb.noun or part.side != limb.side:
            continue
        if replace(part, noun=limb.noun) == limb:
            return limb
        if limb.target and limb.target == part.target:
            return replace(limb, text=limb.target)
    return None


def _both_sides(a: Cue, b: Cue) -> Cue | None:
    """One cue for both sides when `a` and `b` are the same cue for the left and the right,
    or put the coach's limbs in the same place ("arms out to the side")."""
    if not (a.side and b.side and a.side != b.side):
        return None
    if replace(a, side=b.side) == b:
        return replace(a, side="", plural=True)
    if a.target and a.noun == b.noun and a.target == b.target:
        return replace(a, side="", plural=True, text=a.target)
    return None


def _merge(found: list[Found], rule: Callable[[Cue, Cue], Cue | None]) -> list[Found]:
    """`found` with every pair that `rule` makes one cue joined, in the order given."""
    out: list[Found] = []
    for item in found:
        k = next((k for k, f in enumerate(out) if rule(f.cue, item.cue)), None)
        if k is None:
            out.append(item)
        else:
            out[k] = out[k].joined(item, rule(out[k].cue, item.cue) or item.cue)
    return out


def _swap_sides(text: str) -> str:
    return re.sub(r"\b(left|right)\b", lambda m: "right" if m[1] == "left" else "left", text)


def coaching_lines(
    events: Sequence[WindowJudgement],
    specs: Sequence[AngleSpec],
    mirrored: bool = False,
    max_lines: int = 2,
) -> list[str]:
    """At most `max_lines` cues for a stretch of windows (a missed segment), biggest first:
    which limb to change, which way, on which counts."""
    judged = [e for e in events if e.judgement != Judgement.NO_POSE and e.joint_offsets]
    if not judged:
        return []
    ratios = np.array([e.joint_ratios for e in judged], np.float64)
    offsets = np.array([e.joint_offsets for e in judged], np.float64)
    coach = np.array([e.reference_angles for e in judged], np.float64)
    errors = np.array([e.joint_errors for e in judged], np.float64)
    wrong = (np.nan_to_num(ratios, nan=0.0) > 1.0) & np.isfinite(offsets) & np.isfinite(coach)
    wrong &= np.isfinite(errors)
    beats = [window_beats(e) for e in judged]
    found = []
    for j, spec in enumerate(specs):
        rows = np.flatnonzero(wrong[:, j])
        if len(rows):
            found.append(_joint_cue(spec, coach[rows, j], offsets[rows, j], errors[rows, j],
                                    ratios[rows, j], [beats[r] for r in rows]))  # fmt: skip
    found = _merge(_merge(found, _whole), _both_sides)
    found = sorted(found, key=lambda f: (f.cue.rank, -f.windows, -f.ratio))
    lines = [f.line() for f in found[:max_lines]]
    return [_swap_sides(line) for line in lines] if mirrored else lines


def segment_coaching(
    segment: MissedSegment,
    events: Sequence[WindowJudgement],
    specs: Sequence[AngleSpec],
    mirrored: bool = False,
    max_lines: int = 2,
) -> list[str]:
    """`coaching_lines` for the windows of one missed segment (what the scorecard shows)."""
    inside = [e for e in events if segment.first_window <= e.window <= segment.last_window]
    return coaching_lines(inside, specs, mirrored, max_lines)
