"""Choreography: named moves placed on beats, blended smoothly into a pose track.

`plan_routine` turns song sections into key poses on beats (each section kind gets its
own phrase of moves, repeated, so a chorus is danced the same way every time);
`routine_track` samples the blended poses at 30 fps. Each key pose is hit exactly on its
beat and held briefly, then the body eases into the next one; a small bounce (down on
the beat) and sway (zero on the beat) keep the dancer alive without moving the key poses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.authoring import moves as mv
from game.pose.frame import PoseTrack

FPS = 30.0
MAX_SPEED = 2.4  # height units per second: faster blends give up some of their hold
PEAK_SLOPE = 1.875  # smootherstep's steepest slope
PROXIMITY_SCALE = 0.3  # height units: how strongly a phrase prefers nearby next moves
CALM_KINDS = ("intro", "break")  # sections danced with arm moves only
PHRASE_SOURCE = {"outro": "chorus"}  # sections that repeat another section's phrase


@dataclass(frozen=True)
class Phrase:
    """A stretch of the song danced with one phrase of moves (a song section)."""

    kind: str
    start_beat: int
    beats: int


@dataclass(frozen=True)
class Style:
    """How a level dances: which moves, how often, how bouncy."""

    parts: tuple[str, ...]  # kinds of moves allowed: "arms", "steps", "full"
    step_beats: int  # beats per key pose
    phrase_steps: int = 8  # key poses per phrase before it repeats
    hold: float = 0.3  # fraction of a step a key pose is held after its beat
    bounce: float = 0.008  # pelvis drop on each beat, height units
    sway_deg: float = 1.5  # torso sway between beats


@dataclass(frozen=True)
class Placement:
    """One key pose of a move, hit on `beat`."""

    beat: float
    move: str
    key: int
    pose: np.ndarray


def _reach(a: np.ndarray, b: np.ndarray) -> float:
    """How far the furthest landmark moves from pose `a` to pose `b`."""
    points = mv.landmarks(np.stack([a, b]))[..., :2]
    return float(np.linalg.norm(points[1] - points[0], axis=-1).max())


def _twin(name: str) -> str:
    if name.endswith("_left"):
        return name[: -len("_left")] + "_right"
    if name.endswith("_right"):
        return name[: -len("_right")] + "_left"
    return ""


def _phrase(pool: Sequence[mv.Move], steps: int, rng: np.random.Generator) -> list[tuple[str, int]]:
    """(move name, key index) for each step of a phrase. A one-sided move is often
    answered by its mirror twin, no move follows itself, and moves that start near
    where the last one ended are preferred, so the dance flows."""
    out: list[tuple[str, int]] = []
    previous = ""
    last_pose = mv.NEUTRAL
    names = [m.name for m in pool]
    while len(out) < steps:
        twin = _twin(previous)
        if twin in names and all(twin != n for n, _ in out) and rng.random() < 0.7:
            name = twin
        else:
            choices = [n for n in names if n != previous]
            cost = np.array([_reach(last_pose, mv.MOVES[n].keys[0]) for n in choices])
            weights = np.exp(-cost / PROXIMITY_SCALE)
            name = choices[int(rng.choice(len(choices), p=weights / weights.sum()))]
        move = mv.MOVES[name]
        for key in range(min(move.steps, steps - len(out))):
            out.append((name, key))
            last_pose = move.keys[key]
        previous = name
    return out


def plan_routine(
    phrases: Sequence[Phrase], style: Style, seed: int, end_beat: int | None = None
) -> list[Placement]:
    """Key poses on beats for every phrase, plus the ending pose on `end_beat`."""
    rng = np.random.default_rng(seed)
    pool = mv.moves_for(style.parts)
    calm = mv.moves_for(("arms",)) or pool
    if not pool:
        raise ValueError(f"no moves for parts {style.parts}")
    written: dict[str, list[tuple[str, int]]] = {}
    placements: list[Placement] = []
    for phrase in phrases:
        kind = PHRASE_SOURCE.get(phrase.kind, phrase.kind)
        if kind not in written:
            written[kind] = _phrase(calm if kind in CALM_KINDS else pool, style.phrase_steps, rng)
        steps = written[kind]
        for i in range(phrase.beats // style.step_beats):
            name, key = steps[i % len(steps)]
            beat = phrase.start_beat + i * style.step_beats
            placements.append(Placement(beat, name, key, mv.MOVES[name].keys[key]))
    if end_beat is not None:
        final = mv.MOVES[mv.ENDING_MOVE]
        placements.append(Placement(end_beat, final.name, 0, final.keys[0]))
    return placements


def _smootherstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * x * (x * (6.0 * x - 15.0) + 10.0)


def _holds(
    key_beats: np.ndarray, key_poses: np.ndarray, style: Style, seconds_per_beat: float
) -> np.ndarray:
    """Per key, the fraction of the step to hold it: less when the next key is far,
    so no landmark has to move faster than MAX_SPEED."""
    # Path length of every landmark along each blend (the hands travel on arcs).
    t = np.linspace(0.0, 1.0, 9)[:, None, None]
    blends = key_poses[None, :-1] * (1 - t) + key_poses[None, 1:] * t  # (9, K-1, P)
    points = mv.landmarks(blends.reshape(-1, key_poses.shape[1]))[..., :2]
    points = points.reshape(9, len(key_poses) - 1, *points.shape[1:])
    distance = np.linalg.norm(np.diff(points, axis=0), axis=-1).sum(axis=0).max(axis=-1)
    seconds = np.maximum(np.diff(key_beats) * seconds_per_beat, 1e-9)
    fits = 1.0 - PEAK_SLOPE * distance / (MAX_SPEED * seconds)
    return np.append(np.clip(fits, 0.0, style.hold), style.hold)


def pose_curve(
    placements: Sequence[Placement],
    beats: np.ndarray,
    style: Style,
    seconds_per_beat: float,
) -> np.ndarray:
    """Blended pose vectors (len(beats), len(PARAMS)) at the given beat positions.

    Before the first key the dancer stands in the neutral pose and moves into it
    during the step before; after the last key the pose is held."""
    first = placements[0].beat
    key_beats = np.array([first - style.step_beats] + [p.beat for p in placements], float)
    key_poses = np.stack([mv.NEUTRAL] + [p.pose for p in placements])
    hold = _holds(key_beats, key_poses, style, seconds_per_beat)
    i = np.clip(np.searchsorted(key_beats, beats, side="right") - 1, 0, len(key_beats) - 1)
    j = np.minimum(i + 1, len(key_beats) - 1)
    span = np.maximum(key_beats[j] - key_beats[i], 1e-9)
    u = (beats - key_beats[i]) / span
    w = _smootherstep((u - hold[i]) / (1.0 - hold[i]))
    w = np.where(j == i, 0.0, w)
    poses = key_poses[i] * (1.0 - w[:, None]) + key_poses[j] * w[:, None]
    # Groove: down on every beat, a sway that is zero on the beat.
    fade = np.clip((beats - key_beats[0]) / style.step_beats + 1.0, 0.0, 1.0)
    end_fade = np.clip(key_beats[-1] + 1.0 - beats, 0.0, 1.0)
    life = fade * end_fade
    poses[:, mv.P["root_y"]] += life * style.bounce * (0.5 + 0.5 * np.cos(2 * np.pi * beats))
    sway = life * style.sway_deg * np.sin(np.pi * beats)
    poses[:, mv.P["torso_lean"]] += sway
    poses[:, mv.P["head_tilt"]] += 0.6 * sway
    return poses


def routine_track(
    placements: Sequence[Placement],
    bpm: float,
    offset: float,
    duration: float,
    style: Style,
    fps: float = FPS,
) -> PoseTrack:
    """The routine as a PoseTrack sampled at `fps` from 0 to `duration` seconds."""
    times = np.arange(int(np.floor(duration * fps)) + 1) / fps
    beats = (times - offset) * bpm / 60.0
    lm = mv.landmarks(pose_curve(placements, beats, style, 60.0 / bpm))
    visibility = np.ones(lm.shape[:2], np.float32)
    return PoseTrack(times, lm.astype(np.float32), visibility, mv.ASPECT)


def choreograph(
    phrases: Sequence[Phrase],
    style: Style,
    bpm: float,
    offset: float,
    duration: float,
    seed: int,
    end_beat: int | None = None,
) -> PoseTrack:
    """Plan a routine for `phrases` and render it as a pose track."""
    placements = plan_routine(phrases, style, seed, end_beat)
    return routine_track(placements, bpm, offset, duration, style)
