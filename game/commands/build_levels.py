"""`cover-dance build-levels`: regenerate the bundled demo levels from the generator."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from game.authoring.demo_levels import AUDIO_FILE, DEMO_LEVELS, build_demo_level, demo_level
from game.commands import Subcommands
from game.errors import UserError
from game.level.library import source_levels_dir
from game.level.loader import LevelError, load_level
from game.level.writer import LevelExistsError


def register(subparsers: Subcommands) -> None:
    parser = subparsers.add_parser(
        "build-levels", help="regenerate the bundled demo levels (music and dance)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"folder to write the levels into (default: {source_levels_dir()})",
    )
    parser.add_argument("--force", action="store_true", help="replace levels that exist")
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="SLUG",
        choices=[d.slug for d in DEMO_LEVELS],
        help="build only these levels",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else source_levels_dir()
    demos = [demo_level(slug) for slug in args.only] if args.only else list(DEMO_LEVELS)
    for demo in demos:
        started = time.perf_counter()
        try:
            folder = build_demo_level(demo, out, force=args.force)
        except LevelExistsError as exc:
            raise UserError(str(exc)) from None
        try:
            level = load_level(folder)
        except LevelError as exc:
            raise UserError(
                f"{folder}: generated level does not validate: {exc.problems[0]}"
            ) from None
        size = (folder / AUDIO_FILE).stat().st_size
        print(
            f"{folder}: {level.title!r} ({level.meta.rating}), {level.meta.bpm:g} BPM, "
            f"{level.meta.duration:.1f} s, {level.grid.window_count} windows, "
            f"song {size / 1e6:.2f} MB, built in {time.perf_counter() - started:.1f} s"
        )
    return 0
