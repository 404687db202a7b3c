"""`cover-dance play`: open the game window."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from game.commands import Subcommands
from game.errors import UserError

if TYPE_CHECKING:
    from game.level.model import Level


def register(subparsers: Subcommands) -> None:
    parser = subparsers.add_parser(
        "play", help="open the game (camera, a recorded video, or the demo bot)"
    )
    parser.add_argument("--camera", type=int, metavar="N", help="camera index (default: settings)")
    parser.add_argument(
        "--input",
        type=Path,
        action="append",
        default=[],
        metavar="VIDEO",
        help="a recorded cover used as the camera (twice for two players)",
    )
    parser.add_argument(
        "--input-offset", type=float, action="append", default=[], metavar="S",
        help="the video's time = the song's time + S seconds (once per --input, in order); "
        "by default each video is lined up with the song by its own music",
    )  # fmt: skip
    parser.add_argument("--demo", action="store_true", help="no camera: the bot dances")
    parser.add_argument("--players", type=int, choices=(1, 2), default=1)
    parser.add_argument(
        "--level", metavar="NAME",
        help="jump to this level in level select; with --demo or --input, play its song "
        "straight away, print the score and missed segments, and exit",
    )  # fmt: skip
    parser.add_argument(
        "--member", type=int, action="append", default=[], metavar="N",
        help="a group level played straight away: the member you dance (twice for a duet of "
        "two players, P1 first; `cover-dance levels` marks group levels)",
    )  # fmt: skip
    parser.add_argument(
        "--model", type=Path, metavar="PATH", help="an official pose_landmarker_*.task file"
    )
    parser.add_argument(
        "--record", type=Path, metavar="FILE.mp4",
        help="record the song you play (game view and song audio)",
    )  # fmt: skip
    parser.add_argument(
        "--learn", action="store_true",
        help="learn the --level section by section (with --demo or --input: runs by itself "
        "and prints one line per section)"
    )  # fmt: skip
    parser.add_argument(
        "--loop", metavar="A:B",
        help="with --level: loop bars A to B (1-based, inclusive), each pass judged; with "
        "--demo or --input it prints one line per pass and exits after --passes",
    )  # fmt: skip
    parser.add_argument(
        "--speed", metavar="S", help="with --loop: 0.25 to 1 in steps of 0.05 (default 1)"
    )
    parser.add_argument(
        "--passes", type=int, default=3, metavar="N",
        help="with --loop and --demo or --input: passes before it exits (default 3)",
    )  # fmt: skip
    parser.set_defaults(func=run)


def check_members(args: argparse.Namespace, players: int) -> None:
    """`--member` once per player at most, and only with `--level`."""
    if not args.member:
        return
    if args.level is None:
        raise UserError("--member N goes with --level NAME (a group level)")
    if len(args.member) > players:
        raise UserError(
            f"--member given {len(args.member)} times: once per player, two at most (a duet)"
        )


def run_learn_headless(args: argparse.Namespace, plan: object) -> int:
    """`--learn` with the demo or a video: the course run through, a line per step."""
    from game.config import Settings
    from game.launch import chosen_parts
    from game.learn_run import learn_headless
    from game.play_setup import PlaySetup

    level = chosen_level(args, None)
    setup = PlaySetup(level, Settings.load().difficulty, level.meta.mirror)
    learn_headless(chosen_parts(setup, args.member), plan,  # type: ignore[arg-type]
                   lambda line: print(line, flush=True))  # fmt: skip
    return 0


def chosen_level(args: argparse.Namespace, loop: tuple[str, float] | None) -> Level:
    """The `--level` named, loaded, with its `--loop` bars and `--member`s checked against it:
    a one-line UserError before any camera, window or audio is opened."""
    from game.launch import chosen_parts
    from game.level.library import load_named
    from game.level.manifest import LevelError
    from game.play_setup import PlaySetup
    from game.scoring.rules import DEFAULT_DIFFICULTY
    from game.timing.loop import bar_count, parse_loop

    try:
        level = load_named(args.level)
    except LevelError as exc:
        raise UserError(exc.problems[0]) from None
    if loop is not None:
        parse_loop(loop[0], bar_count(level.grid))
    chosen_parts(PlaySetup(level, DEFAULT_DIFFICULTY, False, len(args.member) or 1), args.member)
    return level


def loop_choice(args: argparse.Namespace) -> tuple[str, float] | None:
    """`--loop A:B` (its bars checked once the level is known) and `--speed`; a bad value is
    a one-line UserError naming the option."""
    from game.timing.loop import parse_speed

    if args.loop is None:
        if args.speed is not None:
            raise UserError("--speed S: only with --loop A:B")
        return None
    if args.level is None:
        raise UserError("--loop A:B: needs --level NAME")
    if args.passes < 1:
        raise UserError(f"--passes {args.passes}: at least 1")
    return args.loop, parse_speed(args.speed) if args.speed is not None else 1.0


def run(args: argparse.Namespace) -> int:
    from game.config import Settings
    from game.launch import build_game, choose_plan

    loop = loop_choice(args)
    two_inputs = len(args.input) + (args.camera is not None and bool(args.input)) > 1
    players = 2 if two_inputs or len(args.member) == 2 else args.players
    check_members(args, players)
    if args.level is not None:
        chosen_level(args, loop)  # a wrong name or a broken level: one line, nothing opened
    recorder = None
    if args.record is not None:
        from game.recording import TakeRecorder, check_target

        check_target(args.record)  # a bad path is one line before any window opens
    plan, notice = choose_plan(
        args.camera, args.input, args.demo, args.model, Settings.load(), args.input_offset
    )
    chose_no_camera = args.demo or bool(args.input) or args.record is not None
    straight = args.level is not None and chose_no_camera and plan.kind != "camera"
    if args.member and not straight:
        raise UserError(
            "--member picks a group level's member for a song played straight away: give it "
            "with --level NAME and --demo or --input VIDEO (with a camera, pick in the game)"
        )
    if args.learn and args.level is None:
        raise UserError("--learn needs --level NAME")
    if args.learn and straight:
        return run_learn_headless(args, plan)
    game = build_game(plan, players, notice, args.level, straight=straight, members=args.member,
                      learn=args.learn, loop=loop)  # fmt: skip
    if args.record is not None:
        recorder = TakeRecorder(args.record)
        game.ctx.recorder = recorder
    try:
        if straight and loop is not None:
            from game.launch import run_loop

            for line in run_loop(game, args.passes):
                print(line, flush=True)
        elif straight:
            from game.launch import run_straight

            for line in run_straight(game):
                print(line)
        else:
            game.run()
    finally:
        if recorder is not None:
            saved = recorder.close()  # writes the take (a progress line); a failure is one line
            if saved is not None:
                dropped = f", {recorder.dropped} not taken" if recorder.dropped else ""
                print(
                    f"recorded {saved}: {recorder.played_s:.1f} s of song "
                    f"({recorder.frames} frames taken{dropped})"
                )
    return 1 if recorder is not None and recorder.error else 0
