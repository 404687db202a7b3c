"""Build the game from command-line choices: window, audio, input plan, first scene."""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import pygame

from game.app import FPS, SCREEN_SIZE, Game, GameContext, wall_clock
from game.audio.player import open_audio
from game.audio.sfx import SoundEffects
from game.config import Settings
from game.errors import UserError
from game.inputs import InputPlan
from game.play_setup import PlaySetup
from game.scenes.results import ResultsScene

NO_CAMERA = "No camera found: the bot is dancing. Try --camera N, --input VIDEO or --demo."


def check_model(model: Path) -> None:
    """Load `--model` once now, so a bad file is one line at start, not a crash mid-menu."""
    from game.pose.factory import make_estimator

    make_estimator(model_path=model).close()


def choose_plan(
    camera: int | None,
    videos: list[Path],
    demo: bool,
    model: Path | None,
    settings: Settings,
    offsets: Sequence[float] = (),
) -> tuple[InputPlan, str | None]:
    """Camera, videos (with `--camera` too: a camera and a video), or the demo; with no
    camera at all, the demo and a notice saying so. `offsets` place the videos against the
    song by hand (the n-th for the n-th video; the others are lined up by their music)."""
    from game.capture.video import probe_video

    for video in videos:
        probe_video(video)  # a clear CaptureError if it is missing or not a video
    if len(videos) > 2 or (videos and camera is not None and len(videos) > 1):
        raise UserError("at most two inputs: --input A --input B, or --camera N --input A")
    if len(offsets) > len(videos) or (demo and offsets):
        raise UserError("--input-offset places an --input VIDEO: give one per video at most")
    for offset in offsets:
        if not math.isfinite(offset):
            raise UserError(f"--input-offset {offset}: must be a number of seconds")
    if model is not None:
        check_model(model)
    if demo:
        return InputPlan("demo", model=model), None
    if videos and camera is None:
        plan = InputPlan("video", None, tuple(videos), model, tuple(offsets))
        return plan, None
    from game.capture.webcam import probe_camera

    index = settings.camera if camera is None else camera
    if probe_camera(index, timeout=2.0) is None:
        if camera is not None:
            raise UserError(
                f"camera {index} could not be opened; try another --camera, --input VIDEO or --demo"
            )
        print(f"cover-dance: {NO_CAMERA}", file=sys.stderr)
        return InputPlan("demo", model=model), NO_CAMERA
    return InputPlan("camera", index, tuple(videos), model, tuple(offsets)), None


def chosen_parts(setup: PlaySetup, members: Sequence[int]) -> PlaySetup:
    """`setup` with each player on the member given (1-based, P1 first; `play --member N`):
    on a group level, players without one take the next members in turn (a duet, as the
    member pick suggests); UserError for a number the level does not have."""
    level = setup.level
    if not level.members:
        if members:
            raise UserError(
                f"--member {members[0]}: {level.title!r} is not a group level (one dancer); "
                "`cover-dance levels` marks group levels"
            )
        return setup
    count = len(level.members)
    for number in members:
        if not 1 <= number <= count:
            raise UserError(f"--member {number}: {level.title!r} has members 1 to {count}")
    picks = [n - 1 for n in members]
    while len(picks) < setup.players:
        picks.append((picks[-1] + 1) % count if picks else 0)
    return replace(setup, level=level.with_member(picks[0]), parts=tuple(picks))


