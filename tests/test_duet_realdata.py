"""A duet on a level imported from a real group video: P1 and P2 pick two members, the coach
panel plays the group video with each player's tag over their member, and each player is
judged against their own member (bots dance each part, as the game's demo does)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest
from game_driver import FakeClock, key, make_game, run, top_name

from game.cli import main
from game.demo import demo_input
from game.scoring.rules import Judgement

pytestmark = [pytest.mark.realdata, pytest.mark.mediapipe]


@pytest.fixture(scope="module")
def group_level(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every dancer of the first 6 s of group3_studio in one level, with its video."""
    from conftest import REALDATA

    from game.authoring.clip import transcode_span

    source = REALDATA / "group3_studio.mp4"
    if not source.is_file():
        pytest.skip(f"group clip not found: {source}")
    work = tmp_path_factory.mktemp("duet")
    clip = work / "studio3.mp4"
    transcode_span(source, clip, 0.0, 6.0)
    levels = work / "levels"
    code = main(["import", str(clip), "--all-dancers", "--out", str(levels / "studio3"),
                 "--bpm", "120", "--offset", "0.5", "--quiet"])  # fmt: skip
    assert code == 0
    return levels


def test_a_duet_on_a_real_group_video(group_level: Path, screenshots: Path) -> None:
    clock = FakeClock()
    game = make_game(group_level, clock, players=2)
    game.ctx.inputs.factory = lambda setup, song_time_of, clean: demo_input(
        setup, song_time_of, clean=True
    )
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    assert top_name(game) == "member_pick" and len(game.ctx.stack.top.members) == 3
    run(game, clock, 0.5, [key(pygame.K_1)])
    pygame.image.save(game.ctx.screen, screenshots / "duet-real-1-member-pick.png")
    run(game, clock, 0.2, [key(pygame.K_3)])
    setup = game.ctx.stack.top.setup
    assert top_name(game) == "get_ready" and setup.parts == (0, 2)
    run(game, clock, 6.0, until="play")
    run(game, clock, 3.0)
    pygame.image.save(game.ctx.screen, screenshots / "duet-real-2-play.png")
    play = game.ctx.stack.top
    assert play.run.video_frame is not None  # the group video is the coach
    run(game, clock, 20.0, until="results")
    assert top_name(game) == "results"
    for events in game.ctx.stack.top.events:
        judged = [e for e in events if e.judgement != Judgement.NO_POSE]
        assert judged and np.mean([e.judgement >= Judgement.GOOD for e in judged]) >= 0.8
