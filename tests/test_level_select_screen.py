"""Level select as a new player reads it: every text inside its panel, none under another,
and the same words for the same thing (length, artist) in the list and the detail."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
from game_driver import FakeClock, key, make_game, make_test_level, run
from synthetic import dancer_track

from game.level.writer import pose_track_bytes
from game.render import draw
from game.scenes import level_select
from game.scenes.level_select import DETAIL_RECT, LIST_RECT

MEMBERS = """
members = [
    { name = "dancer 1", pose = "pose.npz" },
    { name = "dancer 2", pose = "pose-2.npz" },
    { name = "dancer 3", pose = "pose-3.npz" },
]
"""


def group_level(levels: Path) -> Path:
    """A three-member level with a long title and no artist (as an import makes one)."""
    folder = make_test_level(levels, "group-song")
    for n in (2, 3):
        (folder / f"pose-{n}.npz").write_bytes(pose_track_bytes(dancer_track(20.0).mirrored()))
    toml = (folder / "level.toml").read_text()
    toml = toml.replace('title = "Synthetic Song"', 'title = "A Very Long Group Video Title Here"')
    toml = toml.replace('artist = "Test Suite"', 'artist = ""')
    (folder / "level.toml").write_text(toml + MEMBERS)
    return folder


def test_every_detail_line_fits_its_panel_and_clears_the_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, screenshots: Path
) -> None:
    levels = tmp_path / "levels"
    group_level(levels)
    drawn: list[tuple[str, pygame.Rect]] = []
    real_text = draw.text

    def text(surface, message, *args, **kwargs):
        rect = real_text(surface, message, *args, **kwargs)
        drawn.append((message, rect))
        return rect

    monkeypatch.setattr(level_select.draw, "text", text)
    clock = FakeClock()
    game = make_game(levels, clock)
    run(game, clock, 0.3, [key(pygame.K_RETURN)])
    drawn.clear()
    run(game, clock, 1 / 30)
    pygame.image.save(game.ctx.screen, screenshots / "2-level-select-group.png")
    options_top = DETAIL_RECT.y + 370
    detail = [(m, r) for m, r in drawn if r.colliderect(DETAIL_RECT)]
    assert any(m == "3 members" for m, _ in detail)
    for message, rect in detail:
        assert DETAIL_RECT.contains(rect), (message, rect)
        if rect.y < options_top:
            assert rect.bottom <= options_top, (message, rect)  # not under the options
    for message, rect in drawn:
        if rect.colliderect(LIST_RECT):
            assert LIST_RECT.contains(rect), (message, rect)
    texts = [m for m, _ in drawn]
    assert "Rated" in texts and "Judging" in texts and "Difficulty" not in texts
    assert "artist unknown" in texts and any(m.startswith("artist unknown  ·") for m in texts)
    game.close()


def test_the_length_is_one_rounding_everywhere(tmp_path: Path, capsys) -> None:
    """The list, the detail, `cover-dance levels` and the play screen all show the danced
    length (to the last judged window's end) as m:ss."""
    from game.cli import main
    from game.level.loader import load_level
    from game.timing.axis import clock_label

    level = load_level(Path(__file__).resolve().parent.parent / "levels" / "hello-sunshine")
    assert level.meta.duration == 68.5 and level.grid.end_time < 68  # the case the issue met
    length = clock_label(level.meta.length_s)
    assert length == clock_label(level.grid.end_time) == "1:07"
    assert main(["levels"]) == 0
    (line,) = [x for x in capsys.readouterr().out.splitlines() if "hello-sunshine" in x]
    assert f"  {length}  " in line


def test_a_level_imported_while_a_song_plays_is_listed_on_coming_back(tmp_path: Path) -> None:
    """Back in level select from a song, a level added to the folders meanwhile (an import
    in another terminal) is listed, and the level that was chosen stays chosen."""
    from game_driver import top_name

    levels = tmp_path / "levels"
    make_test_level(levels)
    clock = FakeClock()
    game = make_game(levels, clock)
    run(game, clock, 0.3, [key(pygame.K_RETURN)])  # title -> level select
    select = game.ctx.stack.top
    assert top_name(game) == "level_select" and len(select.levels) == 1
    chosen = select.levels[select.index].path
    run(game, clock, 0.3, [key(pygame.K_RETURN)])  # a song begins (get ready)
    assert top_name(game) != "level_select"
    added = make_test_level(tmp_path / "user-levels", "a-new-import")
    run(game, clock, 0.3, [key(pygame.K_ESCAPE)])
    assert top_name(game) == "level_select"
    assert added in [entry.path for entry in select.levels]
    assert select.levels[select.index].path == chosen