def build_game(
    plan: InputPlan,
    players: int,
    notice: str | None,
    level: str | None,
    frames: int | None = None,
    straight: bool = False,
    members: Sequence[int] = (),
    learn: bool = False,
    loop: tuple[str, float] | None = None,
) -> Game:
    """The game at the title screen, or at `level` in level select; `straight`: at `level`'s
    song itself (no menus), a group level's players on `members` (1-based, see
    `chosen_parts`). `learn`: learn mode; `loop`: (`--loop A:B`, speed): the A-B loop of those
    bars instead of the song (straight away, or over level select)."""
    from game.scenes.level_select import LevelSelectScene
    from game.scenes.title import TitleScene

    settings = Settings.load()
    pygame.init()
    flags = pygame.FULLSCREEN | pygame.SCALED if settings.fullscreen else pygame.SCALED
    with warnings.catch_warnings():  # a headless display has no fast renderer: no matter
        warnings.filterwarnings("ignore", "no fast renderer available")
        try:
            screen = pygame.display.set_mode(SCREEN_SIZE, flags)
        except pygame.error:  # no renderer to scale with (a headless display's second game)
            screen = pygame.display.set_mode(SCREEN_SIZE)
    pygame.display.set_caption("Cover Dance Trainer")
    ctx = GameContext(
        screen=screen,
        now=wall_clock,
        settings=settings,
        audio=open_audio(wall_clock),
        sfx=SoundEffects(),
        plan=plan,
        notice=notice,
        default_players=players,
        saves_plays=plan.kind != "demo",  # the bot's plays are not the player's best
    )
    if plan.kind == "camera":  # open it now: menus can then be worked by hand (scenes/hand.py)
        ctx.inputs.open_camera(players)
    first = TitleScene(ctx)
    game = Game(ctx, first)
    if level is not None:
        select = LevelSelectScene(ctx)
        ctx.stack.push(select)
        names = [lv.id for lv in select.levels] + [lv.title for lv in select.levels]
        if level not in names:
            raise UserError(f"no level called {level!r}; see `cover-dance levels`")
        select.index = names.index(level) % len(select.levels)
        setup = select.setup()
        if setup is None and (learn or loop or straight):
            raise UserError(select.load_problem or f"level {level!r} cannot be played")
        if learn and setup is not None:  # `play --level NAME --learn` with the camera
            learner = replace(setup, players=1)  # a group level: your member first
            ctx.push(*(("member_pick", learner, "learn") if setup.level.members
                       else ("learn", learner)))  # fmt: skip
        elif loop is not None and setup is not None:
            from game.scenes.loop import LoopScene
            from game.timing.loop import bar_count, parse_loop

            span = parse_loop(loop[0], bar_count(setup.level.grid))
            ctx.stack.push(LoopScene(ctx, setup, span, loop[1]))
        elif straight and setup is not None:
            from game.scenes.play import PlayScene

            ctx.stack.push(PlayScene(ctx, chosen_parts(setup, members)))
    return game


SCORECARD_S = 6.0  # how long `run_straight` shows the scorecard before it exits


def run_straight(game: Game) -> list[str]:
    """Play the song on top, show its scorecard for SCORECARD_S, then end (`play --level
    NAME` with the demo or a video: no menus, no keys needed). Returns the result in words
    (`result_lines`; nothing when the song was left before its end)."""
    clock = pygame.time.Clock()
    ctx = game.ctx
    shown_since: float | None = None
    lines: list[str] = []
    while game.frame(pygame.event.get()):
        pygame.display.flip()
        clock.tick(FPS)
        top = ctx.stack.top
        if isinstance(top, ResultsScene):
            if shown_since is None:
                shown_since, lines = ctx.now(), result_lines(top, ctx.inputs.plan.label)
            if ctx.now() - shown_since >= SCORECARD_S:
                break
        elif top is None or top.name not in ("play", "pause"):
            break  # left the song some other way (quit from pause): stop here
    game.close()
    return lines


def run_loop(game: Game, passes: int) -> Iterator[str]:
    """Loop on top (`play --level NAME --loop A:B` with the demo or a video): yields each
    pass's line (`pass N: <counts>`) as it ends, and ends the game after `passes`."""
    from game.scenes.loop import LoopScene

    clock = pygame.time.Clock()
    ctx = game.ctx
    told = 0
    try:
        while game.frame(pygame.event.get()):
            pygame.display.flip()
            clock.tick(FPS)
            top = ctx.stack.top
            loop = top if isinstance(top, LoopScene) else None
            if loop is None:
                if top is None or top.name not in ("pause", "replay"):
                    break  # left the loop some other way
                continue
            while told < min(passes, len(loop.passes)):
                yield loop.passes[told].line
                told += 1
            if told >= passes:
                break
    finally:
        game.close()


def result_lines(results: ResultsScene, danced_by: str) -> list[str]:
    """The scorecard in words, as `cover-dance score` prints a result: per player the score
    line (score, grade, counts) and the missed segments with what to change."""
    from game.scoring.summary_text import missed_lines, score_line

    setup = results.setup
    two = len(results.summaries) > 1
    parts = [setup.part_name(player) for player in range(len(results.summaries))]
    if any(parts):
        who = ", ".join(f"P{p + 1} {name}" if two else str(name) for p, name in enumerate(parts))
        lines = [f"{setup.level.title} ({who}): {danced_by}"]
    else:
        lines = [f"{setup.level.title}: {danced_by}"]
    for player, (summary, judged) in enumerate(zip(results.summaries, results.events,
                                                   strict=True)):  # fmt: skip
        who = f"P{player + 1} " if two else ""
        lines.append(who + score_line(summary, setup.difficulty, setup.level.grid.window_seconds))
        specs = setup.level_for(player).angle_specs
        lines += [who + line for line in missed_lines(summary, judged, specs,
                                                      setup.player_mirrored)]  # fmt: skip
    return lines
