"""`cover-dance bench [--only NAME]`: print the performance figures (not a test)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from game.benchmarks import BENCHMARKS, select
from game.commands import Subcommands


def register(subparsers: Subcommands) -> None:
    parser = subparsers.add_parser("bench", help="measure performance (pose tracking, ...)")
    parser.add_argument("--only", metavar="NAME", help="run one benchmark or group (e.g. pose)")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument(
        "--clip", type=Path, action="append", metavar="PATH",
        help="video clip to use (repeatable; default: ../shared/realdata/*.mp4)",
    )  # fmt: skip
    parser.add_argument(
        "--frames", type=int, default=300, metavar="N", help="frames per clip (default 300)"
    )
    parser.add_argument(
        "--levels", type=int, default=10_000, metavar="N",
        help="levels written for the library benchmark (default 10000)",
    )  # fmt: skip
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run the chosen benchmarks, printing their figures."""
    names = select(args.only)
    if args.list:
        print("\n".join(names))
        return 0
    for name in names:
        start = time.perf_counter()
        print(f"== {name}", flush=True)
        for line in BENCHMARKS[name](args):
            print(f"  {line}", flush=True)
        print(f"  ({time.perf_counter() - start:.1f} s)", flush=True)
    return 0
