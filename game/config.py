"""Player settings, saved per user as JSON (atomically); bad values fall back to defaults."""

from __future__ import annotations

import math
import os
import sys
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

import platformdirs

from game.savefile import SaveFileError, read_json, set_aside, write_json
from game.scoring.rules import DEFAULT_DIFFICULTY, DIFFICULTIES

APP_NAME = "cover-dance-trainer"
SETTINGS_LIMIT = 256 * 1024  # bytes: a settings file is a few hundred
MAX_CAMERA_INDEX = 9999  # OpenCV indexes are small (a backend adds a multiple of 100)


def user_home() -> Path:
    """Where settings, scores and the user's levels live (COVER_DANCE_HOME overrides)."""
    override = os.environ.get("COVER_DANCE_HOME")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def cache_root() -> Path:
    """The one folder of every cache (tracked poses, group tracks): $COVER_DANCE_CACHE, else
    `<COVER_DANCE_HOME>/cache` when that is set (each home its own cache), else the user
    cache folder."""
    if override := os.environ.get("COVER_DANCE_CACHE"):
        return Path(override)
    if home := os.environ.get("COVER_DANCE_HOME"):
        return Path(home) / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME))


def _sensible(name: str, value: object) -> bool:
    """A value the game can use: finite numbers in range, a known difficulty."""
    if isinstance(value, float) and not math.isfinite(value):
        return False
    if name == "difficulty":
        return value in DIFFICULTIES
    if name == "volume":
        return 0.0 <= value <= 1.0  # type: ignore[operator]
    if name in ("camera",):
        return 0 <= value <= MAX_CAMERA_INDEX  # type: ignore[operator]
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
    difficulty: str = DEFAULT_DIFFICULTY  # the calibrated default
    audio_offset_ms: float = 0.0  # speakers behind the audio device
    camera_latency_ms: float = 80.0  # a camera frame is this old when it is stamped
    visual_delay_ms: float = 0.0  # the screen shows things this late
    fullscreen: bool = False
    volume: float = 0.8
    see_yourself: bool = True  # over a camera image: a thin skeleton, not the thick body

    @staticmethod
    def path() -> Path:
        return user_home() / "settings.json"

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Saved settings; a value of the wrong type falls back to its default, and an
        unreadable file is kept aside (never overwritten) with a one-line warning."""
        path = path or cls.path()
        try:
            data = read_json(path, SETTINGS_LIMIT, strict_numbers=False)
        except FileNotFoundError:
            return cls()
        except (OSError, SaveFileError) as exc:
            where = set_aside(path)
            print(f"cover-dance: {path}: unreadable ({exc}); {where}, "
                  "using default settings", file=sys.stderr)  # fmt: skip
            return cls()
        data = data if isinstance(data, dict) else {}
        defaults = cls()
        values = {}
        for f in fields(cls):
            default = getattr(defaults, f.name)
            value = data.get(f.name, default)
            number = isinstance(value, int | float) and not isinstance(value, bool)
            try:
                if type(value) is type(default) or (isinstance(default, float) and number):
                    value = type(default)(value)
                    values[f.name] = value if _sensible(f.name, value) else default
                else:
                    values[f.name] = default
            except OverflowError:  # an integer too big for a float
                values[f.name] = default
        return cls(**values)

    def save(self, path: Path | None = None) -> None:
        """Write atomically as standard JSON; ReadOnlySaveError (an OSError) when the
        player made the file read-only, which is then left as it is."""
        write_json(path or self.path(), asdict(self), indent=2)

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)
