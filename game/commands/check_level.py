"""`cover-dance check-level PATH`: validate a level folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from game.commands import Subcommands
from game.level.loader import LevelError, load_level


def register(subparsers: Subcommands) -> None:
    parser = subparsers.add_parser("check-level", help="validate a level folder")
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="level folder(s)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    failed = 0
    for path in args.paths:
        try:
            level = load_level(path)
        except LevelError as exc:
            failed += 1
            for line in exc.problems:
                print(line, file=sys.stderr)
            continue
        grid = level.grid
        print(
            f"{path}: ok: {level.title!r}, {level.meta.bpm:g} BPM, {grid.window_count} windows, "
            f"{level.meta.duration:.1f} s, {len(level.pose)} pose frames"
        )
    return 1 if failed else 0
