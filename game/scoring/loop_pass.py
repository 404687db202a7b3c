"""When a try passes (one rule for learn mode, practice and the A-B loop), and one judged
pass of an A-B loop, kept in memory for its line and the instant replay. Pure.

A try passes when enough of its windows are GOOD or better and no run of misses is too long
(`PassRule`, per difficulty; README "Learn mode"): the constants come from the teaching study
over real covers (`cover-dance calibrate`, game.calibration.teaching).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from game.pose.frame import PoseFrame
from game.pose.skeleton import AngleSpec
from game.scoring.coaching import coaching_lines
from game.scoring.rules import DEFAULT_DIFFICULTY, Judgement, WindowJudgement
from game.timing.loop import LoopSpan, pass_line


@dataclass(frozen=True)
class PassRule:
    """A try passes with at least `share` of its windows GOOD or better and no longer run of
    windows below GOOD than `max_run` allows: `max_missed_run`, or in a long try one more
    for every `moves_per_missed` windows, `run_cap` at most (a whole song may lose an
    8-count here and there; a section may not). A short try (`short_moves` windows or
    fewer: a 2-bar loop, a missed segment) needs `short_share` of them, where that is more."""

    share: float
    max_missed_run: int
    short_share: float = 0.0
    short_moves: int = 4
    moves_per_missed: int = 0  # 0: the run's bound does not grow with the try
    run_cap: int = 0

    def needed(self, windows: int) -> int:
        """Windows GOOD or better a try of `windows` windows needs (at least one)."""
        share = self.share
        if windows <= self.short_moves:
            share = max(share, self.short_share)
        return max(1, math.ceil(share * windows - 1e-9))

    def max_run(self, windows: int) -> int:
        """The most windows in a row below GOOD a try of `windows` windows may have."""
        if not self.moves_per_missed:
            return self.max_missed_run
        return max(self.max_missed_run, min(self.run_cap, windows // self.moves_per_missed))


PASS_RULES: dict[str, PassRule] = {
    "easy": PassRule(share=0.5, max_missed_run=3, moves_per_missed=5, run_cap=8),
    "normal": PassRule(share=0.5, max_missed_run=3, short_share=0.6, moves_per_missed=5, run_cap=8),
    "hard": PassRule(share=0.7, max_missed_run=2, moves_per_missed=6, run_cap=6),
}
"""Normal: half the moves, and no more missed in a row than a fifth of the try's moves, 3 at
least (6 beats on a level of 2-beat moves: less than an 8-count, in any section of up to 19
moves) and 8 at most (two 8-counts, in a try of 40 moves or more); a try of 4 moves or fewer
(a 2-bar loop) all but one of them (3 of 4, 2 of 3, both of 2)."""


def pass_rule(difficulty: str = DEFAULT_DIFFICULTY) -> PassRule:
    return PASS_RULES.get(difficulty, PASS_RULES[DEFAULT_DIFFICULTY])


def longest_missed_run(events: Sequence[WindowJudgement]) -> int:
    """The most windows in a row below GOOD (MISS or NO POSE)."""
    longest = run = 0
    for event in sorted(events, key=lambda e: e.window):
        run = 0 if event.judgement.tier.hit else run + 1
        longest = max(longest, run)
    return longest


@dataclass(frozen=True)
class TryVerdict:
    """How close a try came: its moves GOOD or better, the moves needed, the longest run
    of missed moves allowed, and the windows below GOOD."""

    good: int
    total: int
    needed: int
    longest_missed_run: int
    max_missed_run: int
    missed: tuple[WindowJudgement, ...]

    @property
    def passed(self) -> bool:
        return (
            self.total > 0
            and self.good >= self.needed
            and self.longest_missed_run <= self.max_missed_run
        )

    @property
    def worst(self) -> WindowJudgement | None:
        """The missed move furthest off: the MISS with the least similarity, else the first
        NO POSE (None: nothing missed)."""
        misses = [e for e in self.missed if e.judgement == Judgement.MISS]
        if misses:
            return min(misses, key=lambda e: e.similarity)
        return self.missed[0] if self.missed else None

    def coaching(self, specs: Sequence[AngleSpec], mirrored: bool = False) -> str | None:
        """What to change in the worst missed move, in the scorecard's words."""
        worst = self.worst
        if worst is None:
            return None
        if worst.judgement == Judgement.NO_POSE:
            return "stay in the frame: you were not seen"
        lines = coaching_lines([worst], specs, mirrored, max_lines=1)
        return lines[0] if lines else "watch the coach on that move"

    @property
    def short_by(self) -> int:
        """Moves still to get right for the share (0: the share is reached)."""
        return max(0, self.needed - self.good)

    @property
    def head(self) -> str:
        """`6 of 8 moves GOOD or better`."""
        return f"{self.good} of {self.total} moves GOOD or better"

    @property
    def reason(self) -> str:
        """`passed`, `one more to pass`, `3 missed in a row (2 at most)` or both: `one more
        to pass, and 7 missed in a row (3 at most)`."""
        if self.passed:
            return "passed"
        run = f"{self.longest_missed_run} missed in a row ({self.max_missed_run} at most)"
        if not self.short_by:
            return run
        more = "one more" if self.short_by == 1 else f"{self.short_by} more"
        if self.longest_missed_run > self.max_missed_run:
            return f"{more} to pass, and {run}"
        return f"{more} to pass"

    def text(self) -> str:
        """`6 of 8 moves GOOD or better: passed` (the head, then the reason)."""
        return f"{self.head}: {self.reason}"


