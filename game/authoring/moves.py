"""Named dance moves as key poses, and the body that turns a pose into 33 landmarks.

A pose is a vector of joint parameters (`PARAMS`), interpolated smoothly between keys;
`landmarks(poses)` turns poses into BlazePose landmarks by forward kinematics for the
upper body and two-bone IK for the legs, so bones keep their length however a move
blends into the next. Coordinates are height units in a square frame (`ASPECT` = 1),
the dancer facing the camera: their left side has the larger x.

Arm angles are relative to the torso and to the side: shoulder 0 = arm hanging down,
90 = out to the side, 180 = straight up, negative = across the body. Elbow and wrist
angles add to that: +90 bends the forearm outward/up, -90 inward/down.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.pose.skeleton import INDEX, NUM_LANDMARKS

ASPECT = 1.0
FLOOR_Y = 0.94  # y of the soles
STAGE_X = ASPECT / 2

# Body proportions in frame heights (a dancer about 0.74 of the frame tall).
ANKLE_HEIGHT = 0.028
SHIN = 0.18
THIGH = 0.18
HIP_HALF = 0.065
TORSO = 0.215
SHOULDER_HALF = 0.085
NECK = 0.05
UPPER_ARM = 0.135
FOREARM = 0.11
HAND = 0.065
LEG_STRAIGHT = 0.995  # legs never lock fully straight, so the knee always knows its way

PARAMS: tuple[str, ...] = (
    "root_x",  # pelvis shift from the stage centre (+x = dancer's left)
    "root_y",  # pelvis drop (a knee bend), + = down
    "pelvis_tilt",  # degrees, + = left hip up
    "torso_lean",  # degrees, + = upper body leans to +x
    "head_tilt",  # degrees relative to the torso
    "l_shoulder", "l_elbow", "l_elbow_roll", "l_wrist",
    "r_shoulder", "r_elbow", "r_elbow_roll", "r_wrist",
    "l_foot_x", "r_foot_x",  # ankle x from the stage centre
    "l_foot_lift", "r_foot_lift",  # ankle raised off the floor
    "l_reach", "r_reach",  # 0..1: hand brought forward toward the camera (depth only)
)  # fmt: skip
P: dict[str, int] = {name: i for i, name in enumerate(PARAMS)}

NEUTRAL_VALUES: dict[str, float] = {
    "l_shoulder": 12.0, "l_elbow": -8.0, "l_wrist": 0.0,
    "r_shoulder": 12.0, "r_elbow": -8.0, "r_wrist": 0.0,
    "l_foot_x": 0.075, "r_foot_x": -0.075,
}  # fmt: skip
_SIGNED = ("root_x", "pelvis_tilt", "torso_lean", "head_tilt")


def pose(**values: float) -> np.ndarray:
    """A pose vector: the neutral stance with `values` changed.

    Elbows are given signed (+ bends outward/up, - inward/down); they are stored as a
    flex and a roll (0 or 180 degrees), so a blend from one to the other swings the
    forearm through the depth, as a real arm rotating at the shoulder does."""
    unknown = set(values) - set(PARAMS)
    if unknown:
        raise ValueError(f"unknown pose parameters: {', '.join(sorted(unknown))}")
    vector = np.zeros(len(PARAMS))
    for name, value in {**NEUTRAL_VALUES, **values}.items():
        vector[P[name]] = value
    for k in ("l", "r"):
        if f"{k}_elbow_roll" not in values and vector[P[f"{k}_elbow"]] < 0:
            vector[P[f"{k}_elbow"]] *= -1
            vector[P[f"{k}_elbow_roll"]] = 180.0
    return vector


NEUTRAL = pose()


def mirror_pose(vector: np.ndarray) -> np.ndarray:
    """The same pose done with the other side of the body."""
    out = vector.copy()
    for name in PARAMS:
        if name.startswith("l_"):
            right = "r_" + name[2:]
            out[..., P[name]], out[..., P[right]] = vector[..., P[right]], vector[..., P[name]]
    for name in _SIGNED:
        out[..., P[name]] = -vector[..., P[name]]
    out[..., P["l_foot_x"]] = -vector[..., P["r_foot_x"]]
    out[..., P["r_foot_x"]] = -vector[..., P["l_foot_x"]]
    return out


# ---------------------------------------------------------------- the body


def _direction(angle_deg: np.ndarray, side: float, lean_rad: np.ndarray) -> np.ndarray:
    """Image-plane unit vector for a side-relative limb angle, turned with the torso."""
    a = np.radians(angle_deg)
    x, y = side * np.sin(a), np.cos(a)
    c, s = np.cos(lean_rad), np.sin(lean_rad)
    return np.stack([c * x - s * y, s * x + c * y], axis=-1)


def _turn(vec: np.ndarray, degrees: np.ndarray | float, side: float) -> np.ndarray:
    """Rotate (N, 2) image vectors by side-relative `degrees` (as limb angles grow)."""
    a = np.radians(degrees)
    c, sn = np.cos(a), side * np.sin(a)
    return np.stack([c * vec[:, 0] + sn * vec[:, 1], -sn * vec[:, 0] + c * vec[:, 1]], -1)


def _two_bone_ik(
    root: np.ndarray, target: np.ndarray, first: float, second: float, pole: np.ndarray
) -> np.ndarray:
    """Middle joint of a two-bone chain from `root` reaching toward `target`, bending
    toward `pole`. Arrays are (N, 3); the reach is clamped to the chain's length."""
    axis = target - root
    dist = np.linalg.norm(axis, axis=-1, keepdims=True)
    dist = np.clip(dist, abs(first - second) + 1e-6, (first + second) * 0.9999)
    unit = axis / np.maximum(np.linalg.norm(axis, axis=-1, keepdims=True), 1e-9)
    along = (first**2 - second**2 + dist**2) / (2 * dist)
    height = np.sqrt(np.maximum(first**2 - along**2, 0.0))
    bend = pole - (pole * unit).sum(-1, keepdims=True) * unit
    bend /= np.maximum(np.linalg.norm(bend, axis=-1, keepdims=True), 1e-9)
    return root + unit * along + bend * height


