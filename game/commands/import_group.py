"""`cover-dance import VIDEO --dancers` / `--dancer N`: group videos, one member at a time."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from game.errors import UserError
from game.level.model import MAX_MEMBERS
from game.pose.frame import PoseTrack
from game.terminal_bar import TerminalBar

if TYPE_CHECKING:  # the group tracker (and scipy) load only when a group is imported
    from game.capture.group.result import GroupTracks
    from game.capture.request import TrackRequest


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--dancers", action="store_true",
        help="a group video: list the dancers found (numbered left to right) and write a "
        "contact sheet; writes no level",
    )  # fmt: skip
    group.add_argument(
        "--all-dancers", action="store_true",
        help="a group video: one level holding every dancer's part (pick the member, or dance "
        "duets, in level select)",
    )  # fmt: skip
    group.add_argument(
        "--dancer", type=int, metavar="N", help="a group video: follow dancer N (see --dancers)"
    )
    parser.add_argument(
        "--sheet", type=Path, metavar="PNG", help="where --dancers writes the contact sheet"
    )


def track_dancers(request: TrackRequest, line: TerminalBar) -> tuple[GroupTracks, bool]:
    """Every dancer of the whole video (tracked once, then from the cache)."""
    from game.capture.cache import cached_group_tracks

    frames = request.frames()

    def progress(fraction: float) -> None:
        line.update("tracking dancers", fraction, frames, "frames")

    try:
        group, cached = cached_group_tracks(request, progress)
    finally:
        line.finish()
    if group.count == 0:
        raise UserError(f"{request.video}: no dancer found")
    return group, cached


SHOW_SHEET_PROGRESS_S = 60.0  # the sheets of a longer clip show their progress

CONSISTENCY_NOTE = (
    "look consistency: the share of a dancer's moments that look like them (head, upper and "
    "lower body colours) rather than like another dancer; 1.00 = one person throughout, "
    "about 0.50 = two dancers swapped half-way"
)


def describe(group: GroupTracks) -> list[str]:
    """One line per dancer: `dancer N: seen in S% of the clip ..., look consistency C`."""
    seen = group.seen()
    check = group.consistency()
    lines = []
    for d, share in enumerate(group.shares()):
        first = float(group.times[seen[d]][0]) if seen[d].any() else 0.0
        lines.append(
            f"dancer {d + 1}: seen in {share:.0%} of the clip"
            + (f", from {first:.1f} s" if first > 0.5 else "")
            + f", {consistency_text(check.figures[d], check.alike[d])}"
        )
    return lines


def consistency_text(figure: float | None, alike: tuple[int, ...]) -> str:
    if figure is not None:
        return f"look consistency {figure:.2f}"
    if alike:
        names = " and ".join(str(d + 1) for d in alike)
        return f"look consistency not measured (dressed like dancer {names})"
    return "look consistency not measured (too little seen)"


def strip_notes(group: GroupTracks) -> list[list[str]]:
    check = group.consistency()
    notes = []
    for d, share in enumerate(group.shares()):
        figure = check.figures[d]
        shown = f"{figure:.2f}" if figure is not None else "-"
        notes.append([f"seen {share:.0%}", f"consistency {shown}"])
    return notes


def default_sheet(video: Path) -> Path:
    from game.capture.cache import group_cache_dir

    return group_cache_dir() / "sheets" / f"{video.stem}-dancers.png"


def strips_path(sheet: Path) -> Path:
    """The member strips beside the contact sheet: `NAME-members.png` for `NAME.png`."""
    stem = sheet.stem.removesuffix("-dancers")
    return sheet.with_name(f"{stem}-members.png")


def check_sheet(args: argparse.Namespace) -> None:
    """`--sheet PNG` must name a file in a folder that exists; one line, before tracking."""
    if args.sheet is None:
        return
    if args.sheet.is_dir():
        raise UserError(f"--sheet {args.sheet}: is a folder; give a file name (NAME.png)")
    if not args.sheet.parent.is_dir():
        raise UserError(f"--sheet {args.sheet}: the folder {args.sheet.parent} does not exist")


def list_dancers(args: argparse.Namespace, request: TrackRequest) -> int:
    from game.capture.group.sheet import write_contact_sheet, write_member_strips

    group, _ = track_dancers(request, TerminalBar(quiet=args.quiet))
    print(f"{args.video.name}: {group.count} dancer{'s' if group.count != 1 else ''}, "
          f"numbered left to right")  # fmt: skip
    print("\n".join(describe(group)))
    print(f"({CONSISTENCY_NOTE})")
    out = args.sheet or default_sheet(args.video)
    strips = strips_path(out)
    long_clip = len(group.times) > 0 and float(group.times[-1]) > SHOW_SHEET_PROGRESS_S
    line = TerminalBar(quiet=args.quiet or not long_clip)  # a short clip's take a moment
    try:
        write_contact_sheet(args.video, group, out,
                            lambda f: line.update("writing the sheets", f / 2))  # fmt: skip
        write_member_strips(args.video, group, strips, strip_notes(group),
                            lambda f: line.update("writing the sheets", 0.5 + f / 2))  # fmt: skip
    except OSError as exc:
        raise UserError(f"{out}: could not write the contact sheet ({exc})") from None
    finally:
        line.finish()
    print(f"contact sheet: {out}")
    print(f"member strips: {strips} (a row per dancer over time: a swap shows as a row that "
          f"changes person)")  # fmt: skip
    return 0


def chosen_dancer(args: argparse.Namespace, request: TrackRequest) -> tuple[PoseTrack, str]:
    """Dancer `args.dancer`'s pose track and a note for the summary; UserError if no such."""
    group, cached = track_dancers(request, TerminalBar(quiet=args.quiet))
    n = args.dancer
    if not 1 <= n <= group.count:
        found = ", ".join(f"{d + 1} ({share:.0%} seen)" for d, share in enumerate(group.shares()))
        raise UserError(
            f"--dancer {n}: {args.video.name} has {group.count} dancer"
            f"{'s' if group.count != 1 else ''}: {found} (see --dancers)"
        )
    note = f"dancer {n} of {group.count}" + (", tracking from the cache" if cached else "")
    return group.track(n), note


def all_dancers(
    args: argparse.Namespace, request: TrackRequest
) -> tuple[PoseTrack, list[PoseTrack], str]:
    """Every dancer's track (dancer 1 first) and a note for the summary."""
    group, cached = track_dancers(request, TerminalBar(quiet=args.quiet))
    tracks = [group.track(n) for n in range(1, group.count + 1)]
    if len(tracks) < 2:
        raise UserError(f"--all-dancers: {args.video.name} has one dancer: import it without it")
    if len(tracks) > MAX_MEMBERS:
        raise UserError(
            f"--all-dancers: {args.video.name} has {group.count} dancers, a level holds at "
            f"most {MAX_MEMBERS}: import them one at a time (--dancer N)"
        )
    note = f"all {group.count} dancers" + (", tracking from the cache" if cached else "")
    return tracks[0], tracks[1:], note
