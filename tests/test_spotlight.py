"""Your member in the spotlight: on a group video the coach panel follows and enlarges the
member you dance (the others dimmed), V shows the whole group, the member pick lights the
member under the cursor, and a level made with `--dancer N` does the same for its member."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest
from drawn_figures import Outfit, group_video
from game_driver import FakeClock, key, make_game, make_test_level, run, top_name
from synthetic import dancer_track

from game.level.writer import pose_track_bytes
from game.pose.frame import PoseTrack
from game.pose.spotlight import body_boxes, spotlight
from game.scenes.song_layout import COACH_RECT
from game.scenes.song_view import coach_parts

ASPECT = 16 / 9
RED, WHITE = Outfit((210, 40, 40), (40, 70, 160)), Outfit((240, 240, 240), (25, 25, 25))


def on_stage(track: PoseTrack, dx: float) -> PoseTrack:
    """`track` moved `dx` to the right in a 16:9 frame."""
    landmarks = track.landmarks.copy()
    landmarks[..., 0] += dx
    return PoseTrack(track.times, landmarks, track.visibility, ASPECT)


def members() -> list[PoseTrack]:
    """Dancer 1 on the left in red, dancer 2 (the same dance mirrored) on the right in white,
    drifting towards the middle and back."""
    first = on_stage(dancer_track(20.0), -0.05)
    second = on_stage(dancer_track(20.0).mirrored(), 0.6)
    drift = 0.15 * np.sin(second.times / 20.0 * 2 * np.pi)[:, None]
    second.landmarks[..., 0] -= drift
    return [first, second]


def group_level(folder: Path, name: str = "group-video", dancer: int | None = None) -> Path:
    """A level on a drawn group video: both members' parts, or (`dancer`) only that one's."""
    level = make_test_level(folder, name)
    tracks = members()
    group_video(level / "video.mp4", tracks, [RED, WHITE])
    with (level / "level.toml").open("a") as toml:
        toml.write('video = "video.mp4"\n')
        if dancer is None:
            (level / "pose.npz").write_bytes(pose_track_bytes(tracks[0]))
            (level / "pose-dancer-2.npz").write_bytes(pose_track_bytes(tracks[1]))
            toml.write('members = [{ name = "dancer 1", pose = "pose.npz" }, '
                       '{ name = "dancer 2", pose = "pose-dancer-2.npz" }]\n')  # fmt: skip
        else:
            (level / "pose.npz").write_bytes(pose_track_bytes(tracks[dancer - 1]))
            toml.write(f"dancer = {dancer}\n")
    return level


def coach_share(surface: pygame.Surface, color: tuple[int, int, int]) -> float:
    """The share of the coach panel's pixels near `color`."""
    pixels = pygame.surfarray.array3d(surface.subsurface(COACH_RECT.inflate(-16, -16)))
    return float((np.abs(pixels.astype(int) - color).sum(axis=2) < 60).mean())


def test_the_crop_follows_the_member_smoothly_and_holds_them_whole() -> None:
    second = members()[1]
    spot = spotlight([second], 1.08, ASPECT)
    assert spot is not None
    body = body_boxes(second)
    for n in range(0, len(second), 7):
        x0, y0, w, h = spot.boxes[n]
        assert x0 <= body[n, 0] and body[n, 2] <= x0 + w, n  # the member whole, side to side
        assert y0 <= body[n, 1] and body[n, 3] <= y0 + h, n
        assert w < 0.8 * ASPECT and x0 >= 0 and x0 + w <= ASPECT + 1e-9  # others cropped away
    moves = np.abs(np.diff(spot.boxes, axis=0)).max(axis=0)
    assert moves.max() < 0.01  # smooth: under 1% of the frame's height a frame
    both = spotlight(members(), 1.08, ASPECT)  # a duet: both members in the crop
    assert both is not None and both.boxes[:, 2].min() > 1.0


