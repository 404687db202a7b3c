"""The shipped demo levels: they validate, and build-levels reproduces them exactly."""

from __future__ import annotations

import sys

import numpy as np
import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from game.authoring.demo_levels import AUDIO_FILE, DEMO_LEVELS, build_demo_levels, demo_level
from game.cli import main
from game.level.library import source_levels_dir
from game.level.loader import load_level
from game.level.model import LEVEL_FILE, POSE_FILE

SHIPPED = source_levels_dir()


@pytest.mark.parametrize("demo", DEMO_LEVELS, ids=lambda d: d.slug)
def test_shipped_level_validates(demo) -> None:
    level = load_level(SHIPPED / demo.slug)
    meta = level.meta
    assert meta.title == demo.title and meta.artist == "Cover Dance Trainer"
    assert "generated" in meta.credit
    assert 60.0 <= meta.duration <= 75.0
    assert 1.5 <= meta.offset <= 2.5
    assert level.grid.window_count >= 40
    assert level.pose.duration >= level.grid.end_time
    assert level.audio_path.stat().st_size < 1.5e6
    assert level.pose.aspect == 1.0


def test_rating_ladder() -> None:
    levels = {d.rating: load_level(SHIPPED / d.slug).meta for d in DEMO_LEVELS}
    assert set(levels) == {"easy", "medium", "hard"}
    assert levels["easy"].bpm < levels["medium"].bpm < levels["hard"].bpm
    assert levels["easy"].beats_per_window == 2 and levels["hard"].beats_per_window == 1
    assert levels["hard"].angle_set == "extended"
    parts = {d.rating: set(d.style.parts) for d in DEMO_LEVELS}
    assert parts["easy"] == {"arms"} and parts["easy"] < parts["medium"] < parts["hard"]


@pytest.mark.parametrize("demo", DEMO_LEVELS, ids=lambda d: d.slug)
def test_generator_reproduces_the_shipped_dance(demo) -> None:
    track = demo.track()
    with np.load(SHIPPED / demo.slug / POSE_FILE, allow_pickle=False) as shipped:
        assert np.array_equal(shipped["times"], track.times)
        assert np.array_equal(shipped["landmarks"], track.landmarks)
        assert np.array_equal(shipped["visibility"], track.visibility)
    xy = track.landmarks[..., :2]
    assert xy.min() > 0.02 and xy[..., 0].max() < track.aspect - 0.02 and xy.max() < 0.98
    speed = np.linalg.norm(np.diff(xy, axis=0), axis=-1)
    assert speed.max() < 0.15
    shipped_meta = tomllib.loads((SHIPPED / demo.slug / LEVEL_FILE).read_text("utf-8"))
    assert shipped_meta == demo.meta().to_toml_dict()


def test_build_levels_command_reproduces_a_level(tmp_path, capsys) -> None:
    slug = DEMO_LEVELS[0].slug
    assert main(["build-levels", "--out", str(tmp_path), "--only", slug]) == 0
    assert slug in capsys.readouterr().out
    for name in (LEVEL_FILE, POSE_FILE, AUDIO_FILE):
        assert (tmp_path / slug / name).read_bytes() == (SHIPPED / slug / name).read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == [slug]
    # An existing level is refused without --force, with one clear line.
    assert main(["build-levels", "--out", str(tmp_path), "--only", slug]) == 2
    err = capsys.readouterr().err.strip()
    assert "--force" in err and len(err.splitlines()) == 1


def test_demo_level_lookup(tmp_path) -> None:
    assert demo_level("starlight-rush").rating == "hard"
    with pytest.raises(KeyError, match="hello-sunshine"):
        demo_level("nope")
    with pytest.raises(KeyError):
        build_demo_levels(tmp_path, only=["nope"])
    assert not any(tmp_path.iterdir())
