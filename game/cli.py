"""`cover-dance` command line: one subcommand per module in game/commands/."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from game import __version__
from game.errors import UserError

# Each module defines `register(subparsers)`; the parser it adds sets `func(args) -> int`.
COMMAND_MODULES: tuple[str, ...] = (
    "game.commands.play",
    "game.commands.check_level",
    "game.commands.doctor",
    "game.commands.bench",
    "game.commands.levels",
    "game.commands.build_levels",
    "game.commands.import_video",
    "game.commands.score",
    "game.commands.rank",
    "game.commands.calibrate",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cover-dance",
        description="Cover Dance Trainer: dance along to a level, get judged on every beat.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def clean_user_leftovers() -> None:
    """Remove what killed runs left in the user's folders (stale temp files and half-built
    levels), one line each."""
    from game.leftovers import clean_leftovers, clean_scratch_folders
    from game.level.library import user_levels_dir

    folders = [user_levels_dir().parent, user_levels_dir()]
    for line in clean_leftovers(folders) + clean_scratch_folders():
        print(f"cover-dance: {line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    clean_user_leftovers()
    from game.quiet import quiet_pose_library

    with quiet_pose_library():  # every command: the pose library's log lines never show
        try:
            return int(args.func(args) or 0)
        except UserError as exc:
            print(f"cover-dance: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("cover-dance: interrupted", file=sys.stderr)
            return 130


if __name__ == "__main__":
    sys.exit(main())