def play_group(tmp_path: Path, screenshots: Path, name: str, keys=(), dancer=None):
    levels = tmp_path / "levels"
    group_level(levels, dancer=dancer)
    clock = FakeClock()
    game = make_game(levels, clock)
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    if dancer is None:
        assert top_name(game) == "member_pick"
        run(game, clock, 0.5, [key(pygame.K_RIGHT)])
        pygame.image.save(game.ctx.screen, screenshots / f"{name}-0-member-pick.png")
        run(game, clock, 0.2, [key(pygame.K_RETURN)])  # dancer 2
    run(game, clock, 6.0, until="play")
    run(game, clock, 4.0, list(keys))
    pygame.image.save(game.ctx.screen, screenshots / f"{name}.png")
    return game


def test_play_spotlights_your_member_and_v_shows_the_whole_group(
    tmp_path: Path, screenshots: Path
) -> None:
    game = play_group(tmp_path, screenshots, "spotlight-1-member")
    play = game.ctx.stack.top
    assert play.name == "play" and play.run.spotlight is not None and play.setup.parts == (1,)
    member_view = game.ctx.screen.copy()
    run(game, FakeClock(), 0.0)
    assert coach_share(member_view, (240, 240, 240)) > 2.5 * coach_share(member_view, (210, 40, 40))
    game.frame([key(pygame.K_v)])
    assert game.ctx.whole_group
    for _ in range(3):
        game.frame([])
    pygame.image.save(game.ctx.screen, screenshots / "spotlight-2-whole-group.png")
    white_then = coach_share(member_view, (240, 240, 240))
    assert coach_share(game.ctx.screen, (240, 240, 240)) < 0.6 * white_then  # smaller now
    assert coach_share(game.ctx.screen, (210, 40, 40)) > 0.002  # dancer 1 back in the picture
    game.frame([key(pygame.K_v)])
    assert not game.ctx.whole_group


def test_a_level_made_with_dancer_n_spotlights_and_tags_its_member(
    tmp_path: Path, screenshots: Path
) -> None:
    game = play_group(tmp_path, screenshots, "spotlight-3-dancer-level", dancer=2)
    play = game.ctx.stack.top
    assert play.name == "play" and play.run.spotlight is not None
    assert [p.label for p in coach_parts(play.setup)] == ["YOU · dancer 2"]
    screen = game.ctx.screen
    assert coach_share(screen, (240, 240, 240)) > 2.5 * coach_share(screen, (210, 40, 40))


@pytest.mark.parametrize("dancer", [None, 1])
def test_no_spotlight_without_a_group_video(tmp_path: Path, dancer: int | None) -> None:
    """A solo dancer's level (no members, no `dancer`) shows its video as before."""
    from game.level.loader import load_level
    from game.play_setup import PlaySetup
    from game.spotlight import coach_spotlight

    level = make_test_level(tmp_path)
    if dancer is not None:  # a --dancer level imported with --no-video: nothing to follow
        with (level / "level.toml").open("a") as toml:
            toml.write(f"dancer = {dancer}\n")
    assert coach_spotlight(PlaySetup(load_level(level)), COACH_RECT) is None


def test_learn_on_a_group_level_picks_your_member_and_watches_them_in_the_spotlight(
    tmp_path: Path, screenshots: Path
) -> None:
    """L in level select on a group level: the member pick first, then learn mode's watch
    step with the member picked (dancer 2, white) in the spotlight; V shows the whole group."""
    levels = tmp_path / "levels"
    group_level(levels)
    clock = FakeClock()
    game = make_game(levels, clock)
    run(game, clock, 0.2, [key(pygame.K_RETURN)])
    run(game, clock, 0.2, [key(pygame.K_l)])
    assert top_name(game) == "member_pick"
    run(game, clock, 0.2, [key(pygame.K_2)])  # dancer 2
    learn = game.ctx.stack.top
    assert learn.name == "learn" and learn.watching and learn.setup.parts == (1,)
    run(game, clock, 4.0)
    assert learn.run.spotlight is not None
    pygame.image.save(game.ctx.screen, screenshots / "learn-spotlight-member.png")
    screen = game.ctx.screen.copy()
    assert coach_share(screen, (240, 240, 240)) > 2.5 * coach_share(screen, (210, 40, 40))
    run(game, clock, 0.2, [key(pygame.K_v)])
    assert game.ctx.whole_group and learn.watching
    assert coach_share(game.ctx.screen, (210, 40, 40)) > 0.002  # dancer 1 back in the picture
