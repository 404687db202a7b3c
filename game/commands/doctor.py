"""`cover-dance doctor`: check the pose model, cameras, audio and tracking speed, one line each."""

from __future__ import annotations

import argparse
import contextlib
import os
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

import numpy as np

from game.commands import Subcommands
from game.errors import UserError

CAMERA_INDICES = range(4)
READY_FPS = 20.0  # tracking rate needed for fair judging
MEASURE_FRAMES = 60


def register(subparsers: Subcommands) -> None:
    parser = subparsers.add_parser("doctor", help="check camera, pose model, audio and speed")
    parser.add_argument(
        "--clip", type=Path, metavar="PATH",
        help="video of a dancer to measure tracking speed on (default: realdata clip if present)",
    )  # fmt: skip
    parser.add_argument(
        "--model", type=Path, metavar="PATH", help="an official pose_landmarker_*.task file"
    )
    parser.set_defaults(func=run)


def check_model(model: Path | None = None) -> tuple[bool, str]:
    start = time.perf_counter()
    try:
        from game.pose.factory import DEFAULT_ESTIMATOR, library_version, make_estimator, model_file

        make_estimator(model_path=model).close()
        path = model_file(model_path=model)
    except UserError as exc:
        return False, f"pose model: FAILED: {exc}"
    except ImportError as exc:
        return False, f"pose model: FAILED: mediapipe is not installed ({exc})"
    seconds = time.perf_counter() - start
    what = "" if model else "the bundled BlazePose Full, "
    library = f"{DEFAULT_ESTIMATOR} {library_version()}"
    return True, f"pose model: ok ({what}{path}, {library} Tasks API, {seconds:.1f} s)"


def check_cameras() -> tuple[list[int], list[str]]:
    from game.capture.webcam import probe_camera

    found, lines = [], []
    for index in CAMERA_INDICES:
        info = probe_camera(index)
        if info is not None:
            found.append(index)
            lines.append(f"camera {index}: ok ({info.width}x{info.height}, {info.fps:g} fps)")
    if not found:
        tried = f"{CAMERA_INDICES[0]}-{CAMERA_INDICES[-1]}"
        lines.append(f"camera: none opens (tried indices {tried})")
    return found, lines


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Hide C libraries' chatter (ALSA) on file descriptor 2 for a moment."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def check_audio() -> str:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    try:
        import pygame

        with _quiet_stderr():
            pygame.mixer.init()
        freq, _, channels = pygame.mixer.get_init()
        driver = os.environ.get("SDL_AUDIODRIVER", "default")
        pygame.mixer.quit()
    except Exception as exc:  # pygame.error and friends: report, never crash
        return f"audio output: FAILED ({exc})"
    return f"audio output: ok ({freq} Hz, {channels} channels, driver {driver})"


def _measure_frames(clip: Path | None) -> tuple[list[np.ndarray], str]:
    from game.benchmarks import default_realdata
    from game.capture.video import iter_video

    if clip is None:
        candidate = default_realdata() / "mruchus_nat2.mp4"
        clip = candidate if candidate.is_file() else None
    if clip is not None:
        frames = [f.image for f in islice(iter_video(clip), MEASURE_FRAMES)]
        return frames, f"{clip.name}, {frames[0].shape[1]}x{frames[0].shape[0]}"
    rng = np.random.default_rng(0)
    image = rng.integers(0, 255, (720, 1280, 3), dtype=np.uint8)
    return [image] * MEASURE_FRAMES, "synthetic 1280x720 image, no person"


def check_speed(clip: Path | None, model: Path | None = None) -> tuple[float, str]:
    from game.pose.factory import make_players_estimator

    frames, what = _measure_frames(clip)
    estimator = make_players_estimator(1, model)
    try:
        estimator.estimate_players(frames[0], 0.0)  # warm up
        start = time.perf_counter()
        for i, image in enumerate(frames[1:], start=1):
            estimator.estimate_players(image, i / 30)
        fps = (len(frames) - 1) / (time.perf_counter() - start)
    finally:
        estimator.close()
    return fps, f"tracking speed: {fps:.0f} fps ({what})"


def run(args: argparse.Namespace) -> int:
    """Check the model, cameras, audio and speed; print a verdict."""
    model_ok, line = check_model(args.model)
    print(line, flush=True)
    cameras, lines = check_cameras()
    print("\n".join(lines), flush=True)
    audio = check_audio()
    print(audio, flush=True)
    fps = 0.0
    if model_ok:
        fps, line = check_speed(args.clip, args.model)
        print(line, flush=True)
    if not model_ok:
        verdict = "not ready: the pose model does not load"
    elif fps < READY_FPS:
        verdict = f"too slow: {fps:.0f} fps tracked, {READY_FPS:g} needed (close other programs)"
    elif not cameras:
        verdict = "no camera: play a video with --input VIDEO, or watch the bot with --demo"
    else:
        verdict = f"ready: camera {cameras[0]}, {fps:.0f} fps"
    if model_ok and "FAILED" in audio:
        verdict += " (but no sound: check the audio output)"
    print(f"verdict: {verdict}")
    return 0 if model_ok else 1
