"""Player settings, saved per user as JSON (atomically); bad values fall back to defaults."""

from __future__ import annotations

import contextlib
import json
import math
import os
import sys
import time
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import platformdirs

from game.atomic import atomic_write_text
from game.scoring.judge import DIFFICULTIES

APP_NAME = "cover-dance-trainer"


def user_home() -> Path:
    """Where settings, scores and the user's levels live (COVER_DANCE_HOME overrides)."""
    override = os.environ.get("COVER_DANCE_HOME")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def _sensible(name: str, value: object) -> bool:
    """A value the game can use: finite numbers in range, a known difficulty."""
    if isinstance(value, float) and not math.isfinite(value):
        return False
    if name == "difficulty":
        return value in DIFFICULTIES
    if name == "volume":
        return 0.0 <= value <= 1.0  # type: ignore[operator]
    if name in ("camera",):
        return value >= 0  # type: ignore[operator]
    if name in ("camera_width", "camera_height"):
        return 16 <= value <= 8192  # type: ignore[operator]
    if name.endswith("_ms"):
        return abs(value) <= 5000  # type: ignore[arg-type]
    return True


@dataclass(frozen=True)
class Settings:
    camera: int = 0
    camera_width: int = 1280
    camera_height: int = 720
    difficulty: str = "easy"  # new players start forgiving; level select remembers the choice
    audio_offset_ms: float = 0.0  # speakers behind the audio device
    camera_latency_ms: float = 80.0  # a camera frame is this old when it is stamped
    visual_delay_ms: float = 0.0  # the screen shows things this late
    fullscreen: bool = False
    volume: float = 0.8

    @staticmethod
    def path() -> Path:
        return user_home() / "settings.json"

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Saved settings; a value of the wrong type falls back to its default, and an
        unreadable file is kept aside (never overwritten) with a one-line warning."""
        path = path or cls.path()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            with contextlib.suppress(OSError):
                path.replace(aside)
            print(f"cover-dance: {path}: unreadable ({exc}); kept as {aside.name}, "
                  "using default settings", file=sys.stderr)  # fmt: skip
            return cls()
        data = data if isinstance(data, dict) else {}
        defaults = cls()
        values = {}
        for f in fields(cls):
            default = getattr(defaults, f.name)
            value = data.get(f.name, default)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if type(value) is type(default) or (isinstance(default, float) and number):
                value = type(default)(value)
                values[f.name] = value if _sensible(f.name, value) else default
            else:
                values[f.name] = default
        return cls(**values)

    def save(self, path: Path | None = None) -> None:
        atomic_write_text(path or self.path(), json.dumps(asdict(self), indent=2))

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)
