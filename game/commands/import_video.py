"""`cover-dance import VIDEO`: make a level from a dance video."""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

from game.authoring.importer import (
    IMPORT_ANGLE_SET,
    ImportOptions,
    import_video,
    plan_import,
)
from game.commands import Subcommands, import_group
from game.commands.options import add_quiet_option
from game.errors import UserError
from game.level.manifest import BPM_RANGE
from game.level.model import MAX_DANCER
from game.pose.skeleton import ANGLE_SETS
from game.terminal_bar import TerminalBar

MIN_FPS, MAX_FPS = 1.0, 240.0  # pose frames a second


def register(subparsers: Subcommands) -> None:
    parser = subparsers.add_parser(
        "import",
        help="make a level from a dance video",
        description="Track the dancer, extract the music, find the beat, and write a level.",
    )
    parser.add_argument("video", type=Path, metavar="VIDEO", help="a dance video with its music")
    parser.add_argument("--start", type=float, default=0.0, help="seconds to skip at the start")
    parser.add_argument("--end", type=float, default=None, help="stop at this time (seconds)")
    parser.add_argument("--title", help="level title (default: the file name)")
    parser.add_argument("--artist", default="", help="artist of the song")
    parser.add_argument("--bpm", type=float, help="tempo, instead of beat tracking")
    parser.add_argument("--offset", type=float, help="first beat, seconds after --start")
    parser.add_argument("--out", type=Path, help="level folder (default: your levels folder)")
    parser.add_argument("--force", action="store_true", help="replace an existing level folder")
    parser.add_argument("--no-video", action="store_true", help="do not keep a copy of the video")
    parser.add_argument(
        "--fps", type=float, default=None, help="pose frames per second (default: every frame)"
    )
    parser.add_argument(
        "--angle-set", choices=list(ANGLE_SETS), default=IMPORT_ANGLE_SET,
        help=f"what the judge compares (default: {IMPORT_ANGLE_SET}, which separates best)",
    )  # fmt: skip
    add_quiet_option(parser)
    import_group.add_arguments(parser)
    parser.set_defaults(func=run)


def check_numbers(args: argparse.Namespace) -> None:
    """Every number option finite and sensible, before any work (one line each)."""
    for option in ("start", "end", "bpm", "offset", "fps"):
        value = getattr(args, option)
        if value is not None and not math.isfinite(value):
            raise UserError(f"--{option} {value}: must be a finite number")
    if args.start < 0:
        raise UserError(f"--start {args.start:g}: must be 0 or more seconds")
    if args.fps is not None and not MIN_FPS <= args.fps <= MAX_FPS:
        raise UserError(f"--fps {args.fps:g}: must be between {MIN_FPS:g} and {MAX_FPS:g}")
    if args.bpm is not None and not BPM_RANGE[0] <= args.bpm <= BPM_RANGE[1]:
        raise UserError(
            f"--bpm {args.bpm:g}: must be between {BPM_RANGE[0]:g} and {BPM_RANGE[1]:g}"
        )
    if args.offset is not None and args.offset < 0:
        raise UserError(f"--offset {args.offset:g}: the first beat cannot come before the start")
    if args.dancer is not None and not 1 <= args.dancer <= MAX_DANCER:
        raise UserError(f"--dancer {args.dancer}: dancers are numbered 1 to {MAX_DANCER}")


def options_of(args: argparse.Namespace) -> ImportOptions:
    title = args.title  # an empty one is refused (check_text), not replaced by the file name
    if title is None and args.dancer is not None:
        title = f"{args.video.stem.replace('_', ' ')} dancer {args.dancer}"
    return ImportOptions(
        start=args.start, end=args.end, title=title, artist=args.artist, bpm=args.bpm,
        offset=args.offset, keep_video=not args.no_video, force=args.force, fps=args.fps,
        angle_set=args.angle_set, dancer=args.dancer,
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from game.capture.request import TrackRequest

    check_numbers(args)
    if args.dancers:
        import_group.check_sheet(args)
    request = TrackRequest.of(args.video, args.fps)  # probed once, for every step below
    if args.dancers:
        return import_group.list_dancers(args, request)
    plan = plan_import(request, args.out, options_of(args))  # checked before any work
    dancer, note = (
        import_group.chosen_dancer(args, request) if args.dancer is not None else (None, "")
    )
    others: list = []
    if args.all_dancers:
        dancer, others, note = import_group.all_dancers(args, request)
    frames = request.frames(args.start, args.end)
    line = TerminalBar(quiet=args.quiet)

    def stage(label: str, fraction: float) -> None:
        if label == "tracking poses":
            line.update(label, fraction, frames, "frames")
        else:
            line.update(label, fraction)

    started = time.monotonic()
    try:
        result = import_video(plan, stage, dancer, others)
    finally:
        line.finish()
    wall = time.monotonic() - started
    meta = result.meta
    found = (
        f"dancer found in {result.frames_seen} of {result.frames} frames ({result.seen_share:.0%})"
    )
    if result.member_shares:  # every member's part, not only dancer 1's
        each = [f"dancer {n} in {share:.0%}" for n, share in enumerate(result.member_shares, 1)]
        found = f"{', '.join(each)} of {result.frames} frames"
    print(
        f"imported {args.video.name}{f' ({note})' if note else ''}: "
        f"{found}, {meta.bpm:.1f} BPM ({result.bpm_source}), "
        f"first beat {meta.offset:.2f} s, {result.windows} windows over {meta.duration:.1f} s, "
        f"{meta.duration / wall:.1f}x real time"
    )
    print(f"wrote {result.folder}")
    return 0