def landmarks(poses: np.ndarray) -> np.ndarray:
    """(N, len(PARAMS)) poses -> (N, 33, 3) landmarks in height units."""
    poses = np.atleast_2d(poses)
    n = poses.shape[0]
    out = np.zeros((n, NUM_LANDMARKS, 3))
    g = {name: poses[:, i] for i, name in enumerate(PARAMS)}

    def put(name: str, xy: np.ndarray, z: np.ndarray | float = 0.0) -> None:
        out[:, INDEX[name], :2] = xy
        out[:, INDEX[name], 2] = z

    # Feet on the floor (or lifted), the pelvis as high as the planted legs allow.
    ankles = {}
    for side in ("left", "right"):
        lift = g[f"{side[0]}_foot_lift"]
        ankles[side] = np.stack(
            [STAGE_X + g[f"{side[0]}_foot_x"], FLOOR_Y - ANKLE_HEIGHT - lift, np.zeros(n)], -1
        )
    tilt = np.radians(g["pelvis_tilt"])
    hip_axis = np.stack([np.cos(tilt), -np.sin(tilt)], -1) * HIP_HALF
    px = STAGE_X + g["root_x"]
    reach = (THIGH + SHIN) * LEG_STRAIGHT
    drop = np.zeros(n)
    for side, s in (("left", 1.0), ("right", -1.0)):
        dx = ankles[side][:, 0] - (px + s * hip_axis[:, 0])
        height = np.sqrt(np.maximum(reach**2 - dx**2, 0.0)) + s * hip_axis[:, 1]
        # A foot carries weight as it touches down: blend, so the pelvis never jumps.
        weight = np.clip(1.0 - g[f"{side[0]}_foot_lift"] / 0.03, 0.0, 1.0)
        drop = np.maximum(drop, weight * (reach - height))
    py = FLOOR_Y - ANKLE_HEIGHT - reach + drop + g["root_y"]
    pelvis = np.stack([px, py], -1)

    for side, s in (("left", 1.0), ("right", -1.0)):
        hip = np.concatenate([pelvis + s * hip_axis, np.zeros((n, 1))], -1)
        pole = np.array([s * 0.45, 0.0, -1.0])
        knee = _two_bone_ik(hip, ankles[side], THIGH, SHIN, np.broadcast_to(pole, (n, 3)))
        ankle = ankles[side]
        put(f"{side}_hip", hip[:, :2])
        put(f"{side}_knee", knee[:, :2], knee[:, 2])
        put(f"{side}_ankle", ankle[:, :2])
        put(f"{side}_heel", ankle[:, :2] + [s * 0.004, 0.022], 0.03)
        put(f"{side}_foot_index", ankle[:, :2] + [s * 0.022, 0.03], -0.09)

    lean = np.radians(g["torso_lean"])
    up = np.stack([np.sin(lean), -np.cos(lean)], -1)
    across = np.stack([np.cos(lean), np.sin(lean)], -1)
    mid_shoulder = pelvis + TORSO * up
    shoulders = {"left": mid_shoulder + SHOULDER_HALF * across}
    shoulders["right"] = mid_shoulder - SHOULDER_HALF * across

    for side, s in (("left", 1.0), ("right", -1.0)):
        k = side[0]
        flex = np.radians(g[f"{k}_elbow"])
        roll = np.radians(g[f"{k}_elbow_roll"])
        w = g[f"{k}_wrist"]
        r = g[f"{k}_reach"]
        shoulder = shoulders[side]
        upper = _direction(g[f"{k}_shoulder"], s, lean)
        # The forearm bends in the image plane (roll 0 or 180) or toward the camera.
        fore = np.cos(flex)[:, None] * upper + (np.sin(flex) * np.cos(roll))[:, None] * _turn(
            upper, 90.0, s
        )
        fore_z = -np.sin(flex) * np.abs(np.sin(roll)) * FOREARM
        elbow = shoulder + UPPER_ARM * upper
        wrist = elbow + FOREARM * fore
        ez, wz = -0.06 * r, -0.2 * r + fore_z
        put(f"{side}_shoulder", shoulder)
        put(f"{side}_elbow", elbow, ez)
        put(f"{side}_wrist", wrist, wz)
        put(f"{side}_index", wrist + HAND * _turn(fore, w - 6, s), wz - 0.02)
        put(f"{side}_pinky", wrist + 0.85 * HAND * _turn(fore, w + 10, s), wz - 0.01)
        put(f"{side}_thumb", wrist + 0.55 * HAND * _turn(fore, w - 35, s), wz - 0.03)

    head_angle = lean + np.radians(g["head_tilt"])
    head_up = np.stack([np.sin(head_angle), -np.cos(head_angle)], -1)
    head_across = np.stack([np.cos(head_angle), np.sin(head_angle)], -1)
    neck = mid_shoulder + NECK * up

    def face(name: str, across_off: float, up_off: float, z: float) -> None:
        put(name, neck + across_off * head_across + up_off * head_up, z)

    face("nose", 0.0, 0.035, -0.1)
    for side, s in (("left", 1.0), ("right", -1.0)):
        face(f"{side}_eye_inner", s * 0.009, 0.05, -0.09)
        face(f"{side}_eye", s * 0.017, 0.051, -0.09)
        face(f"{side}_eye_outer", s * 0.025, 0.05, -0.085)
        face(f"{side}_ear", s * 0.043, 0.042, -0.03)
        face(f"mouth_{side}", s * 0.014, 0.016, -0.09)
    return out


