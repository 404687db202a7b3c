"""The level model: frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from game.pose.frame import PoseTrack
from game.pose.skeleton import AngleSpec, angle_set
from game.timing.beat_grid import BeatGrid

LEVEL_FILE = "level.toml"
POSE_FILE = "pose.npz"
MAX_MEMBERS = 12  # parts of a group level (dancers of a group video)
MAX_DANCER = 99  # the highest member number a level may follow (`dancer` in level.toml)
LEVEL_RATINGS = ("easy", "medium", "hard")
"""How hard a level's moves are, as its maker rated them (`difficulty` in level.toml); not
the judging difficulty the player picks (`game.scoring.judge.DIFFICULTIES`)."""


@dataclass(frozen=True)
class LevelMeta:
    """Everything in `level.toml`."""

    title: str
    audio: str
    bpm: float
    offset: float
    beats_per_window: float
    duration: float
    artist: str = ""
    credit: str = ""
    rating: str = "medium"  # one of LEVEL_RATINGS; `difficulty` in the file
    mirror: bool = True
    angle_set: str = "seed"
    tolerances: dict[str, float] = field(default_factory=dict)
    video: str | None = None
    members: tuple[tuple[str, str], ...] = ()
    """A group level: (name, pose file) of each member's part; the first is `pose.npz`."""
    dancer: int | None = None
    """A level that follows one member of a group video (`import --dancer N`): that member's
    number, as `import --dancers` numbers them; its video shows the whole group."""

    @property
    def grid(self) -> BeatGrid:
        """The song's beat grid: its judged windows."""
        return BeatGrid.fitting(self.bpm, self.offset, self.beats_per_window, self.duration)

    @property
    def length_s(self) -> float:
        """How long the song is danced: to its last judged window's end (the length every
        screen and listing shows, as m:ss by `game.timing.axis.clock_label`)."""
        return self.grid.end_time

    def to_toml_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "title": self.title,
            "artist": self.artist,
            "credit": self.credit,
            "audio": self.audio,
            "bpm": float(self.bpm),
            "offset": float(self.offset),
            "beats_per_window": float(self.beats_per_window),
            "duration": float(self.duration),
            "difficulty": self.rating,
            "mirror": bool(self.mirror),
            "angle_set": self.angle_set,
        }
        if self.video:
            data["video"] = self.video
        if self.dancer is not None:
            data["dancer"] = int(self.dancer)
        if self.members:
            data["members"] = [{"name": name, "pose": pose} for name, pose in self.members]
        if self.tolerances:
            data["tolerances"] = {k: float(v) for k, v in self.tolerances.items()}
        return data


@dataclass(frozen=True)
class Member:
    """One dancer's part of a group level."""

    name: str
    pose: PoseTrack


@dataclass(frozen=True)
class Level:
    """A loaded, validated level. `pose` is the part being danced: member `member` of a
    group level (see `with_member`), else the level's one dancer."""

    folder: Path
    meta: LevelMeta
    pose: PoseTrack
    members: tuple[Member, ...] = ()
    member: int = 0

    def with_member(self, index: int) -> Level:
        """The same level with member `index`'s part (0-based) as its pose."""
        if not self.members:
            return self
        return replace(self, pose=self.members[index].pose, member=index)

    def member_pose(self, index: int | None) -> PoseTrack:
        """Member `index`'s part, or this level's pose for None or a single-dancer level."""
        return self.pose if index is None or not self.members else self.members[index].pose

    @property
    def id(self) -> str:
        """The level id used for saves: the folder name."""
        return self.folder.name

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def audio_path(self) -> Path:
        return self.folder / self.meta.audio

    @property
    def video_path(self) -> Path | None:
        return self.folder / self.meta.video if self.meta.video else None

    @property
    def grid(self) -> BeatGrid:
        return self.meta.grid

    @property
    def angle_specs(self) -> tuple[AngleSpec, ...]:
        return angle_set(self.meta.angle_set)

    @property
    def tolerances(self) -> np.ndarray:
        """Per-angle tolerance in degrees, overrides applied, in `angle_specs` order."""
        return np.array(
            [self.meta.tolerances.get(s.name, s.tolerance_deg) for s in self.angle_specs],
            dtype=np.float32,
        )
