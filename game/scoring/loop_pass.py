"""One judged pass of an A-B loop, kept in memory for its line and the instant replay. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from game.pose.frame import PoseFrame
from game.scoring.rules import Judgement, WindowJudgement
from game.timing.loop import LoopSpan, pass_line


def passed(events: Iterable[WindowJudgement]) -> bool:
    """A pass: every window of the try GOOD or better (and at least one window)."""
    events = list(events)
    return bool(events) and all(e.judgement.tier.hit for e in events)


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

    @property
    def passed(self) -> bool:
        """Every window GOOD or better."""
        return passed(self.events)

    @property
    def line(self) -> str:
        """`pass N: 4 PERFECT, 0 GOOD, 0 MISS, 0 NO POSE`."""
        counts = [(j.label, sum(e.judgement is j for e in self.events))
                  for j in sorted(Judgement, reverse=True)]  # fmt: skip
        return pass_line(self.number, counts)

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
