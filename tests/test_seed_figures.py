"""`cover-dance score --seed-figures`: the seed project's three measures (comparators.py) of a
pair of real clips, lined up as the score lines them up. Clips are tracked at score's 15 fps
(the session pose cache)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from game.cli import main
from game.cover.run import score_cover
from game.cover.seed_figures import SeedFigures, seed_figures
from game.level.writer import save_pose_track

pytestmark = [pytest.mark.realdata, pytest.mark.mediapipe]


@pytest.mark.parametrize("transform", ["shifted", "mirrored"])
def test_a_moved_copy_is_compared_as_the_score_aligned_it(
    realdata: Path, pose_cache: Path, tmp_path: Path, transform: str
) -> None:
    """A copy of a clip's poses 1.5 s late, or mirrored: the score finds the offset or the
    mirror, and so the seed's figures are those of a clip against itself."""
    from game.capture.cache import cached_video_track
    from game.capture.request import TrackRequest

    clip = realdata / "mruchus_nat2.mp4"
    track = cached_video_track(TrackRequest.of(clip, 15.0))
    cover = tmp_path / f"{transform}.npz"
    save_pose_track(cover, track.shifted(1.5) if transform == "shifted" else track.mirrored())
    figures = seed_figures(score_cover(clip, cover))
    assert figures.frames > 0.8 * int(track.visibility.max(axis=1).astype(bool).sum())
    assert figures.cosine > 0.99 and figures.normalized_cosine > 0.98
    assert figures.angle_difference_deg < 5.0


def printed(lines: list[str]) -> SeedFigures:
    """The figures as `score` printed them (the lines after the seed figures' heading)."""
    start = next(i for i, line in enumerate(lines) if line.startswith("seed figures ("))
    frames = int(lines[start].split("(")[1].split()[0])
    values = [float(line.split()[-1]) for line in lines[start + 1 : start + 3]]
    angle = float(lines[start + 3].split("angle difference ")[1].split()[0])
    return SeedFigures(values[0], values[1], angle, frames)


def test_the_command_prints_the_seed_figures_a_real_cover_beating_a_wrong_dance(
    realdata: Path, pose_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = str(realdata / "funfun_reference.mp4")
    figures = {}
    for cover in ("funfun_user", "justidol_easy"):
        path = str(realdata / f"{cover}.mp4")
        assert main(["score", reference, path, "--seed-figures", "--quiet"]) == 0
        figures[cover] = printed(capsys.readouterr().out.splitlines())
    for value in figures.values():
        assert value.frames > 100 and all(
            map(math.isfinite, (value.cosine, value.angle_difference_deg))
        )
        assert -1 <= value.cosine <= 1 and -1 <= value.normalized_cosine <= 1
    assert (
        figures["funfun_user"].angle_difference_deg < figures["justidol_easy"].angle_difference_deg
    )
    assert main(["score", reference, str(realdata / "funfun_user.mp4"), "--quiet"]) == 0
    assert "seed figures" not in capsys.readouterr().out  # only when asked
