"""Options more than one command takes, declared once: how a cover is judged (`score`,
`rank`) and the progress line (`score`, `rank`, `calibrate`)."""

from __future__ import annotations

import argparse
from typing import Any

from game.cover.run import MIRROR_CHOICES
from game.scoring.rules import DEFAULT_DIFFICULTY, DIFFICULTIES


def add_judging_options(parser: argparse.ArgumentParser) -> None:
    """--fps, --mirror, --difficulty and --no-dtw: a cover judged as `score` judges it."""
    parser.add_argument(
        "--fps", type=float, default=15.0, help="pose frames per second to analyse (0 = all)"
    )
    parser.add_argument(
        "--mirror", choices=MIRROR_CHOICES, default="auto",
        help="judge the cover mirrored (yes), as filmed (no), or the better of the two (auto)",
    )  # fmt: skip
    parser.add_argument(
        "--difficulty", choices=list(DIFFICULTIES), default=DEFAULT_DIFFICULTY,
        help=f"judge as the game does at this difficulty (default: {DEFAULT_DIFFICULTY}, "
        "the game's default)",
    )  # fmt: skip
    parser.add_argument("--no-dtw", action="store_true", help="offset only, no drift warp")


def judging(args: argparse.Namespace) -> dict[str, Any]:
    """The judging options as `score_cover`'s and `RankSettings`' keyword arguments."""
    return {
        "fps": args.fps or None,
        "use_dtw": not args.no_dtw,
        "mirror": args.mirror,
        "difficulty": args.difficulty,
    }


def add_quiet_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--quiet", action="store_true", help="no progress line")
