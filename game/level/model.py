"""The level model: frozen dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from game.pose.frame import PoseTrack
from game.pose.skeleton import AngleSpec, angle_set
from game.timing.beat_grid import BeatGrid

LEVEL_FILE = "level.toml"
POSE_FILE = "pose.npz"
LEVEL_DIFFICULTIES = ("easy", "medium", "hard")


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
    difficulty: str = "medium"
    mirror: bool = True
    angle_set: str = "seed"
    tolerances: dict[str, float] = field(default_factory=dict)
    video: str | None = None

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
            "difficulty": self.difficulty,
            "mirror": bool(self.mirror),
            "angle_set": self.angle_set,
        }
        if self.video:
            data["video"] = self.video
        if self.tolerances:
            data["tolerances"] = {k: float(v) for k, v in self.tolerances.items()}
        return data


@dataclass(frozen=True)
class Level:
    """A loaded, validated level."""

    folder: Path
    meta: LevelMeta
    pose: PoseTrack

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
        m = self.meta
        return BeatGrid.fitting(m.bpm, m.offset, m.beats_per_window, m.duration)

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
