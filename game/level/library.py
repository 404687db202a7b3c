"""Find levels: the bundled ones that ship with the game and the player's own folder."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from game.config import user_home
from game.level.loader import load_level
from game.level.manifest import LevelError, read_manifest
from game.level.model import LEVEL_FILE, LEVEL_RATINGS, Level, LevelMeta

BUNDLED = "bundled"
USER = "user"
BUNDLED_ENV = "COVER_DANCE_LEVELS"  # overrides where the bundled levels are looked for
_PACKAGE = Path(__file__).resolve().parent.parent  # the `game` package folder


@dataclass(frozen=True)
class LevelEntry:
    """A level folder that was found: its checked manifest (level.toml, see
    game/level/manifest.py), or the problems that stop it loading. Listing reads no pose
    track; `load()` reads them when the level is played."""

    path: Path
    source: str  # BUNDLED or USER
    meta: LevelMeta | None
    problems: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The level id used for saves: the folder name."""
        return self.path.name

    @property
    def ok(self) -> bool:
        """Its manifest is sound (its pose tracks are checked by `load()`)."""
        return self.meta is not None

    @property
    def title(self) -> str:
        return self.meta.title if self.meta is not None else self.id

    def load(self) -> Level:
        """The whole level, pose tracks read and checked now (not kept here); LevelError,
        one line per problem, if anything in it is broken."""
        if self.meta is None:
            raise LevelError(list(self.problems))
        return load_level(self.path)


def user_levels_dir() -> Path:
    """Where the player's own (imported) levels live."""
    return user_home() / "levels"


def bundled_levels_candidates() -> list[Path]:
    """Where bundled levels may be, in order: $COVER_DANCE_LEVELS, the source tree's
    `levels/` next to the package (editable installs, running from a checkout), and
    `game/levels/` inside the package (if a build copied them in)."""
    candidates = []
    if os.environ.get(BUNDLED_ENV):
        candidates.append(Path(os.environ[BUNDLED_ENV]))
    candidates += [
        _PACKAGE.parent / "levels",
        _PACKAGE / "levels",
        Path(sys.prefix) / "share" / "cover-dance-trainer" / "levels",  # a wheel's data files
    ]
    return candidates


def bundled_levels_dir() -> Path | None:
    """The first folder of bundled levels that exists, or None."""
    for candidate in bundled_levels_candidates():
        if candidate.is_dir():
            return candidate
    return None


def source_levels_dir() -> Path:
    """The source tree's `levels/` folder (where `build-levels` writes by default)."""
    return _PACKAGE.parent / "levels"


def _level_folders(root: Path) -> list[Path]:
    """Visible subfolders of `root` (a missing root has none)."""
    try:
        children = list(root.iterdir()) if root.is_dir() else []
    except OSError:  # an unreadable folder has no levels we can show
        return []
    return sorted(p for p in children if not p.name.startswith((".", "_")) and p.is_dir())


def _empty(folder: Path) -> bool:
    try:
        return not (folder / LEVEL_FILE).is_file() and not any(folder.iterdir())
    except OSError:
        return False  # unreadable: listed as broken, with the reason


def scan(root: Path, source: str) -> list[LevelEntry]:
    """Every level folder directly under `root`, its manifest read (no pose track)."""
    entries = []
    for folder in _level_folders(root):
        if _empty(folder):
            continue  # an empty folder is not a level
        try:
            entries.append(LevelEntry(folder, source, read_manifest(folder)))
        except LevelError as exc:
            entries.append(LevelEntry(folder, source, None, tuple(exc.problems)))
    return entries


def _order(entry: LevelEntry) -> tuple[int, int, str]:
    rating = entry.meta.rating if entry.meta else ""
    rank = LEVEL_RATINGS.index(rating) if rating in LEVEL_RATINGS else 99
    return (0 if entry.ok else 1, rank, entry.title.lower())


def level_roots(
    bundled_dir: Path | None = None, user_dir: Path | None = None
) -> list[tuple[Path, str]]:
    """(folder, source) of the level folders: the bundled one (if there is one), then the
    user's. Defaults: `bundled_levels_dir()` and `user_levels_dir()`."""
    roots: list[tuple[Path, str]] = []
    bundled = bundled_dir if bundled_dir is not None else bundled_levels_dir()
    if bundled is not None:
        roots.append((bundled, BUNDLED))
    roots.append((user_dir if user_dir is not None else user_levels_dir(), USER))
    return roots


def discover_levels(
    bundled_dir: Path | None = None,
    user_dir: Path | None = None,
    extra: Iterable[tuple[Path, str]] = (),
) -> list[LevelEntry]:
    """Every level found: bundled first, then the user's; each group playable ones first,
    by rating (easy first), then title. Defaults: `bundled_levels_dir()` and `user_levels_dir()`."""
    roots = [*level_roots(bundled_dir, user_dir), *extra]
    entries: list[LevelEntry] = []
    seen: set[Path] = set()
    for root, source in roots:
        group = [e for e in scan(root, source) if e.path.resolve() not in seen]
        seen.update(e.path.resolve() for e in group)
        entries.extend(sorted(group, key=_order))
    return entries


def levels_stamp(bundled_dir: Path | None = None, user_dir: Path | None = None) -> tuple[int, ...]:
    """When the level folders last gained or lost a level (their modification times; 0 for
    one that cannot be read): a new stamp means the list is worth reading again."""
    stamps = []
    for root, _ in level_roots(bundled_dir, user_dir):
        try:
            stamps.append(root.stat().st_mtime_ns)
        except OSError:
            stamps.append(0)
    return tuple(stamps)


def find_level(name: str, entries: Iterable[LevelEntry] | None = None) -> LevelEntry | None:
    """The entry whose id (folder name) is `name`, else the first whose title is; the
    user's copy wins over a bundled one of the same name."""
    found = list(entries if entries is not None else discover_levels())
    matches = [e for e in found if e.id == name] or [e for e in found if e.title == name]
    users = [e for e in matches if e.source == USER]
    return (users or matches or [None])[0]


def load_named(name: str, entries: Iterable[LevelEntry] | None = None) -> Level:
    """The level called `name` (its folder name or title), loaded whole; LevelError with
    one line if there is none or it cannot be played (its first problem)."""
    entry = find_level(name, entries)
    if entry is None:
        raise LevelError([f"no level called {name!r}; see `cover-dance levels`"])
    try:
        return entry.load()
    except LevelError as exc:
        raise LevelError(exc.problems[:1]) from None
