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


def test_one_member_in_the_spotlight_on_a_real_group_video(
    group_level: Path, screenshots: Path
) -> None:
    """One player on dancer 3: the coach panel is cropped around dancer 3 and enlarged (the
    video is portrait, so as far as its height allows; the others are dimmed), V shows the
    whole group again."""
    from game.pose.spotlight import body_boxes

    clock = FakeClock()
    game = make_game(group_level, clock)
    game.ctx.inputs.factory = lambda setup, song_time_of, clean: demo_input(
        setup, song_time_of, clean=True
    )
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.5, [key(pygame.K_3)])
    run(game, clock, 6.0, until="play")
    run(game, clock, 2.5)
    pygame.image.save(game.ctx.screen, screenshots / "spotlight-real-1-member.png")
    play = game.ctx.stack.top
    spot = play.run.spotlight
    assert spot is not None
    members = play.setup.level.members
    body = body_boxes(members[2].pose)
    seen = np.isfinite(body[:, 0])
    x0, y0, width, height = spot.boxes[seen].T
    inside = (x0 <= body[seen, 0] + 0.01) & (body[seen, 2] <= x0 + width + 0.01)
    inside &= (y0 <= body[seen, 1] + 0.01) & (body[seen, 3] <= y0 + height + 0.01)
    assert inside.mean() > 0.95  # the whole of dancer 3
    assert height.mean() < 0.85  # enlarged by at least a sixth
    run(game, clock, 0.1, [key(pygame.K_v)])
    pygame.image.save(game.ctx.screen, screenshots / "spotlight-real-2-whole-group.png")
    assert game.ctx.whole_group
