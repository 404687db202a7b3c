"""Group levels: every member's part in one level folder, validated like the rest."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from game_driver import make_test_level
from synthetic import dancer_track

from game.level.loader import LevelError, load_level
from game.level.writer import pose_track_bytes
from game.pose.frame import PoseTrack

MEMBERS = """
members = [
    { name = "dancer 1", pose = "pose.npz" },
    { name = "dancer 2", pose = "pose-dancer-2.npz" },
]
"""


def make_group_level(folder: Path, name: str = "duet-song") -> Path:
    """The synthetic test level with a second member: the same dance, mirrored."""
    level = make_test_level(folder, name)
    (level / "pose-dancer-2.npz").write_bytes(pose_track_bytes(dancer_track(20.0).mirrored()))
    with (level / "level.toml").open("a") as toml:
        toml.write(MEMBERS)
    return level


def test_a_group_level_loads_every_member(tmp_path: Path) -> None:
    level = load_level(make_group_level(tmp_path))
    assert [m.name for m in level.members] == ["dancer 1", "dancer 2"]
    assert level.pose is level.members[0].pose
    second = level.with_member(1)
    assert second.member == 1 and second.pose is level.members[1].pose
    assert not np.allclose(second.pose.landmarks, level.pose.landmarks)
    assert load_level(make_test_level(tmp_path, "solo")).members == ()  # no members: as before


@pytest.mark.parametrize(
    ("members", "field"),
    [
        ('members = [{ name = "only", pose = "pose.npz" }]', "members"),
        ('members = "pose.npz"', "members"),
        ("members = [" + ", ".join(['{ name = "x", pose = "pose.npz" }'] * 13) + "]", "members"),
        ('members = [{ name = "a\\u0000", pose = "pose.npz" }, { name = "b", pose = "p.npz" }]',
         "members[0].name"),
        ('members = [{ name = "a", pose = "pose.npz" }, { name = "b", pose = "../x.npz" }]',
         "members[1].pose"),
        ('members = [{ name = "a", pose = "pose-dancer-2.npz" }, { name = "b", pose = "q" }]',
         "members[0].pose"),
        ('members = [{ name = "a", pose = "pose.npz" }, { name = "b", pose = "pose.npz" }]',
         "members[1].pose"),
        ('members = [{ name = "a", pose = "pose.npz" }, { name = "b", pose = "./pose.npz" }]',
         "members[1].pose"),
        ('members = [{ name = "a", pose = "pose.npz" }, { name = "\u202Eb", pose = "q.npz" }]',
         "members[1].name"),
        ('members = [{ name = "a", pose = "pose.npz" }, { name = "b", extra = 1 }]', "members[1]"),
    ],
)  # fmt: skip
def test_bad_members_are_one_line_naming_the_field(
    tmp_path: Path, members: str, field: str
) -> None:
    level = make_test_level(tmp_path)
    (level / "pose-dancer-2.npz").write_bytes(pose_track_bytes(dancer_track(20.0)))
    with (level / "level.toml").open("a") as toml:
        toml.write(members + "\n")
    with pytest.raises(LevelError) as error:
        load_level(level)
    (line,) = error.value.problems
    assert re.match(rf"{re.escape(str(level / 'level.toml'))}: {re.escape(field)}: ", line), line


def test_a_member_whose_part_is_broken_or_short_is_named(tmp_path: Path) -> None:
    level = make_group_level(tmp_path)
    (level / "pose-dancer-2.npz").write_bytes(pose_track_bytes(dancer_track(5.0)))
    with pytest.raises(LevelError) as error:
        load_level(level)
    assert error.value.problems[0].startswith(f"{level / 'pose-dancer-2.npz'}: times: ")
    (level / "pose-dancer-2.npz").write_bytes(b"PK not really")
    with pytest.raises(LevelError) as error:
        load_level(level)
    assert error.value.problems[0].startswith(f"{level / 'pose-dancer-2.npz'}: file: ")


def _part(times: np.ndarray, seen: bool = True) -> bytes:
    track = dancer_track(20.0)
    picked = np.searchsorted(track.times, times).clip(0, len(track) - 1)
    visibility = track.visibility[picked] * (1.0 if seen else 0.0)
    return pose_track_bytes(
        PoseTrack(track.times[picked], track.landmarks[picked], visibility, track.aspect)
    )


@pytest.mark.parametrize(
    ("times", "seen", "says"),
    [
        (np.array([19.0, 19.5]), True, "no pose frame in window 1"),  # only the song's end
        (np.r_[np.arange(0.0, 5.0, 0.1), np.arange(15.0, 20.0, 0.1)], True, "no pose frame in"),
        (np.arange(0.0, 20.0, 0.1), False, "seen in 0% of the windows"),  # never visible
    ],
)  # fmt: skip
def test_every_part_must_cover_every_window(
    tmp_path: Path, times: np.ndarray, seen: bool, says: str
) -> None:
    """A part with frames only at the song's end, a gap, or a dancer never seen is refused
    (it played as a 0-window scorecard, or get-ready waited forever)."""
    for part in ("pose-dancer-2.npz", "pose.npz"):
        level = make_group_level(tmp_path / part)
        (level / part).write_bytes(_part(times, seen))
        with pytest.raises(LevelError) as error:
            load_level(level)
        (line,) = error.value.problems
        assert line.startswith(f"{level / part}: times: ") and says in line, line
