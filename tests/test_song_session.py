"""The pygame-free song session, stepped with a manual clock: windows close in order, each
once, and judge as the batch judge does; pausing holds the song; an ended input stops it."""

from __future__ import annotations

import numpy as np
from game_driver import FakeClock
from synthetic import dancer_track

from game.capture.base import PoseOnlyInput
from game.capture.bot import BotDancer, BotPoseInput, Mistake
from game.pose.frame import PoseFrame
from game.pose.skeleton import angle_set
from game.scoring.judge import Judge
from game.scoring.live import LiveJudging
from game.scoring.rules import Judgement
from game.session import SongSession, capture_order, screen_order
from game.timing.beat_grid import BeatGrid

FRAME_S = 1 / 60
TRACK = dancer_track(20.0)
GRID = BeatGrid.fitting(120.0, 1.0, 2.0, 19.0)


def judge() -> Judge:
    specs = angle_set("seed")
    return Judge(TRACK, GRID, specs, np.array([s.tolerance_deg for s in specs]))


def bots(count: int = 1, absent: int | None = None):
    """`count` bots dancing the track side by side (capture order); bot `absent` never shows."""
    gone = (Mistake(0.0, 60.0, "absent"),)
    return lambda song_time_of: BotPoseInput(
        [BotDancer(TRACK, lag=0.05, seed=k, x_offset=0.4 * (k - (count - 1) / 2),
                   mistakes=gone if k == absent else ())
         for k in range(count)],
        song_time_of,
    )  # fmt: skip


def play(session: SongSession, clock: FakeClock, seconds: float) -> list:
    closed = []
    for _ in range(round(seconds / FRAME_S)):
        closed += session.step()[1]
        clock.time += FRAME_S
    return closed


def test_a_whole_song_closes_every_window_once_in_order() -> None:
    clock = FakeClock(500.0)
    judging = LiveJudging([judge()])
    session = SongSession(judging, bots(), clock, lambda: None)
    closed = play(session, clock, 21.0) + judging.finish()
    windows = [event.window for _, event in closed]
    assert windows == sorted(windows) == list(np.flatnonzero(judge().charted))
    assert all(event.judgement >= Judgement.GOOD for _, event in closed)


def test_pausing_holds_the_song_and_closes_nothing() -> None:
    clock = FakeClock(500.0)
    judging = LiveJudging([judge()])
    session = SongSession(judging, bots(), clock, lambda: None, start=2.0)
    play(session, clock, 4.0)
    session.pause()
    held, judged = session.clock.position, len(judging.players[0].processor.events)
    assert play(session, clock, 3.0) == []
    assert session.clock.position == held and len(judging.players[0].processor.events) == judged
    session.resume()
    play(session, clock, 1.0)
    assert abs(session.clock.position - (held + 1.0)) < 2 * FRAME_S


def test_each_player_slot_gets_its_own_dancer() -> None:
    """Capture order is left first; P1 (slot 0) is the dancer on the right of the image."""
    clock = FakeClock(500.0)
    judging = LiveJudging([judge(), judge()])
    session = SongSession(judging, bots(2, absent=0), clock, lambda: None)  # the left one hides
    play(session, clock, 6.0)
    p1, p2 = judging.players
    assert p1.latest is not None and p2.latest is None
    assert [len(f) for f in screen_order([[], [object()]])] == [1, 0]
    assert capture_order(screen_order(["left", "right"])) == ["left", "right"]
    assert capture_order(["P1", "P2"]) == ["P2", "P1"]  # P1 stands on the image's right


class EndsAfter(PoseOnlyInput):
    """A video used as the camera that ends (no more poses) at wall time `end`."""

    players = 1

    def __init__(self, end: float, song_time_of) -> None:
        self.end, self.song_time_of, self.last = end, song_time_of, None

    def poll(self, now: float) -> list[list[PoseFrame]]:
        if now >= self.end:
            return [[]]
        frame = TRACK.frame_at(self.song_time_of(now))
        return [[PoseFrame(now, frame.landmarks, frame.visibility)]]

    @property
    def ended(self) -> bool:
        return self.last is not None and self.last >= self.end


def test_an_input_that_ends_drops_the_rest_of_the_song() -> None:
    clock = FakeClock(500.0)
    judging = LiveJudging([judge()])
    inputs = []

    def opener(song_time_of):
        inputs.append(EndsAfter(clock.time + 8.0, song_time_of))
        return inputs[0]

    session = SongSession(judging, opener, clock, lambda: None)
    play(session, clock, 9.0)
    inputs[0].last = clock.time
    play(session, clock, 12.0)
    assert session.input_ended_song_s is not None and 7.5 < session.input_ended_song_s <= 8.1
    events = judging.players[0].processor.events
    assert events and all(e.end_s <= 8.5 for e in events)
    assert not any(e.judgement == Judgement.NO_POSE for e in events)
    assert judging.done
