"""`cover-dance rank REFERENCE COVER... [--dir DIR]`: an audition. Every cover is scored
against the reference exactly as `cover-dance score` scores it, in worker processes or on a
Ray cluster, and ranked; a cover that cannot be scored gets its row and its reason."""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import replace
from pathlib import Path

from game.atomic import atomic_write_text
from game.commands import Subcommands
from game.commands.options import add_judging_options, add_quiet_option, judging
from game.commands.score import writable_file
from game.errors import UserError
from game.terminal_bar import TerminalBar

COVER_SUFFIXES = (".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".npz")
ENGINES = ("local", "ray")


def register(subparsers: Subcommands) -> None:
    parser = subparsers.add_parser(
        "rank",
        help="rank many covers of one dance (an audition)",
        description="Score every cover against the reference as `score` does (offset search, "
        "mirror choice, the game's judge at one difficulty) and print a leaderboard. The "
        "reference is tracked once; each cover's poses are cached by content, so a rerun "
        "redoes only new covers.",
    )
    parser.add_argument(
        "reference",
        type=Path,
        metavar="REFERENCE",
        help="a level (its folder, or its name as `play --level` takes it) or a video",
    )
    parser.add_argument("covers", type=Path, nargs="*", metavar="COVER", help="videos or tracks")
    parser.add_argument(
        "--dir",
        type=Path,
        action="append",
        metavar="DIR",
        help=f"also every cover in DIR ({' '.join(COVER_SUFFIXES)}; repeatable)",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the leaderboard as JSON")
    parser.add_argument("--csv", type=Path, metavar="PATH", help="write the leaderboard as CSV")
    parser.add_argument(
        "--report",
        type=Path,
        metavar="PAGE.html",
        help="write a leaderboard page, each cover's report in PAGE_files/",
    )
    add_judging_options(parser)
    parser.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="worker processes (local engine; default: the cores)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        metavar="S",
        help="give up on a cover after S seconds (its row says so)",
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help="local processes, or Ray tasks (pip install -e '.[cluster]')",
    )
    parser.add_argument(
        "--address",
        metavar="HOST:PORT",
        help="the Ray cluster to join (default: start Ray on this machine)",
    )
    add_quiet_option(parser)
    parser.set_defaults(func=run)


def cover_list(covers: list[Path], folders: list[Path] | None) -> list[str]:
    """The covers given and those in each --dir, in order, each once."""
    found = [str(c) for c in covers]
    for folder in folders or ():
        if not folder.is_dir():
            raise UserError(f"--dir {folder}: not a folder")
        found += [str(p) for p in sorted(folder.iterdir())
                  if p.is_file() and p.suffix.lower() in COVER_SUFFIXES]  # fmt: skip
    if not found:
        raise UserError("no covers: give COVER files or --dir DIR")
    return list(dict.fromkeys(found))


def check_options(args: argparse.Namespace) -> None:
    """One line for a bad option, before any work."""
    if args.workers is not None and args.workers < 1:
        raise UserError(f"--workers {args.workers}: must be 1 or more")
    if args.timeout is not None and not (math.isfinite(args.timeout) and args.timeout > 0):
        raise UserError(f"--timeout {args.timeout}: must be a positive number of seconds")
    if args.address and args.engine != "ray":
        raise UserError("--address: only with --engine ray")
    if args.engine == "ray":
        from game.cover.rank_ray import import_ray

        import_ray()  # before any tracking: say how to install Ray
    for option, target in (("--json", args.json), ("--csv", args.csv), ("--report", args.report)):
        if target:
            writable_file(option, target)
    if args.report:
        from game.cover.leaderboard_html import reports_folder

        folder = reports_folder(args.report)
        if folder.exists() and not folder.is_dir():
            raise UserError(f"--report {args.report}: {folder} (its reports' folder) is a file")


def run(args: argparse.Namespace) -> int:
    """Track the reference, score the covers, print and write the leaderboard."""
    from game.cover.inputs import check_reference
    from game.cover.leaderboard import leaderboard, leaderboard_csv, leaderboard_dict, table_lines
    from game.cover.rank_task import CoverRow, RankSettings
    from game.cover.run import check_choices

    check_options(args)
    check_choices(args.mirror, args.difficulty)
    covers = cover_list(args.covers, args.dir)
    settings = RankSettings(
        **judging(args), timeout_s=args.timeout, with_report=args.report is not None
    )
    bar = TerminalBar(quiet=args.quiet)
    rows: list[CoverRow] = []
    links: dict[str, str] = {}  # cover -> its report, written as it comes (--report)
    numbers = {cover: n for n, cover in enumerate(covers, 1)}  # cover-N.html: N-th given

    def on_row(row: CoverRow) -> None:
        if row.report_html and args.report:
            from game.cover.leaderboard_html import write_cover_report

            links[row.cover] = write_cover_report(args.report, numbers[row.cover], row.report_html)
            row = replace(row, report_html=None)
        rows.append(row)
        failed = sum(r.score is None for r in rows)
        bar.update(
            "ranking covers",
            len(rows) / len(covers),
            len(covers),
            "covers",
            note=f"{failed} failed" if failed else "",
        )

    # a level's name, as `score` takes it; resolved: a worker elsewhere opens it by this path
    reference_path = check_reference(args.reference).resolve()
    try:
        if args.engine == "ray":
            from game.cover.inputs import load_reference
            from game.cover.rank_ray import rank_ray

            reference = load_reference(reference_path, bar.update, settings.fps)
            bar.update("ranking covers", 0.0, len(covers), "covers")
            rank_ray(reference, covers, settings, args.address, on_row)
        else:  # the reference is tracked in the pool, beside the first covers
            from game.cover.rank_local import default_workers, rank_local

            bar.update("ranking covers", 0.0, len(covers), "covers")
            workers = args.workers or default_workers()
            rank_local(reference_path, covers, settings, workers, on_row)
    finally:
        bar.finish()
    board = leaderboard(rows)
    print(f"{len(covers)} covers of {args.reference.name} at {args.difficulty}:")
    print("\n".join(table_lines(board)))
    if args.json:
        data = leaderboard_dict(str(args.reference), args.difficulty, board)
        atomic_write_text(args.json, json.dumps(data, indent=2) + "\n")
        print(f"json: {args.json}")
    if args.csv:
        atomic_write_text(args.csv, leaderboard_csv(board))
        print(f"csv: {args.csv}")
    if args.report:
        from game.cover.leaderboard_html import write_page

        write_page(str(args.reference), args.difficulty, board, args.report, links)
        print(f"report: {args.report}")
    if not any(r.score is not None for r in rows):
        print("cover-dance: no cover could be scored", file=sys.stderr)
        return 1
    return 0
