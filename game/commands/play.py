"""`cover-dance play`: open the game window."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
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
    parser.add_argument("--demo", action="store_true", help="no camera: the bot dances")
    parser.add_argument("--players", type=int, choices=(1, 2), default=1)
    parser.add_argument("--level", metavar="NAME", help="jump to this level in level select")
    parser.add_argument(
        "--model", type=Path, metavar="PATH", help="an official pose_landmarker_*.task file"
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from game.config import Settings
    from game.launch import build_game, choose_plan

    two_inputs = len(args.input) + (args.camera is not None and bool(args.input)) > 1
    players = 2 if two_inputs else args.players
    plan, notice = choose_plan(args.camera, args.input, args.demo, args.model, Settings.load())
    game = build_game(plan, players, notice, args.level)
    game.run()
    return 0