def verdict(events: Iterable[WindowJudgement], rule: PassRule) -> TryVerdict:
    """The try `events` judged by `rule`."""
    events = sorted(events, key=lambda e: e.window)
    good = sum(e.judgement.tier.hit for e in events)
    missed = tuple(e for e in events if not e.judgement.tier.hit)
    return TryVerdict(good, len(events), rule.needed(len(events)), longest_missed_run(events),
                      rule.max_run(len(events)), missed)  # fmt: skip


def passed(events: Iterable[WindowJudgement], rule: PassRule | None = None) -> bool:
    """A pass under `rule` (default: the default difficulty's), at least one window."""
    return verdict(events, rule or pass_rule()).passed


@dataclass(frozen=True)
class LoopPass:
    """A pass (or a practice try): what was danced, how, and how it was judged."""

    number: int  # the pass's number; 0: a whole song (the scorecard's replay)
    span: LoopSpan
    speed: float
    mirror: bool
    events: tuple[WindowJudgement, ...]
    poses: tuple[PoseFrame, ...]  # the player's poses, stamped in song time
    start_s: float  # song time the pass started (the lead-in)
    end_s: float  # song time the pass ended
    rule: PassRule = PASS_RULES[DEFAULT_DIFFICULTY]

    @property
    def verdict(self) -> TryVerdict:
        return verdict(self.events, self.rule)

    @property
    def passed(self) -> bool:
        """Passed by the difficulty's `PassRule`."""
        return self.verdict.passed

    @property
    def line(self) -> str:
        """`pass N: 4 PERFECT, 0 GOOD, 0 MISS, 0 NO POSE  passed` (or `not passed`)."""
        counts = [(j.label, sum(e.judgement is j for e in self.events))
                  for j in sorted(Judgement, reverse=True)]  # fmt: skip
        return f"{pass_line(self.number, counts)}  {'passed' if self.passed else 'not passed'}"

    def pose_at(self, time: float) -> PoseFrame | None:
        """The player's newest pose at song `time` (None before the first)."""
        found = None
        for pose in self.poses:
            if pose.time > time:
                break
            found = pose
        return found

    def event_at(self, time: float) -> WindowJudgement | None:
        """The judged window holding song `time`."""
        return next((e for e in self.events if e.start_s <= time < e.end_s), None)
