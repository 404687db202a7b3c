"""The teaching study: which stretches a real cover passes at 1x under the pass rule.

Learn mode, practice and the A-B loop pass a try by `game.scoring.loop_pass.PassRule`. Each
pair of the calibration study (`game.calibration.pairs`), judged as the game would judge the
cover as a player, is cut into the stretches those modes really dance:

- sections: learn mode's (`game.scoring.sections`, 4-8 bars);
- loops: two bars at a time from bar 1 (the A-B loop's default span; a missed segment that
  practice loops is a few windows, shorter still);
- the whole song: learn mode's last step;
- a whole song at a real song's length (`long_song_lines`): the clips are 9-31 s, so each
  kind's window verdicts, cut into stretches at random and joined in their own order, make
  songs of `LONG_SONG_WINDOWS` windows (a real dancer's runs of good and missed moves as
  they came): what the run of misses allows over 3-4 minutes.

A stretch passes when its windows pass the difficulty's rule. The bot is the reference
danced by itself (autoplay): it must pass every stretch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from game.calibration.pairs import Pair
from game.calibration.study import PairResult
from game.scoring.loop_pass import PassRule, pass_rule, verdict
from game.scoring.rules import WindowJudgement
from game.scoring.sections import Section, sections
from game.timing.loop import bar_count

LOOP_BARS = 2
LONG_SONG_WINDOWS = 280  # 3:40 at 152 BPM, 2 beats a window
LONG_SONGS = 400  # songs strung per kind and difficulty
KINDS = ("true", "members", "unrelated", "bot")
HEADS = {"true": "true covers", "members": "group members", "unrelated": "wrong dances",
         "bot": "the bot"}  # fmt: skip
STRETCHES = ("sections", "loops", "whole")


def bot_pairs(pairs: Sequence[Pair]) -> list[Pair]:
    """Each reference of `pairs` danced by itself (the autoplay bot), once."""
    seen: dict[str, Pair] = {}
    for pair in pairs:
        name = pair.reference_name or pair.reference.path.stem
        seen.setdefault(name, replace(pair, cover=pair.reference.track, kind="bot",
                                      placed="itself", cover_name="itself"))  # fmt: skip
    return list(seen.values())


def stretches(pair: Pair) -> dict[str, list[Section]]:
    """The pair's reference cut as learn mode and the loop cut it (bars, 0-based)."""
    grid = pair.reference.grid
    bars = bar_count(grid)
    loops = [Section(a, min(a + LOOP_BARS, bars)) for a in range(0, bars, LOOP_BARS)]
    return {"sections": sections(pair.reference.track, grid), "loops": loops,
            "whole": [Section(0, bars)]}  # fmt: skip


@dataclass(frozen=True)
class TeachingResult:
    """One pair at one difficulty: per kind of stretch, (passed, tried)."""

    result: PairResult
    passed: dict[str, tuple[int, int]]

    @property
    def kind(self) -> str:
        return self.result.pair.kind

    def share(self, stretch: str) -> float | None:
        done, tried = self.passed[stretch]
        return 100.0 * done / tried if tried else None


def stretch_events(
    events: Sequence[WindowJudgement], stretch: Section, pair: Pair
) -> list[WindowJudgement]:
    inside = set(stretch.windows(pair.reference.grid))
    return [e for e in events if e.window in inside]


def teach(result: PairResult, rule: PassRule | None = None) -> TeachingResult:
    """Which of the pair's stretches pass under `rule` (default: its difficulty's)."""
    rule = rule or pass_rule(result.difficulty)
    counts = {}
    for name, cut in stretches(result.pair).items():
        tries = [stretch_events(result.events, s, result.pair) for s in cut]
        tries = [t for t in tries if t]
        counts[name] = (sum(verdict(t, rule).passed for t in tries), len(tries))
    return TeachingResult(result, counts)


def _cell(rows: Sequence[TeachingResult], stretch: str) -> str:
    """Sections / loops: `min med` share passed over the pairs; whole: `n/m` songs."""
    if not rows:
        return "-"
    if stretch == "whole":
        return f"{sum(r.passed['whole'][0] for r in rows)}/{len(rows)}"
    shares = [s for r in rows if (s := r.share(stretch)) is not None]
    return f"{np.min(shares):3.0f} {np.median(shares):3.0f}" if shares else "-"


def teaching_lines(results: Sequence[TeachingResult]) -> list[str]:
    """Per difficulty, per pair kind: the share of sections and of loops passed at 1x (min
    and median over the pairs) and the whole songs passed."""
    kinds = [k for k in KINDS if any(r.kind == k for r in results)]
    difficulties = list(dict.fromkeys(r.result.difficulty for r in results))

    def row(first: str, cells: Sequence[Sequence[str]]) -> str:
        texts = ["  ".join(c.rjust(8) for c in cell) for cell in cells]
        return f"{first:10s} | " + " | ".join(texts)

    lines = [
        f"{'':10s} | " + " | ".join(f"{HEADS[k]:28s}" for k in kinds),
        row("difficulty", [STRETCHES] * len(kinds)),
        row("", [("min med", "min med", "passed")] * len(kinds)),
    ]
    for difficulty in difficulties:
        cells = []
        for kind in kinds:
            rows = [r for r in results if r.kind == kind and r.result.difficulty == difficulty]
            cells.append([_cell(rows, s) for s in STRETCHES])
        lines.append(row(difficulty, cells))
    return [line.rstrip() for line in lines]


def strung_songs(
    results: Sequence[PairResult], windows: int, songs: int, seed: int = 0
) -> list[list[WindowJudgement]]:
    """`songs` tries of `windows` windows, each joined from random stretches of `results`'
    window verdicts (in window order within a stretch), renumbered in order."""
    rng = np.random.default_rng(seed)
    verdicts = [sorted(r.events, key=lambda e: e.window) for r in results if r.events]
    out = []
    for _ in range(songs if verdicts else 0):
        song: list[WindowJudgement] = []
        while len(song) < windows:
            events = verdicts[rng.integers(len(verdicts))]
            start = int(rng.integers(len(events)))
            song += events[start : int(rng.integers(start + 1, len(events) + 1))]
        out.append([replace(e, window=i) for i, e in enumerate(song[:windows])])
    return out


def long_song_lines(results: Sequence[PairResult], windows: int = LONG_SONG_WINDOWS) -> list[str]:
    """Per difficulty: % of song-length tries (`strung_songs`) passed by each pair kind."""
    kinds = [k for k in KINDS if any(r.pair.kind == k for r in results)]
    lines = []
    for difficulty in dict.fromkeys(r.difficulty for r in results):
        rule = pass_rule(difficulty)
        cells = []
        for kind in kinds:
            mine = [r for r in results if r.pair.kind == kind and r.difficulty == difficulty]
            songs = strung_songs(mine, windows, LONG_SONGS)
            passed = sum(verdict(song, rule).passed for song in songs)
            cells.append(f"{HEADS[kind]} {100.0 * passed / max(1, len(songs)):3.0f}%")
        lines.append(f"{difficulty:10s} | " + ", ".join(cells))
    return lines
