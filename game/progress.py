"""The player's saved progress per level: best score and play history (JSON).

The file is written atomically. A file that cannot be read is renamed aside
(`progress.json.corrupt-<timestamp>`) with a one-line warning, and play starts fresh:
a bad save never stops the game.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from game.atomic import atomic_write_text
from game.config import user_home

PROGRESS_FILE = "progress.json"
FORMAT_VERSION = 1
HISTORY_LIMIT = 200  # plays kept per level (the oldest go, never the best)


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class PlayRecord:
    """One finished play of a level."""

    score: float  # 0-100, as ScoreSummary.score
    grade: str
    accuracy: float  # 0-100, as ScoreSummary.accuracy
    difficulty: str = "normal"
    players: int = 1
    date: str = field(default_factory=_now)  # ISO 8601 with offset

    @staticmethod
    def from_summary(summary: Any, difficulty: str = "normal", players: int = 1) -> PlayRecord:
        """From anything with `score`, `grade` and `accuracy` (a ScoreSummary)."""
        return PlayRecord(
            float(summary.score), str(summary.grade), float(summary.accuracy), difficulty, players
        )

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> PlayRecord:
        """Build from a mapping; raises ValueError on a missing or mistyped field."""
        try:
            record = PlayRecord(
                score=float(data["score"]),
                grade=str(data["grade"]),
                accuracy=float(data["accuracy"]),
                difficulty=str(data.get("difficulty", "normal")),
                players=int(data.get("players", 1)),
                date=str(data.get("date") or _now()),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"bad play record {dict(data)!r}: {exc}") from None
        return record


def default_progress_path() -> Path:
    return user_home() / PROGRESS_FILE


class ProgressStore:
    """Best scores and play history per level id (the level's folder name)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_progress_path()
        self.warnings: list[str] = []
        self._levels: dict[str, list[PlayRecord]] | None = None

    # ------------------------------------------------------------ reading

    def history(self, level_id: str) -> list[PlayRecord]:
        """Every kept play of `level_id`, oldest first."""
        return list(self._data().get(level_id, []))

    def best(self, level_id: str, difficulty: str | None = None) -> PlayRecord | None:
        """The highest-scoring play (the earliest of equal scores), optionally for one
        difficulty; None if never played."""
        plays = [p for p in self.history(level_id) if difficulty in (None, p.difficulty)]
        best: PlayRecord | None = None
        for play in plays:
            if best is None or play.score > best.score:
                best = play
        return best

    def level_ids(self) -> list[str]:
        return sorted(self._data())

    # ------------------------------------------------------------ writing

    def record(self, level_id: str, result: PlayRecord | Mapping[str, Any]) -> bool:
        """Add a play and save; True when it beats the previous best for the level."""
        play = result if isinstance(result, PlayRecord) else PlayRecord.from_dict(result)
        self._levels = None  # re-read: another window may have saved meanwhile
        previous = self.best(level_id)
        plays = self._data().setdefault(level_id, [])
        plays.append(play)
        if len(plays) > HISTORY_LIMIT:
            best = self.best(level_id)
            kept = plays[-(HISTORY_LIMIT - 1) :]
            plays[:] = kept if any(p is best for p in kept) else [best, *kept]
        self._save()
        return previous is None or play.score > previous.score

    # ------------------------------------------------------------ file

    def _data(self) -> dict[str, list[PlayRecord]]:
        if self._levels is None:
            self._levels = self._load()
        return self._levels

    def _load(self) -> dict[str, list[PlayRecord]]:
        if not self.path.exists():
            return {}
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return _parse(raw)
        except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
            self._set_aside(exc)
            return {}

    def _set_aside(self, problem: Exception) -> None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        n = 1
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{n}")
            n += 1
        try:
            self.path.rename(aside)
            where = f"moved it to {aside.name}"
        except OSError as exc:
            where = f"could not move it aside ({exc})"
        reason = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
        message = (
            f"warning: saved progress {self.path} was unreadable ({reason}); "
            f"{where} and starting fresh"
        )
        self.warnings.append(message)
        print(f"cover-dance: {message}", file=sys.stderr)

    def _save(self) -> None:
        data = {
            "version": FORMAT_VERSION,
            "levels": {
                level_id: {"history": [asdict(p) for p in plays]}
                for level_id, plays in sorted(self._data().items())
            },
        }
        try:
            atomic_write_text(self.path, json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        except OSError as exc:  # a full disk or a read-only home must not stop the game
            message = f"warning: could not save progress to {self.path} ({exc})"
            self.warnings.append(message)
            print(f"cover-dance: {message}", file=sys.stderr)


def _parse(raw: Any) -> dict[str, list[PlayRecord]]:
    """The levels in a progress file; raises ValueError if its shape is wrong."""
    if not isinstance(raw, dict) or not isinstance(raw.get("levels"), dict):
        raise ValueError("not a progress file (no 'levels' table)")
    version = raw.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ValueError(f"written by a newer version (format {raw.get('version')})")
    levels: dict[str, list[PlayRecord]] = {}
    for level_id, entry in raw["levels"].items():
        if not isinstance(entry, dict) or not isinstance(entry.get("history"), list):
            raise ValueError(f"level {level_id!r} has no history list")
        levels[str(level_id)] = [PlayRecord.from_dict(p) for p in entry["history"]]
    return levels
