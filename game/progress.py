"""The player's saved progress per level: best score and play history (JSON).

The file is written atomically, as standard JSON, under a lock (`progress.json.lock`): a
save re-reads the file and adds its play while holding it, so the game and a command
saving at once lose nothing. A file that cannot be read is renamed aside
(`progress.json.corrupt-<timestamp>`) with a one-line warning, and play starts fresh:
a bad save never stops the game. A read-only file is left as it is (a warning says so).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import filelock

from game.config import user_home
from game.savefile import one_line, read_json, set_aside, write_json
from game.scoring.rules import DEFAULT_DIFFICULTY, DIFFICULTIES
from game.scoring.score import GRADES

PROGRESS_FILE = "progress.json"
FORMAT_VERSION = 1
HISTORY_LIMIT = 50  # plays kept per level: the newest, plus the best of each difficulty
PROGRESS_LIMIT = 64 * 1024 * 1024  # bytes; a level's full history is about 5 KB
LOCK_TIMEOUT_S = 60.0  # longer than the slowest save of a file at PROGRESS_LIMIT (~10 s)
TEXT_LIMITS = {"date": 64}  # characters
KNOWN_GRADES = (*(grade for grade, _ in GRADES), "D")


def _problem(play: PlayRecord) -> str | None:
    """Why `play` cannot be kept, or None."""
    for name in ("score", "accuracy"):
        value = getattr(play, name)
        if not math.isfinite(value) or not 0.0 <= value <= 100.0:
            return f"{name} must be a number from 0 to 100, got {value!r}"
    if play.grade not in KNOWN_GRADES:
        return f"grade must be one of {', '.join(KNOWN_GRADES)}, got {play.grade[:20]!r}"
    if play.difficulty not in DIFFICULTIES:
        return f"difficulty must be one of {', '.join(DIFFICULTIES)}, got {play.difficulty[:20]!r}"
    if play.players not in (1, 2):
        return f"players must be 1 or 2, got {play.players!r}"
    for name, limit in TEXT_LIMITS.items():
        text = getattr(play, name)
        if len(text) > limit or not text.isprintable():
            return f"{name} must be up to {limit} printable characters, got {text[:20]!r}"
    return None


def _now() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class PlayRecord:
    """One finished play of a level."""

    score: float  # 0-100, as ScoreSummary.score
    grade: str
    accuracy: float  # 0-100, as ScoreSummary.accuracy
    difficulty: str = DEFAULT_DIFFICULTY
    players: int = 1
    date: str = field(default_factory=_now)  # ISO 8601 with offset

    @staticmethod
    def from_summary(
        summary: Any, difficulty: str = DEFAULT_DIFFICULTY, players: int = 1
    ) -> PlayRecord:
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
                grade=_text(data["grade"]),
                accuracy=float(data["accuracy"]),
                difficulty=_text(data.get("difficulty", DEFAULT_DIFFICULTY)),
                players=_whole(data.get("players", 1)),
                date=_text(data.get("date") or _now()),
            )
        except (KeyError, TypeError, ValueError, OverflowError, AttributeError) as exc:
            raise ValueError(
                f"bad play record: {one_line(str(exc)) or type(exc).__name__}"
            ) from None
        if (problem := _problem(record)) is not None:
            raise ValueError(f"bad play record: {problem}")
        return record


def _text(value: Any) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return str(value)


def _whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value):
        raise ValueError(f"expected a whole number, got {str(value)[:20]}")
    return int(value)


def default_progress_path() -> Path:
    return user_home() / PROGRESS_FILE


class ProgressStore:
    """Best scores and play history per level id (the level's folder name)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_progress_path()
        self.warnings: list[str] = []
        self._levels: dict[str, list[PlayRecord]] | None = None
        self._learn: dict[str, LearnRecord] = {}

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

    def learned(self, level_id: str) -> LearnRecord | None:
        """Learn mode's sections of `level_id` cleared so far, or None if never tried."""
        self._data()
        return self._learn.get(level_id)

    # ------------------------------------------------------------ writing

    def record(self, level_id: str, result: PlayRecord | Mapping[str, Any]) -> bool:
        """Add a play and save; True when it beats the previous best for the level.
        The file is re-read and written under the lock, so a play another process saved
        meanwhile is kept. A play that cannot be kept (a NaN score) is a warning."""
        play = result if isinstance(result, PlayRecord) else PlayRecord.from_dict(result)
        if (problem := _problem(play)) is not None:
            self._warn(f"warning: play of {level_id} not saved ({problem})")
            return False
        previous = None
        with self._locked() as locked:
            self._levels = None  # re-read: another window may have saved meanwhile
            previous = self.best(level_id)
            plays = self._data().setdefault(level_id, [])
            plays.append(play)
            plays[:] = _capped(plays)
            if locked:
                self._save()
        return previous is None or play.score > previous.score

    def record_learn(self, level_id: str, learned: LearnRecord) -> None:
        """Save learn mode's sections cleared (the fastest speed each, kept from before)."""
        if (problem := _learn_problem(learned)) is not None:
            self._warn(f"warning: learning {level_id} not saved ({problem})")
            return
        with self._locked() as locked:
            self._levels = None
            self._data()
            before = self._learn.get(level_id)
            cleared = dict(before.cleared) if before and before.sections == learned.sections else {}
            for section, speed in learned.cleared.items():
                cleared[section] = max(speed, cleared.get(section, 0.0))
            self._learn[level_id] = LearnRecord(learned.sections, cleared)
            if locked:
                self._save()

    # ------------------------------------------------------------ file

    @contextmanager
    def _locked(self) -> Iterator[bool]:
        """Hold the progress lock (yields True); if it cannot be had (a read-only folder,
        a holder stuck past LOCK_TIMEOUT_S), say so and yield False: the play is kept for
        this session but never written without the lock, which could lose another's."""
        lock = filelock.FileLock(self.path.with_name(f"{self.path.name}.lock"))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock.acquire(timeout=LOCK_TIMEOUT_S)
        except (OSError, filelock.Timeout) as exc:
            self._warn(
                f"warning: progress not saved: could not lock {self.path} ({one_line(str(exc))})"
            )
            yield False
            return
        try:
            yield True
        finally:
            lock.release()

    def _data(self) -> dict[str, list[PlayRecord]]:
        if self._levels is None:
            self._levels = self._load()
        return self._levels

    def _load(self) -> dict[str, list[PlayRecord]]:
        try:
            raw = read_json(self.path, PROGRESS_LIMIT)
            levels = _parse(raw)
            self._learn = _parse_learn(raw)
            return levels
        except (FileNotFoundError, NotADirectoryError):  # no file, or no folder: nothing saved
            return {}
        except (OSError, ValueError) as exc:  # SaveFileError is a ValueError
            reason = one_line(str(exc)) or type(exc).__name__
            where = set_aside(self.path)
            self._warn(
                f"warning: saved progress {self.path} was unreadable ({reason}); "
                f"{where} and starting fresh"
            )
            return {}

    def _warn(self, message: str) -> None:
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
        if self._learn:  # compact: {"sections": N, "cleared": {"0": 1.0, ...}}
            data["learn"] = {
                level_id: {"sections": rec.sections,
                           "cleared": {str(k): v for k, v in sorted(rec.cleared.items())}}
                for level_id, rec in sorted(self._learn.items())
            }  # fmt: skip
        try:
            write_json(self.path, data, indent=None)  # compact: quick to save at any size
        except OSError as exc:  # read-only, a full disk or a read-only home: never a crash
            self._warn(f"warning: could not save progress to {self.path} ({one_line(str(exc))})")


@dataclass(frozen=True)
class LearnRecord:
    """Learn mode on one level: how many sections it has, and section (0-based) -> the
    fastest speed it was cleared at."""

    sections: int
    cleared: dict[int, float]

    @property
    def count(self) -> int:
        """Sections cleared at any speed."""
        return len(self.cleared)


LEARN_SPEEDS = (0.5, 0.75, 1.0)
MAX_SECTIONS = 1000


def _learn_problem(learned: LearnRecord) -> str | None:
    if not 1 <= learned.sections <= MAX_SECTIONS:
        return f"sections must be 1 to {MAX_SECTIONS}, got {learned.sections!r}"
    for section, speed in learned.cleared.items():
        if not 0 <= section < learned.sections:
            return f"section {section!r} out of range"
        if speed not in LEARN_SPEEDS:
            return f"speed must be one of {LEARN_SPEEDS}, got {speed!r}"
    return None


def _parse_learn(raw: Any) -> dict[str, LearnRecord]:
    """Learn mode's progress in a progress file (none: empty); raises ValueError if its
    shape is wrong."""
    table = raw.get("learn", {}) if isinstance(raw, dict) else {}
    if not isinstance(table, dict):
        raise ValueError("'learn' must be a table")
    out = {}
    for level_id, entry in table.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("cleared"), dict):
            raise ValueError(f"learn of {str(level_id)[:40]!r} has no 'cleared' table")
        sections = entry.get("sections")
        if not isinstance(sections, int) or isinstance(sections, bool):
            raise ValueError(f"learn of {str(level_id)[:40]!r}: sections must be a number")
        cleared = {}
        for key, speed in entry["cleared"].items():
            if not str(key).isdigit() or not isinstance(speed, (int, float)):
                raise ValueError(f"learn of {str(level_id)[:40]!r}: bad section {str(key)[:20]}")
            cleared[int(key)] = float(speed)
        record = LearnRecord(sections, cleared)
        if (problem := _learn_problem(record)) is not None:
            raise ValueError(f"learn of {str(level_id)[:40]!r}: {problem}")
        out[str(level_id)] = record
    return out


