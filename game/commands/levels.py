"""`cover-dance levels`: list every level found, with its best score so far."""

from __future__ import annotations

import argparse
from dataclasses import replace

from game.commands import Subcommands
from game.level.library import (
    BUNDLED,
    LevelEntry,
    bundled_levels_dir,
    discover_levels,
    user_levels_dir,
)
from game.level.manifest import LevelError
from game.progress import ProgressStore
from game.timing.axis import clock_label


def register(subparsers: Subcommands) -> None:
    parser = subparsers.add_parser("levels", help="list the levels you can play")
    parser.add_argument(
        "--check", action="store_true",
        help="also read every level's pose tracks (slower; a level is listed from its "
             "level.toml, and its poses are checked when it is played)",
    )  # fmt: skip
    parser.set_defaults(func=run)


def describe(entry: LevelEntry, store: ProgressStore) -> str:
    """One line for a level: id, rating, title, BPM, length, best score; a group level says
    how many members it holds (play one with `play --level ID --member N`)."""
    if entry.meta is None:
        return f"  {entry.id:<20} BROKEN  {entry.problems[0] if entry.problems else '?'}"
    meta = entry.meta
    best = store.best(entry.id)
    best_text = f"best {best.score:.1f} ({best.grade})" if best else "not played yet"
    group = f"  group of {len(meta.members)}" if meta.members else ""
    return (
        f"  {entry.id:<20} {meta.rating:<6}  {meta.title:<24} {meta.bpm:>5.0f} BPM  "
        f"{clock_label(meta.length_s)}  {best_text}{group}"
    )


def checked(entry: LevelEntry) -> LevelEntry:
    """`entry` as it is once its pose tracks are read too (one level at a time, not kept)."""
    if entry.meta is None:
        return entry
    try:
        entry.load()
    except LevelError as exc:
        return replace(entry, meta=None, problems=tuple(exc.problems))
    return entry


def run(args: argparse.Namespace) -> int:
    entries = discover_levels()
    if args.check:
        entries = [checked(entry) for entry in entries]
    store = ProgressStore()
    groups = [
        (BUNDLED, "Bundled levels", bundled_levels_dir()),
        ("user", "Your levels", user_levels_dir()),
    ]
    for source, heading, folder in groups:
        mine = [e for e in entries if e.source == source]
        where = str(folder) if folder is not None else "not found"
        print(f"{heading} ({where}):")
        if not mine:
            hint = "import a dance video with `cover-dance import VIDEO`"
            print(f"  (none yet: {hint})" if source != BUNDLED else "  (none found)")
        for entry in mine:
            print(describe(entry, store))
    return 0