# ---------------------------------------------------------------- the move library


@dataclass(frozen=True)
class Move:
    """A named move: one key pose per step (a step is one or two beats, by level)."""

    name: str
    parts: str  # "arms" (legs still), "steps" (feet move) or "full" (whole body)
    keys: tuple[np.ndarray, ...]

    @property
    def steps(self) -> int:
        return len(self.keys)


def _both(shoulder: float, elbow: float, wrist: float = 0.0, **rest: float) -> dict[str, float]:
    return {
        "l_shoulder": shoulder, "l_elbow": elbow, "l_wrist": wrist,
        "r_shoulder": shoulder, "r_elbow": elbow, "r_wrist": wrist, **rest,
    }  # fmt: skip


def _arms(
    left: tuple[float, float, float], right: tuple[float, float, float], **rest: float
) -> dict[str, float]:
    return {
        "l_shoulder": left[0], "l_elbow": left[1], "l_wrist": left[2],
        "r_shoulder": right[0], "r_elbow": right[1], "r_wrist": right[2], **rest,
    }  # fmt: skip


HIP_HAND = (45.0, -115.0, 10.0)  # a hand on the hip
DOWN = (10.0, -8.0, 0.0)
WIDE = 0.14  # foot x for a wide stance

# Moves done with one side of the body; a mirrored "_right" twin is added for each.
_SIDED: dict[str, tuple[str, tuple[dict[str, float], ...]]] = {
    "wave": ("arms", (
        _arms((100, 45, 20), (20, -30, 0), head_tilt=6),
        _arms((80, -50, -20), (60, 40, 10), head_tilt=-4),
    )),
    "point": ("arms", (
        _arms((135, 0, 0), HIP_HAND, head_tilt=8),
        _arms((135, 0, 0), HIP_HAND, head_tilt=8, torso_lean=4),
    )),
    "diagonal": ("arms", (
        _arms((130, 0, 0), (55, 0, 0), torso_lean=-3),
        _arms((130, 0, 0), (55, 0, 0), torso_lean=-3, head_tilt=6),
    )),
    "punch_up": ("arms", (
        _arms((170, -5, 0), (8, -6, 0), head_tilt=-5),
        _arms((65, -125, 0), (8, -6, 0)),
    )),
    "side_step": ("steps", (
        _arms((85, -5, 10), (30, -115, 0), root_x=0.045, l_foot_x=0.16, r_foot_x=-0.01,
              r_reach=0.4),
        _arms((40, -30, 0), (40, -30, 0), root_x=0.03, l_foot_x=0.16, r_foot_x=0.09),
    )),
    "hip_sway": ("steps", (
        _arms(HIP_HAND, (150, -15, 0), root_x=0.035, torso_lean=-9, pelvis_tilt=-6,
              l_foot_x=0.09, r_foot_x=-0.09),
        _arms(HIP_HAND, (120, -30, 0), root_x=0.035, torso_lean=-9, pelvis_tilt=-6,
              l_foot_x=0.09, r_foot_x=-0.09, root_y=0.02),
    )),
    "step_touch": ("steps", (
        _arms((70, -90, 0), (70, -90, 0), l_foot_x=0.15, l_foot_lift=0.02, root_x=-0.01,
              r_foot_x=-0.07),
        _arms((25, -20, 0), (25, -20, 0), l_foot_x=0.075, r_foot_x=-0.075, root_y=0.015),
    )),
    "lunge": ("full", (
        _arms((115, 0, 0), (15, -10, 0), root_x=0.05, root_y=0.045, torso_lean=6,
              l_foot_x=0.17, r_foot_x=-0.1, head_tilt=6),
        _arms((125, -20, 20), (40, -100, 0), root_x=0.05, root_y=0.055, torso_lean=8,
              l_foot_x=0.17, r_foot_x=-0.1, head_tilt=6),
    )),
    "kick": ("full", (
        _arms((150, 10, 0), (150, 10, 0), l_foot_x=0.12, l_foot_lift=0.09, r_foot_x=-0.05,
              root_x=-0.02, torso_lean=-5),
        _arms((75, -105, 0), (75, -105, 0), l_foot_x=0.075, r_foot_x=-0.075, root_y=0.025),
    )),
}  # fmt: skip

