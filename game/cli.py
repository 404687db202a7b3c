"""`cover-dance` command line: one subcommand per module in game/commands/."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import NoReturn

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


class OneLineParser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (the usage is under --help)."""

    def _get_values(self, action: argparse.Action, arg_strings: list[str]) -> object:
        # argparse takes `--start=--` as the end of the options and gives [] as the value
        if arg_strings == ["--"] and action.nargs is None and action.option_strings:
            self.error(f"argument {action.option_strings[0]}: expected a value, not '--'")
        return super()._get_values(action, arg_strings)

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("cover-dance").strip()
        line = " ".join(f"{command + ':' if command else ''} {message}".split())
        self.exit(2, f"cover-dance: {line} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
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
