"""Learn mode headless (`play --level NAME --learn` with `--demo` or `--input VIDEO`): every
try of every step is danced by the input and judged as in play, on a clock that the run moves
on by itself, one frame at a time (no waiting); one line per step."""

from __future__ import annotations

import sys
from collections.abc import Callable

from game.errors import UserError
from game.inputs import InputPlan
from game.level.model import Level
from game.play_setup import PlaySetup
from game.scoring.learn import LearnCourse, lead_in_start
from game.scoring.live import LiveJudging
from game.scoring.loop_pass import pass_rule, passed
from game.scoring.sections import Section, sections
from game.session import InputOpener, SongSession

FRAME_S = 1 / 30
TRACK_FPS = 15.0  # a video used as the camera is tracked at this rate, as `score` does


class StepClock:
    """A wall clock moved on FRAME_S a frame by the run itself (no waiting)."""

    def __init__(self, start: float = 0.0) -> None:
        self.time = start

    def __call__(self) -> float:
        return self.time

    def tick(self) -> None:
        self.time += FRAME_S


def one_try(
    setup: PlaySetup, opener: InputOpener, span: Section, speed: float, clock: StepClock
) -> bool:
    """Dance `span` once at `speed` and judge it window by window: a pass or not (the
    difficulty's `PassRule`)."""
    grid = setup.level.grid
    start, _ = span.span(grid)
    judging = LiveJudging(setup.judges(), span.windows(grid))
    session = SongSession(
        judging, opener, clock, lambda: None, start=lead_in_start(grid, start), rate=speed
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
    return passed(events, pass_rule(setup.difficulty))


def run_learn(
    setup: PlaySetup,
    opener: InputOpener,
    with_add_ons: bool = True,
    clock: StepClock | None = None,
    on_line: Callable[[str], None] = lambda line: None,
) -> tuple[LearnCourse, list[str]]:
    """The whole course, each try danced by `opener`'s input; the add-ons and the whole
    song only if `with_add_ons`. Returns the course and one line per step taken, in course
    order (each also given to `on_line` as its step ends)."""
    cuts = sections(setup.level.pose, setup.level.grid)
    learn = LearnCourse(cuts)
    clock = clock if clock is not None else StepClock()
    lines: list[str] = []
    while not learn.done:
        step, index = learn.current, learn.step
        if step.kind != "section" and not with_add_ons:
            learn.skip()
            continue
        learn.record(one_try(setup, opener, step.span(cuts), learn.current_speed, clock))
        if learn.step != index:
            lines.append(learn.step_line(index))
            on_line(lines[-1])
    return learn, lines


def video_opener(level: Level, plan: InputPlan, clock: StepClock) -> InputOpener:
    """The plan's video as the camera, tracked once (cached, as `cover-dance score` tracks
    a cover, at TRACK_FPS) and each try played from its place against the song: lined up by
    its music or `--input-offset`, as a video played live is."""
    from game.capture.cache import cached_video_track
    from game.capture.recorded import SongPacedTrack
    from game.capture.request import TrackRequest
    from game.cover.sync import sync_video

    video = plan.videos[0]
    sync = sync_video(level.audio_path, video, plan.video_offset(0))
    print(f"cover-dance: {sync.notice}", file=sys.stderr)
    track = cached_video_track(TrackRequest.of(video, TRACK_FPS))
    return lambda song_time_of: SongPacedTrack(track, song_time_of, sync.offset_s, clock())


def learn_headless(setup: PlaySetup, plan: InputPlan, on_line: Callable[[str], None]) -> None:
    """`play --level NAME --learn` with the demo (a clean bot) or a video as the camera: the
    course run through on a clock that runs as fast as it can, each step's line given to
    `on_line` as it ends."""
    level = setup.level
    clock = StepClock()
    if plan.kind == "demo":
        from game.demo import demo_input

        opener: InputOpener = lambda song_time_of: demo_input(setup, song_time_of, True)  # noqa: E731
    else:
        if plan.camera is not None or len(plan.videos) != 1:
            raise UserError("--learn runs by itself with --demo or one --input VIDEO")
        opener = video_opener(level, plan, clock)
    run_learn(setup, opener, clock=clock, on_line=on_line)