_SYMMETRIC: dict[str, tuple[str, tuple[dict[str, float], ...]]] = {
    "arms_up_v": ("arms", (_both(150, 0, 0), _both(150, 0, 0, head_tilt=5))),
    "clap": ("arms", (
        _both(28, -118, 0, l_reach=0.8, r_reach=0.8),
        _both(36, -108, 10, l_reach=0.8, r_reach=0.8),
    )),
    "heart": ("arms", (_both(145, 95, 20), _both(145, 95, 20, head_tilt=-7))),
    "goalpost": ("arms", (_both(90, 90, 0), _both(90, 80, 20))),
    "airplane": ("arms", (_both(90, 0, 0), _both(95, -10, 15))),
    "body_roll": ("full", (
        _both(25, -95, 0, root_y=0.03, torso_lean=10, root_x=-0.02, l_foot_x=0.1, r_foot_x=-0.1,
              l_reach=0.4, r_reach=0.4),
        _both(25, -95, 0, root_y=0.03, torso_lean=-10, root_x=0.02, l_foot_x=0.1, r_foot_x=-0.1,
              l_reach=0.4, r_reach=0.4),
    )),
    "squat_shrug": ("full", (
        _both(60, 100, 0, root_y=0.06, l_foot_x=WIDE, r_foot_x=-WIDE),
        _both(45, 120, 0, root_y=0.03, l_foot_x=WIDE, r_foot_x=-WIDE),
    )),
    "star": ("full", (
        _both(130, 5, 0, l_foot_x=WIDE + 0.02, r_foot_x=-WIDE - 0.02),
        _both(130, 5, 0, l_foot_x=WIDE + 0.02, r_foot_x=-WIDE - 0.02, root_y=0.03),
    )),
    "finale": ("full", (
        _arms((145, 95, 20), (100, -10, 0), head_tilt=10, torso_lean=-4, root_x=0.02,
              l_foot_x=0.12, r_foot_x=-0.06),
    )),
}  # fmt: skip


def _build_library() -> dict[str, Move]:
    library: dict[str, Move] = {}
    for name, (parts, keys) in _SYMMETRIC.items():
        library[name] = Move(name, parts, tuple(pose(**k) for k in keys))
    for name, (parts, keys) in _SIDED.items():
        left = tuple(pose(**k) for k in keys)
        library[f"{name}_left"] = Move(f"{name}_left", parts, left)
        library[f"{name}_right"] = Move(f"{name}_right", parts, tuple(map(mirror_pose, left)))
    return library


MOVES: dict[str, Move] = _build_library()
ENDING_MOVE = "finale"


def moves_for(parts: tuple[str, ...]) -> list[Move]:
    """The moves using only the given kinds of motion ("arms", "steps", "full"),
    in a fixed order, the ending pose left out."""
    return [m for name, m in sorted(MOVES.items()) if m.parts in parts and name != ENDING_MOVE]
