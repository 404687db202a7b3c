"""`cover-dance` command line: one subcommand per module in game/commands/."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

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
    """An argument parser whose errors are one line (the usage is under --help), and which
    refuses `--start=--`: argparse takes that `--` as the end of the options and would give
    the option an empty list for its value."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.option_names: dict[str, bool] = {}  # each option string: does it take one value?
        super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        action = super().add_argument(*args, **kwargs)
        for name in action.option_strings:
            self.option_names[name] = action.nargs is None
        return action

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        given = list(sys.argv[1:] if args is None else args)
        for token in given:
            if token == "--":
                break  # what follows is not options
            name, equals, value = token.partition("=")
            option = self.named(name) if equals and token.startswith("-") else None
            if option and value == "--" and self.option_names[option]:
                self.error(f"argument {option}: expected a value, not '--'")
        return super().parse_known_args(given, namespace)

    def named(self, name: str) -> str | None:
        """The option `name` stands for: itself, or the one option it abbreviates."""
        if name in self.option_names:
            return name
        if not (self.allow_abbrev and name.startswith("--")):
            return None
        matches = [option for option in self.option_names if option.startswith(name)]
        return matches[0] if len(matches) == 1 else None

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
