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
from game.commands.score import MIRROR_CHOICES, writable_file
from game.errors import UserError
from game.scoring.rules import DEFAULT_DIFFICULTY, DIFFICULTIES
from game.terminal_bar import TerminalBar

COVER_SUFFIXES = (".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi", ".npz")
ENGINES = ("local", "ray")


def register(subparsers: argparse._SubParsersAction) -> None:
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
    parser.add_argument("--fps", type=float, default=15.0, help="pose frames per second (0 = all)")
    parser.add_argument(
        "--mirror",
        choices=MIRROR_CHOICES,
        default="auto",
        help="as `score --mirror` (default: the better of the two)",
    )
    parser.add_argument(
        "--difficulty",
        choices=list(DIFFICULTIES),
        default=DEFAULT_DIFFICULTY,
        help=f"judge as the game does (default: {DEFAULT_DIFFICULTY})",
    )
    parser.add_argument("--no-dtw", action="store_true", help="offset only, no drift warp")
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
    parser.add_argument("--quiet", action="store_true", help="no progress line")
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
    from game.cover.inputs import level_path, load_reference
    from game.cover.leaderboard import leaderboard, leaderboard_csv, leaderboard_dict, table_lines
    from game.cover.rank_task import CoverRow, RankSettings
    from game.cover.run import check_choices

    check_options(args)
    check_choices(args.mirror, args.difficulty)
    covers = cover_list(args.covers, args.dir)
    settings = RankSettings(
        fps=args.fps or None,
        use_dtw=not args.no_dtw,
        mirror=args.mirror,
        difficulty=args.difficulty,
        timeout_s=args.timeout,
        with_report=args.report is not None,
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

    try:
        # resolved: a Ray worker elsewhere opens it (for the report) by this path
        path = level_path(args.reference).resolve()  # a level's name, as `score` takes it
        reference = load_reference(path, bar.update, settings.fps)
        bar.update("ranking covers", 0.0, len(covers), "covers")
        if args.engine == "ray":
            from game.cover.rank_ray import rank_ray

            rank_ray(reference, covers, settings, args.address, on_row)
        else:
            from game.cover.rank_local import default_workers, rank_local

            rank_local(reference, covers, settings, args.workers or default_workers(), on_row)
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
