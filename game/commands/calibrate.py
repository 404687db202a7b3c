"""`cover-dance calibrate`: the calibration study behind the judge's constants."""

from __future__ import annotations

import argparse
from pathlib import Path

from game.commands import Subcommands
from game.commands.options import add_quiet_option
from game.errors import UserError
from game.pose.skeleton import ANGLE_SETS
from game.scoring.rules import DEFAULT_DIFFICULTY, DIFFICULTIES
from game.terminal_bar import TerminalBar

DEFAULT_REALDATA = Path(__file__).resolve().parents[2].parent / "shared" / "realdata"


def register(subparsers: Subcommands) -> None:
    parser = subparsers.add_parser(
        "calibrate",
        help="judge real covers and wrong dances: the evidence behind the judge",
        description="Judges every true cover pair and every unrelated pair of the real clips "
        "at every difficulty and angle set, and prints the share of windows GOOD or better "
        "and the grades side by side, then the constants derived from them.",
    )
    parser.add_argument("--realdata", type=Path, default=DEFAULT_REALDATA, metavar="DIR",
                        help="folder of the real clips (default: ../shared/realdata)")  # fmt: skip
    parser.add_argument("--angle-set", action="append", choices=list(ANGLE_SETS),
                        help="angle sets to study (repeatable; default: all)")  # fmt: skip
    parser.add_argument("--pairs", action="store_true", help="also list every pair")
    parser.add_argument("--no-groups", action="store_true",
                        help="leave out the group clips' dancers against each other (tracking "
                        "them takes a few minutes the first time)")  # fmt: skip
    add_quiet_option(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from game.authoring.importer import IMPORT_ANGLE_SET
    from game.calibration.pairs import load_pairs
    from game.calibration.study import (
        joint_spread,
        motion_thresholds,
        pair_lines,
        pose_threshold,
        run_study,
        table_lines,
    )
    from game.calibration.teaching import (
        LONG_SONG_WINDOWS,
        bot_pairs,
        long_song_lines,
        teach,
        teaching_lines,
    )

    if not (args.realdata / "renegade_a.mp4").is_file():
        raise UserError(f"{args.realdata}: the real clips are not there (see --realdata)")
    line = TerminalBar(quiet=args.quiet)
    try:
        pairs = load_pairs(args.realdata, line.update, groups=not args.no_groups)
    finally:
        line.finish()
    sets = args.angle_set or list(ANGLE_SETS)
    results = run_study(pairs, sets, list(DIFFICULTIES))
    print("Share of windows GOOD or better (%) and grades, per pair kind:")
    for text in table_lines(results):
        print(text)
    # Teaching is studied on the set imported levels use, the bot (autoplay) included.
    taught_on = IMPORT_ANGLE_SET if IMPORT_ANGLE_SET in sets else sets[0]
    bots = run_study(bot_pairs(pairs), [taught_on], list(DIFFICULTIES))
    teaching = [teach(r) for r in [*results, *bots] if r.angle_set == taught_on]
    print(f"\nTeaching ({taught_on}): stretches passed at 1x by the pass rule, % per pair "
          "(min, median) and whole songs passed:")  # fmt: skip
    for text in teaching_lines(teaching):
        print(text)
    print(f"Whole songs at a real song's length ({LONG_SONG_WINDOWS} windows strung from each "
          "kind's verdicts), passed at 1x:")  # fmt: skip
    for text in long_song_lines([t.result for t in teaching]):
        print(text)
    normal = [r for r in results if r.difficulty == DEFAULT_DIFFICULTY]
    if args.pairs:
        print(f"\nEvery pair ({sets[0]}, normal):")
        for text in pair_lines([r for r in normal if r.angle_set == sets[0]]):
            print(f"  {text}")
    derive_on = taught_on  # the judge's thresholds too: the set levels and covers use
    thresholds = motion_thresholds([r for r in normal if r.angle_set == derive_on])
    print(f"\nMotion agreement reached by 20 / 10 / 5% of a wrong dance's windows "
          f"(easy / normal / hard GOOD thresholds; {derive_on}):")  # fmt: skip
    print("  " + ", ".join(f"{k} {v:.2f}" for k, v in thresholds.items()))
    pose = pose_threshold([r for r in normal if r.angle_set == derive_on])
    if pose is not None:
        print(f"Mean joint ratio only 10% of a wrong dance's windows get under (the GOOD pose "
              f"rule; {derive_on}): {pose:.2f}")  # fmt: skip
    print("\nJoint spread over true covers (75th percentile of window errors, degrees):")
    for name in sets:
        spread = joint_spread([r for r in normal if r.angle_set == name])
        print(f"  {name}: " + ", ".join(f"{k} {v:.0f}" for k, v in spread.items()))
    return 0
