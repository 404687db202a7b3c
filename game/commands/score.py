"""`cover-dance score REFERENCE COVER`: how close is a recorded cover to the original?"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from game.atomic import NotARegularFileError, atomic_write_text, check_regular_target
from game.commands import Subcommands
from game.commands.options import add_judging_options, add_quiet_option, judging
from game.errors import UserError
from game.terminal_bar import TerminalBar


def register(subparsers: Subcommands) -> None:
    parser = subparsers.add_parser(
        "score",
        help="score a recorded cover against the original",
        description="Align a cover with its reference (music and movement), decide whether it "
        "is mirrored, and judge every beat window with the game's judge: the score and grade "
        "are what the game would give a player who danced the cover.",
    )
    parser.add_argument(
        "reference", type=Path, metavar="REFERENCE",
        help="a level (its folder, or its name as `play --level` takes it) or a video",
    )  # fmt: skip
    parser.add_argument("cover", type=Path, metavar="COVER", help="a video or a pose track (.npz)")
    parser.add_argument("--json", metavar="PATH", help="write the result as JSON ('-' = stdout)")
    parser.add_argument("--report", type=Path, metavar="PATH.html", help="write an HTML report")
    parser.add_argument("--video", type=Path, metavar="PATH.mp4", help="write a side-by-side video")
    parser.add_argument(
        "--offset", type=float, metavar="S",
        help="cover time = reference time + S seconds: no offset search",
    )  # fmt: skip
    add_judging_options(parser)
    parser.add_argument(
        "--seed-figures", action="store_true",
        help="also the seed project's three measures of the pair, aligned as the score is: "
        "mean cosine similarity, cosine after L2 normalisation, and angle difference",
    )  # fmt: skip
    add_quiet_option(parser)
    parser.set_defaults(func=run)


def writable_file(option: str, path: Path) -> None:
    """Refuse, before any work, an output that cannot be written where asked."""
    if path.is_dir():
        raise UserError(f"{option} {path}: is a folder; give a file name")
    if not path.parent.is_dir():
        raise UserError(f"{option} {path}: folder {path.parent} does not exist")
    try:
        check_regular_target(path)
    except NotARegularFileError as exc:  # e.g. --json /dev/full: never renamed over
        raise UserError(f"{option} {exc}") from None


def run(args: argparse.Namespace) -> int:
    """Score the cover and print (and write) the result."""
    from game.cover.export import result_dict, summary_lines
    from game.cover.run import score_cover

    if args.offset is not None and not math.isfinite(args.offset):
        raise UserError(f"--offset {args.offset}: must be a number of seconds")
    for option, target in (("--json", args.json), ("--report", args.report),
                           ("--video", args.video)):  # fmt: skip
        if target and target != "-":
            writable_file(option, Path(target))
    line = TerminalBar(quiet=args.quiet)
    started = time.monotonic()
    try:
        result = score_cover(
            args.reference, args.cover, stage=line.update, offset=args.offset, **judging(args)
        )
        if args.report:
            from game.cover.report_html import write_report

            line.update("writing the report", 0.0)
            write_report(result, args.report)
            line.update("writing the report", 1.0)
        if args.video:
            from game.cover.report_video import write_side_by_side

            write_side_by_side(result, args.video, lambda f: line.update("writing the video", f))
    finally:
        line.finish()
    result.timings["total"] = time.monotonic() - started
    to_stdout = args.json == "-"
    out = sys.stderr if to_stdout else sys.stdout
    for text in summary_lines(result):
        print(text, file=out)
    if args.seed_figures:
        from game.cover.seed_figures import seed_figures, seed_lines

        for text in seed_lines(seed_figures(result)):
            print(text, file=out)
    if args.report:
        print(f"report: {args.report}", file=out)
    if args.video:
        print(f"video: {args.video}", file=out)
    if args.json:
        data = json.dumps(result_dict(result), indent=2)
        if to_stdout:
            print(data)
        else:
            atomic_write_text(Path(args.json), data + "\n")
            print(f"json: {args.json}", file=out)
    return 0
