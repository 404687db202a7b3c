"""Learn mode: the course (game.scoring.learn) and its headless run (game.learn_run)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from game.capture.bot import BotDancer, BotPoseInput, Mistake
from game.cli import main
from game.learn_run import run_learn
from game.level.loader import load_level
from game.play_setup import PlaySetup
from game.scoring.learn import (
    PASSES_NEEDED,
    SPEEDS,
    TRIES_PER_SPEED,
    LearnCourse,
    cleared_speeds,
    course,
)
from game.scoring.sections import Section, sections

LEVELS = Path(__file__).resolve().parents[1] / "levels"
LINE = re.compile(
    r"(section \d+|add-on 1-\d+|whole song)  bars \d+-\d+  "
    r"(cleared at 1x after \d+ tries|not cleared \(best: (none|[\d.]+x)\))"
)
CUTS = [Section(0, 4), Section(4, 8), Section(8, 12)]


def test_the_course_is_each_section_then_its_add_on_then_the_whole_song():
    kinds = [(s.kind, s.first, s.last) for s in course(3)]
    assert kinds == [("section", 0, 0), ("section", 1, 1), ("add-on", 0, 1),
                     ("section", 2, 2), ("whole", 0, 2)]  # fmt: skip


def test_two_passes_in_a_row_clear_a_speed_and_a_miss_breaks_the_run():
    learn = LearnCourse(CUTS)
    assert learn.record(True) == "again"
    assert learn.record(False) == "again"
    assert learn.record(True) == "again"
    assert learn.record(True) == "faster"
    assert learn.current_speed == SPEEDS[1]
    assert [learn.record(True) for _ in range(2 * PASSES_NEEDED)] == [
        "again", "faster", "again", "cleared"]  # fmt: skip
    assert learn.section_line(0) == "section 1  bars 1-4  cleared at 1x after 8 tries"
    assert learn.current.first == 1


def test_a_speed_is_ticked_cleared_only_after_two_passes_in_a_row_there():
    assert PASSES_NEEDED == 2
    assert cleared_speeds([(0.5, True)]) == set()  # one pass: "once more to clear"
    assert cleared_speeds([(0.5, True), (0.5, False), (0.5, True)]) == set()
    assert cleared_speeds([(0.5, True), (0.5, True), (0.75, True)]) == {0.5}
    assert cleared_speeds([(0.5, True), (0.75, True)]) == set()  # not in a row at one speed
    assert cleared_speeds([(0.5, True), (0.5, True), (0.75, True), (0.75, True)]) == {0.5, 0.75}


def test_a_speed_gives_up_after_its_tries_and_the_best_speed_is_said():
    learn = LearnCourse(CUTS)
    learn.record(True), learn.record(True)  # 0.5x cleared
    outcomes = [learn.record(False) for _ in range(TRIES_PER_SPEED)]
    assert outcomes[-1] == "gave up" and learn.current.first == 1
    assert learn.section_line(0) == "section 1  bars 1-4  not cleared (best: 0.5x)"
    assert learn.section_line(1) == "section 2  bars 5-8  not cleared (best: none)"


def test_stay_repeats_a_speed_skip_and_back_move_between_steps():
    learn = LearnCourse(CUTS)
    learn.toggle_stay()
    assert [learn.record(True) for _ in range(4)] == ["again"] * 4
    assert learn.current_speed == SPEEDS[0]
    learn.toggle_stay()
    learn.skip()
    assert (learn.current.kind, learn.current.first) == ("section", 1)
    learn.back()
    assert (learn.current.kind, learn.current.first, learn.current_speed) == ("section", 0, 0.5)


def test_an_add_on_starts_at_the_slowest_speed_its_sections_were_cleared_at():
    learn = LearnCourse(CUTS)
    for _ in range(6):
        learn.record(True)  # section 1 at 1x
    learn.record(True), learn.record(True), learn.record(True), learn.record(True)
    for _ in range(TRIES_PER_SPEED):
        learn.record(False)  # section 2: best 0.75x
    assert learn.current.kind == "add-on" and learn.current_speed == 0.75


def _setup(name: str = "hello-sunshine") -> PlaySetup:
    return PlaySetup(load_level(LEVELS / name))


def test_a_bot_dancing_another_levels_moves_clears_no_more_than_one_section():
    """The demo levels' moves come from one small vocabulary, so another level's moves match
    some of a section by chance: one of five sections is cleared (half its moves GOOD or
    better, normal's `PassRule`). On real clips wrong dances clear none (test_calibration)."""
    setup, other = _setup(), load_level(LEVELS / "neon-heartbeat")
    _, lines = run_learn(setup, lambda song: BotPoseInput([BotDancer(other.pose, lag=0.12)],
                                                          song), with_add_ons=False)  # fmt: skip
    assert len(lines) >= 4 and all(LINE.fullmatch(line) for line in lines)
    assert sum("not cleared" in line for line in lines) >= len(lines) - 1, lines


def test_a_bot_that_drops_its_arms_in_one_section_clears_the_others_only():
    setup = _setup()
    target = LearnCourse(sections(setup.level.pose, setup.level.grid)).sections[1]
    start, end = target.span(setup.level.grid)
    mistake = (Mistake(start + 1.0, end - 1.0, "drop_arms"),)
    dancer = BotDancer(setup.level.pose, lag=0.12, jitter=0.003, mistakes=mistake)
    _, lines = run_learn(setup, lambda song: BotPoseInput([dancer], song), with_add_ons=False)
    assert "not cleared" in lines[1]
    assert all("cleared at 1x" in line for i, line in enumerate(lines) if i != 1)


def test_play_demo_learn_clears_every_step_at_1x_and_prints_a_line_for_each(capsys):
    """The demo bot clears each section from 0.5x up (6 tries), and each add-on and the
    whole song straight at 1x (its sections were cleared there: 2 tries)."""
    code = main(["play", "--level", "hello-sunshine", "--demo", "--learn"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    count = len(sections(_setup().level.pose, _setup().level.grid))
    assert count >= 2 and len(lines) == len(course(count))
    assert lines[0] == "section 1  bars 1-4  cleared at 1x after 6 tries"
    assert lines[2].startswith("add-on 1-2  bars 1-")
    assert lines[-1].startswith("whole song  bars 1-")
    for line in lines:
        tries = 6 if line.startswith("section") else 2
        assert LINE.fullmatch(line) and line.endswith(f"cleared at 1x after {tries} tries"), line


def test_add_on_and_whole_song_lines_name_their_sections_and_bars():
    learn = LearnCourse(CUTS)
    assert [learn.step_line(i) for i in range(len(learn.steps))] == [
        "section 1  bars 1-4  not cleared (best: none)",
        "section 2  bars 5-8  not cleared (best: none)",
        "add-on 1-2  bars 1-8  not cleared (best: none)",
        "section 3  bars 9-12  not cleared (best: none)",
        "whole song  bars 1-12  not cleared (best: none)",
    ]


def test_a_tracked_video_replays_from_the_songs_place_at_the_songs_speed():
    """A video's cached poses against a song slowed to 0.5x at song 2 s (wall 100 s), the
    video 1 s late: the first frame is track time 3 s, each stamped when the song reaches it."""
    from synthetic import dancer_track

    from game.capture.recorded import SongPacedTrack

    track = dancer_track(duration=6.0, fps=10.0)
    song_time_of = lambda wall: 2.0 + 0.5 * (wall - 100.0)  # noqa: E731
    poses = SongPacedTrack(track, song_time_of, 1.0, 100.0)
    (frames,) = poses.poll(101.0)  # the song is at 2.5 s: track 3.0 to 3.5 s are due
    assert [round(f.time, 3) for f in frames] == [100.0, 100.2, 100.4, 100.6, 100.8, 101.0]
    (later,) = poses.poll(200.0)
    assert later[-1].time == pytest.approx(100.0 + (5.9 - 3.0) / 0.5) and poses.ended


def test_the_pass_rule_counts_moves_and_runs_of_misses():
    from game.scoring.loop_pass import PassRule, verdict
    from game.scoring.rules import Judgement, WindowJudgement

    def tries(marks: str) -> list[WindowJudgement]:
        kinds = {"G": Judgement.GOOD, "X": Judgement.MISS, "-": Judgement.NO_POSE}
        return [WindowJudgement(w, kinds[m], w, w + 1, 2 * w, 2 * w + 2, 0.0, 0.5, (), ())
                for w, m in enumerate(marks)]  # fmt: skip

    rule = PassRule(share=0.6, max_missed_run=3)
    assert verdict(tries("GGGGGXXX"), rule).passed  # 5 of 8, a run of 3
    near = verdict(tries("GGXGXXGX"), rule)
    assert not near.passed and near.text() == "4 of 8 moves GOOD or better: one more to pass"
    run = verdict(tries("GGGGGGXXXXGG"), rule)  # 8 of 12 but 4 missed in a row
    assert not run.passed and run.text().endswith(": 4 missed in a row (3 at most)")
    both = verdict(tries("GGXXXXXGXXXX"), rule)  # 3 of 12 and 5 missed in a row
    assert both.reason == "5 more to pass, and 5 missed in a row (3 at most)"
    assert verdict(tries("G-"), PassRule(0.5, 1)).worst.judgement == Judgement.NO_POSE
    assert not verdict([], rule).passed
    half = PassRule(share=0.5, max_missed_run=3, short_share=0.6)  # a short try: all but one
    assert verdict(tries("GXGXGGXX"), half).passed  # 4 of 8
    assert not verdict(tries("GGXX"), half).passed  # a 2-bar loop half fumbled
    assert verdict(tries("GXGG"), half).passed and not verdict(tries("GX"), half).passed
    assert [half.needed(n) for n in range(1, 9)] == [1, 2, 2, 3, 3, 3, 4, 4]
    song = PassRule(share=0.5, max_missed_run=3, moves_per_missed=5, run_cap=8)
    assert [song.max_run(n) for n in (4, 12, 16, 19, 20, 30, 40, 280)] == [3, 3, 3, 3, 4, 6, 8, 8]
    long_try = "GGGGGGXXXXXX" + "G" * 24  # 36 moves, 6 missed in a row: 7 allowed there
    assert verdict(tries(long_try), song).passed and not verdict(tries(long_try[:12]), song).passed


def test_the_rule_before_a_try_names_the_moves_that_try_needs():
    from game.render.practice_hud import pass_rule_text
    from game.scoring.loop_pass import PassRule

    rule = PassRule(share=0.5, max_missed_run=3, short_share=0.6)
    twelve = "6 of 12 moves GOOD or better passes, at most 3 missed in a row"
    assert pass_rule_text(rule, 12) == twelve
    assert pass_rule_text(rule, 4) == "3 of 4 moves GOOD or better passes"
    song = PassRule(share=0.5, max_missed_run=3, moves_per_missed=5, run_cap=8)
    assert pass_rule_text(song, 40).endswith(
        "20 of 40 moves GOOD or better passes, at most 8 missed in a row"[-30:]
    )
    assert pass_rule_text(rule).startswith("50% of the moves")


def test_a_song_length_try_is_drawn_as_a_strip_with_the_worst_move_marked():
    """280 moves do not fit as dots (1 px each): a column a move, in its verdict's colour,
    the worst missed one under a gold notch."""
    import pygame

    from game.render import theme
    from game.render.practice_hud import draw_window_dots
    from game.scoring.rules import Judgement, WindowJudgement

    kinds = [Judgement.MISS if w % 7 == 3 else Judgement.GOOD for w in range(280)]
    events = [WindowJudgement(w, j, w, w + 1, 2 * w, 2 * w + 2, 0.0, 0.5, (), ())
              for w, j in enumerate(kinds)]  # fmt: skip
    surface = pygame.Surface((620, 60))
    draw_window_dots(surface, (10, 30), 600, events, events[143])
    row = [tuple(surface.get_at((x, 30)))[:3] for x in range(16, 600)]
    assert row.count(Judgement.MISS.tier.color) > 40 and row.count(Judgement.GOOD.tier.color) > 300
    notch = [(x, y) for x in range(620) for y in range(10, 24)]
    gold = [x for x, y in notch if tuple(surface.get_at((x, y)))[:3] == theme.GOLD]
    assert gold and abs(sum(gold) / len(gold) - (16 + 143.5 * 584 / 280)) < 4