def _capped(plays: list[PlayRecord]) -> list[PlayRecord]:
    """The newest HISTORY_LIMIT plays, plus (in their place) the best of each difficulty
    (the earliest of equal scores) that would otherwise go."""
    if len(plays) <= HISTORY_LIMIT:
        return plays
    keep = {id(p) for p in plays[-HISTORY_LIMIT:]}
    for difficulty in {p.difficulty for p in plays}:
        keep.add(id(max((p for p in plays if p.difficulty == difficulty), key=_score)))
    return [p for p in plays if id(p) in keep]


def _score(play: PlayRecord) -> float:
    return play.score


def _parse(raw: Any) -> dict[str, list[PlayRecord]]:
    """The levels in a progress file; raises ValueError if its shape is wrong."""
    if not isinstance(raw, dict) or not isinstance(raw.get("levels"), dict):
        raise ValueError("not a progress file (no 'levels' table)")
    version = raw.get("version", FORMAT_VERSION)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ValueError(f"version must be a whole number from 1, got {str(version)[:20]}")
    if version > FORMAT_VERSION:
        raise ValueError(f"written by a newer version (format {version})")
    levels: dict[str, list[PlayRecord]] = {}
    for level_id, entry in raw["levels"].items():
        if len(level_id) > 255:
            raise ValueError(f"level id of {len(level_id)} characters")
        if not isinstance(entry, dict) or not isinstance(entry.get("history"), list):
            raise ValueError(f"level {level_id!r} has no history list")
        levels[str(level_id)] = [PlayRecord.from_dict(p) for p in entry["history"]]
    return levels
