"""Learn mode headless (`play --level NAME --demo --learn`): every try of every section is
danced by the input and judged as in play, on a clock that the run moves on by itself, one
frame at a time (no waiting); prints one line per section."""

from __future__ import annotations

import time

from game.config import Settings
from game.inputs import InputPlan, PlayerInputs
from game.level.model import Level
from game.play_setup import PlaySetup
from game.scoring.learn import LearnCourse
from game.scoring.live import LiveJudging
from game.scoring.loop_pass import passed
from game.scoring.sections import Section, sections
from game.session import InputOpener, SongSession

FRAME_S = 1 / 30
LEAD_IN_S = 1.0  # song seconds danced before the section (the dancer gets going)


class StepClock:
    """A wall clock moved on FRAME_S a frame; `realtime`: also waits that long (a video
    used as the camera plays in real time)."""

    def __init__(self, start: float = 0.0, realtime: bool = False) -> None:
        self.time = time.monotonic() if realtime else start
        self.realtime = realtime

    def __call__(self) -> float:
        return self.time

    def tick(self) -> None:
        if self.realtime:
            time.sleep(max(0.0, self.time + FRAME_S - time.monotonic()))
        self.time += FRAME_S


def one_try(
    setup: PlaySetup, opener: InputOpener, span: Section, speed: float, clock: StepClock
) -> bool:
    """Dance `span` once at `speed` and judge it window by window: a pass or not."""
    grid = setup.level.grid
    start, _ = span.span(grid)
    judging = LiveJudging(setup.judges(), span.windows(grid))
    session = SongSession(
        judging, opener, clock, lambda: None, start=max(0.0, start - LEAD_IN_S), rate=speed
    )
    events = []
    try:
        while not judging.done:
            clock.tick()
            _, closed = session.step()
            events += [event for player, event in closed if player == 0]
            if session.input_ended_song_s is not None:
                events += [event for player, event in judging.finish() if player == 0]
    finally:
        session.close()
    return passed(events)


def run_learn(
    setup: PlaySetup,
    opener: InputOpener,
    with_add_ons: bool = True,
    clock: StepClock | None = None,
) -> tuple[LearnCourse, list[str]]:
    """The whole course, each try danced by `opener`'s input; the add-ons and the whole
    song only if `with_add_ons` (the printed lines are about sections). Returns the course
    and one line per section."""
    cuts = sections(setup.level.pose, setup.level.grid)
    learn = LearnCourse(cuts)
    clock = clock if clock is not None else StepClock()
    while not learn.done:
        step = learn.current
        if step.kind != "section" and not with_add_ons:
            learn.skip()
            continue
        learn.record(one_try(setup, opener, step.span(cuts), learn.current_speed, clock))
    return learn, [learn.section_line(i) for i in range(len(cuts))]


def learn_headless(level: Level, plan: InputPlan) -> list[str]:
    """`play --level NAME --learn` with the demo (a clean bot) or videos as the camera:
    the course run through; one line per section."""
    setup = PlaySetup(level)
    if plan.kind == "demo":
        from game.demo import demo_input

        _, lines = run_learn(setup, lambda song_time_of: demo_input(setup, song_time_of, True))
        return lines
    clock = StepClock(realtime=True)
    inputs = PlayerInputs(plan, clock, Settings.load)
    try:
        _, lines = run_learn(setup, lambda song_time_of: inputs.open(setup, song_time_of),
                             clock=clock)  # fmt: skip
    finally:
        inputs.close()
    return lines
