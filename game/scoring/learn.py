"""Learn mode's course, without pygame: section by section at 0.5x, 0.75x and 1x, the
add-on (the section chained with those before it), then the whole song.

A try passes by the difficulty's `game.scoring.loop_pass.PassRule` (enough moves GOOD or
better, no long run of them missed); a step is cleared at a speed after PASSES_NEEDED passes
in a row there, and a speed gives up after TRIES_PER_SPEED tries, so a wrong dance ends.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from game.scoring.sections import Section
from game.timing.beat_grid import BeatGrid
from game.timing.loop import TRY_SPEEDS as SPEEDS

PASSES_NEEDED = 2
TRIES_PER_SPEED = 4
LEAD_IN_BEATS = 4  # a try starts this many beats before its step: the "5, 6, 7, 8" count-in


def lead_in_start(grid: BeatGrid, start_s: float) -> float:
    """Where a try of a step starting at `start_s` begins, the learn scene's and headless
    learn's alike: the count-in's first beat (never before the song)."""
    return max(0.0, start_s - LEAD_IN_BEATS * grid.seconds_per_beat)


def speed_text(speed: float) -> str:
    """0.5 -> "0.5x", 1.0 -> "1x"."""
    return f"{speed:g}x"


def cleared_speeds(tries: Sequence[tuple[float, bool]]) -> set[float]:
    """The speeds cleared among a step's tries, (speed, passed) in order: PASSES_NEEDED
    passes in a row at one speed (a single pass is not yet a clear)."""
    cleared: set[float] = set()
    streak, last = 0, None
    for speed, ok in tries:
        streak = streak + 1 if ok and speed == last else int(ok)
        last = speed
        if streak >= PASSES_NEEDED:
            cleared.add(speed)
    return cleared


@dataclass(frozen=True)
class Step:
    """One thing to learn: sections `first`..`last` (inclusive) chained; `kind` is
    "section", "add-on" or "whole"."""

    kind: str
    first: int
    last: int

    def span(self, sections: Sequence[Section]) -> Section:
        return Section(sections[self.first].start, sections[self.last].end)


def course(count: int) -> list[Step]:
    """Each section, each followed (from the second on) by the add-on up to it; the last
    add-on is the whole song."""
    steps: list[Step] = []
    for i in range(count):
        steps.append(Step("section", i, i))
        if 0 < i < count - 1:
            steps.append(Step("add-on", 0, i))
    steps.append(Step("whole", 0, count - 1))
    return steps


@dataclass
class StepResult:
    """How a step went: tries in all, and the fastest speed cleared (None: not cleared)."""

    tries: int = 0
    cleared: float | None = None


@dataclass
class LearnCourse:
    """Where the learner is: the step, the speed, the passes in a row and tries there."""

    sections: list[Section]
    steps: list[Step] = field(init=False)
    step: int = 0
    speed: int = 0
    streak: int = 0
    tries_here: int = 0
    stay: bool = False
    """Stay at this speed: a clear repeats it rather than moving up."""
    results: dict[int, StepResult] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.steps = course(len(self.sections))

    @property
    def done(self) -> bool:
        return self.step >= len(self.steps)

    @property
    def current(self) -> Step:
        return self.steps[self.step]

    @property
    def current_speed(self) -> float:
        return SPEEDS[self.speed]

    def result(self, step: int | None = None) -> StepResult:
        return self.results.setdefault(self.step if step is None else step, StepResult())

    def record(self, ok: bool) -> str:
        """One try judged: returns what follows: "again", "faster", "cleared" or "gave up"
        (the last two move on to the next step)."""
        result = self.result()
        result.tries += 1
        self.tries_here += 1
        self.streak = self.streak + 1 if ok else 0
        if self.streak >= PASSES_NEEDED:
            result.cleared = max(result.cleared or 0.0, self.current_speed)
            if self.stay:
                self.streak = 0
                return "again"
            if self.speed < len(SPEEDS) - 1:
                self._at_speed(self.speed + 1)
                return "faster"
            self._go(self.step + 1)
            return "cleared"
        if self.tries_here >= TRIES_PER_SPEED:
            self._go(self.step + 1)
            return "gave up"
        return "again"

    def skip(self) -> None:
        """Right: on to the next step, this one as it stands."""
        self._go(min(self.step + 1, len(self.steps)))

    def back(self) -> None:
        """Left: the step before (or this one again from its start)."""
        self._go(max(self.step - 1, 0))

    def toggle_stay(self) -> None:
        self.stay = not self.stay

    def _at_speed(self, speed: int) -> None:
        self.speed, self.streak, self.tries_here = speed, 0, 0

    def _go(self, step: int) -> None:
        self.step = step
        self._at_speed(0 if self.done else self._start_speed())

    def _start_speed(self) -> int:
        """A section starts slow; an add-on or the whole song at the slowest speed its
        sections were all cleared at (0.5x if one was not)."""
        step = self.current
        if step.kind == "section":
            return 0
        cleared = [self.section_cleared(i) for i in range(step.first, step.last + 1)]
        if any(c is None for c in cleared):
            return 0
        return SPEEDS.index(min(c for c in cleared if c is not None))

    def section_cleared(self, section: int) -> float | None:
        """The fastest speed section `section` was cleared at, or None."""
        index = self.steps.index(Step("section", section, section))
        found = self.results.get(index)
        return found.cleared if found else None

    def section_line(self, section: int) -> str:
        """`section N  bars A-B  cleared at 1x after K tries` or `... not cleared (best:
        0.75x)`; the best is the fastest speed cleared ("none" if none)."""
        return self.step_line(self.steps.index(Step("section", section, section)))

    def step_line(self, index: int) -> str:
        """Step `index` in one line: `section N  bars A-B  ...`, `add-on 1-N  bars A-B  ...`
        or `whole song  bars 1-B  ...`, each ending `cleared at 1x after K tries` or `not
        cleared (best: 0.75x)`."""
        step = self.steps[index]
        found = self.results.get(index, StepResult())
        if step.kind == "section":
            name = f"section {step.first + 1}"
        elif step.kind == "add-on":
            name = f"add-on {step.first + 1}-{step.last + 1}"
        else:
            name = "whole song"
        head = f"{name}  {step.span(self.sections).label()}"
        if found.cleared == SPEEDS[-1]:
            return f"{head}  cleared at {speed_text(found.cleared)} after {found.tries} tries"
        best = "none" if found.cleared is None else speed_text(found.cleared)
        return f"{head}  not cleared (best: {best})"
