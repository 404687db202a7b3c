"""The BlazePose skeleton as data: landmark names, bones, mirror pairs and angle sets."""

from __future__ import annotations

from dataclasses import dataclass, replace

LANDMARK_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner", "left_eye", "left_eye_outer",
    "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear",
    "mouth_left", "mouth_right",
    "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow",
    "left_wrist", "right_wrist",
    "left_pinky", "right_pinky",
    "left_index", "right_index",
    "left_thumb", "right_thumb",
    "left_hip", "right_hip",
    "left_knee", "right_knee",
    "left_ankle", "right_ankle",
    "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
)  # fmt: skip
NUM_LANDMARKS = len(LANDMARK_NAMES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(LANDMARK_NAMES)}

NOSE = INDEX["nose"]
L_SHOULDER, R_SHOULDER = INDEX["left_shoulder"], INDEX["right_shoulder"]
L_ELBOW, R_ELBOW = INDEX["left_elbow"], INDEX["right_elbow"]
L_WRIST, R_WRIST = INDEX["left_wrist"], INDEX["right_wrist"]
L_INDEX, R_INDEX = INDEX["left_index"], INDEX["right_index"]
L_HIP, R_HIP = INDEX["left_hip"], INDEX["right_hip"]
L_KNEE, R_KNEE = INDEX["left_knee"], INDEX["right_knee"]
L_ANKLE, R_ANKLE = INDEX["left_ankle"], INDEX["right_ankle"]
L_FOOT, R_FOOT = INDEX["left_foot_index"], INDEX["right_foot_index"]

# Virtual points appended after the 33 landmarks when angles are computed.
MID_SHOULDER = NUM_LANDMARKS
MID_HIP = NUM_LANDMARKS + 1
ABOVE_MID_HIP = NUM_LANDMARKS + 2  # a point straight up (screen) from the hip centre
# Points straight up (screen) from a landmark or from the shoulder centre: with them a
# signed angle gives a limb's direction against the vertical.
UP_FROM: tuple[int, ...] = (
    L_SHOULDER, R_SHOULDER, L_ELBOW, R_ELBOW, L_HIP, R_HIP, L_KNEE, R_KNEE, MID_SHOULDER,
)  # fmt: skip
ABOVE: dict[int, int] = {point: ABOVE_MID_HIP + 1 + k for k, point in enumerate(UP_FROM)}
VIRTUAL_COUNT = 3 + len(UP_FROM)

LEGS: frozenset[int] = frozenset(range(L_HIP, NUM_LANDMARKS))
"""The hips and everything below them (knees, ankles, heels, feet): a player missing one of
them is too close to the camera."""

# The seed's 13 keypoints.
SEED_KEYPOINTS: tuple[int, ...] = (
    NOSE, L_SHOULDER, R_SHOULDER, L_ELBOW, R_ELBOW, L_WRIST, R_WRIST,
    L_HIP, R_HIP, L_KNEE, R_KNEE, L_ANKLE, R_ANKLE,
)  # fmt: skip

BONES: tuple[tuple[int, int], ...] = (
    (L_SHOULDER, R_SHOULDER),
    (L_SHOULDER, L_ELBOW), (L_ELBOW, L_WRIST),
    (R_SHOULDER, R_ELBOW), (R_ELBOW, R_WRIST),
    (L_WRIST, L_INDEX), (R_WRIST, R_INDEX),
    (L_SHOULDER, L_HIP), (R_SHOULDER, R_HIP), (L_HIP, R_HIP),
    (L_HIP, L_KNEE), (L_KNEE, L_ANKLE), (L_ANKLE, L_FOOT),
    (R_HIP, R_KNEE), (R_KNEE, R_ANKLE), (R_ANKLE, R_FOOT),
)  # fmt: skip


def _mirror_permutation() -> tuple[int, ...]:
    """Index map that swaps every left landmark with its right twin."""
    perm = list(range(NUM_LANDMARKS))
    for name, i in INDEX.items():
        for a, b in (("left", "right"), ("right", "left")):
            if a in name:
                perm[i] = INDEX[name.replace(a, b)]
    return tuple(perm)


MIRROR_PERMUTATION: tuple[int, ...] = _mirror_permutation()
MIRROR_PAIRS: tuple[tuple[int, int], ...] = tuple(
    (i, j) for i, j in enumerate(MIRROR_PERMUTATION) if i < j
)


@dataclass(frozen=True)
class AngleSpec:
    """The angle at landmark `vertex` between the rays to `a` and `c`, in degrees (0-180)."""

    name: str
    a: int
    vertex: int
    c: int
    tolerance_deg: float
    """Default tolerance: one standard deviation measured on good cover dancers."""
    signed: bool = False
    """Signed (-180..180): also tells which way the limb bends, e.g. forearm up or down."""

    @property
    def label(self) -> str:
        return self.name.replace("_", " ")


SEED_ANGLES: tuple[AngleSpec, ...] = (
    AngleSpec("nose", L_SHOULDER, NOSE, R_SHOULDER, 9.0),
    AngleSpec("left_elbow", L_SHOULDER, L_ELBOW, L_WRIST, 35.0),
    AngleSpec("right_elbow", R_SHOULDER, R_ELBOW, R_WRIST, 35.0),
    AngleSpec("left_shoulder", L_ELBOW, L_SHOULDER, L_HIP, 26.0),
    AngleSpec("right_shoulder", R_ELBOW, R_SHOULDER, R_HIP, 26.0),
    AngleSpec("left_hip", L_SHOULDER, L_HIP, L_KNEE, 7.0),
    AngleSpec("right_hip", R_SHOULDER, R_HIP, R_KNEE, 7.0),
    AngleSpec("left_knee", L_HIP, L_KNEE, L_ANKLE, 11.0),
    AngleSpec("right_knee", R_HIP, R_KNEE, R_ANKLE, 12.0),
)

EXTENDED_ANGLES: tuple[AngleSpec, ...] = (
    *SEED_ANGLES,
    AngleSpec("left_wrist", L_ELBOW, L_WRIST, L_INDEX, 30.0),
    AngleSpec("right_wrist", R_ELBOW, R_WRIST, R_INDEX, 30.0),
    AngleSpec("left_ankle", L_KNEE, L_ANKLE, L_FOOT, 15.0),
    AngleSpec("right_ankle", R_KNEE, R_ANKLE, R_FOOT, 15.0),
    AngleSpec("torso_lean", MID_SHOULDER, MID_HIP, ABOVE_MID_HIP, 10.0),
    AngleSpec("neck_lean", NOSE, MID_SHOULDER, MID_HIP, 12.0),
)

# The seed's joints as signed angles, plus head and torso lean: an arm bent up and one bent
# down no longer look alike, which is what tells two different dances apart.
SIGNED_ANGLES: tuple[AngleSpec, ...] = (
    AngleSpec("neck_lean", NOSE, MID_SHOULDER, MID_HIP, 12.0, signed=True),
    *(replace(spec, signed=True) for spec in SEED_ANGLES[1:]),
    AngleSpec("torso_lean", MID_SHOULDER, MID_HIP, ABOVE_MID_HIP, 10.0, signed=True),
)

# Every limb's direction against the screen vertical, the torso's and the neck's lean, and
# which way the shoulders face (left shoulder to the right: facing the camera). Two takes of
# a dance in other clothes, at another tempo, agree on these more than on joint bends.
DIRECTION_ANGLES: tuple[AngleSpec, ...] = (
    AngleSpec("neck_lean", NOSE, MID_SHOULDER, MID_HIP, 15.0, signed=True),
    AngleSpec("left_upper_arm", ABOVE[L_SHOULDER], L_SHOULDER, L_ELBOW, 30.0, signed=True),
    AngleSpec("right_upper_arm", ABOVE[R_SHOULDER], R_SHOULDER, R_ELBOW, 30.0, signed=True),
    AngleSpec("left_forearm", ABOVE[L_ELBOW], L_ELBOW, L_WRIST, 45.0, signed=True),
    AngleSpec("right_forearm", ABOVE[R_ELBOW], R_ELBOW, R_WRIST, 45.0, signed=True),
    AngleSpec("left_thigh", ABOVE[L_HIP], L_HIP, L_KNEE, 20.0, signed=True),
    AngleSpec("right_thigh", ABOVE[R_HIP], R_HIP, R_KNEE, 20.0, signed=True),
    AngleSpec("left_shin", ABOVE[L_KNEE], L_KNEE, L_ANKLE, 20.0, signed=True),
    AngleSpec("right_shin", ABOVE[R_KNEE], R_KNEE, R_ANKLE, 20.0, signed=True),
    AngleSpec("torso_lean", MID_SHOULDER, MID_HIP, ABOVE_MID_HIP, 10.0, signed=True),
    AngleSpec("facing", ABOVE[MID_SHOULDER], MID_SHOULDER, L_SHOULDER, 25.0, signed=True),
)

ANGLE_SETS: dict[str, tuple[AngleSpec, ...]] = {
    "seed": SEED_ANGLES,
    "extended": EXTENDED_ANGLES,
    "signed": SIGNED_ANGLES,
    "directions": DIRECTION_ANGLES,
}

# Where to circle an angle that is wrong: the mean of these landmarks.
ANGLE_MARKER: dict[str, tuple[int, ...]] = {
    **{spec.name: (spec.vertex,) for spec in SEED_ANGLES},
    "left_wrist": (L_WRIST,),
    "right_wrist": (R_WRIST,),
    "left_ankle": (L_ANKLE,),
    "right_ankle": (R_ANKLE,),
    "torso_lean": (L_HIP, R_HIP),
    "neck_lean": (L_SHOULDER, R_SHOULDER),
    "left_upper_arm": (L_SHOULDER, L_ELBOW),
    "right_upper_arm": (R_SHOULDER, R_ELBOW),
    "left_forearm": (L_ELBOW, L_WRIST),
    "right_forearm": (R_ELBOW, R_WRIST),
    "left_thigh": (L_HIP, L_KNEE),
    "right_thigh": (R_HIP, R_KNEE),
    "left_shin": (L_KNEE, L_ANKLE),
    "right_shin": (R_KNEE, R_ANKLE),
    "facing": (L_SHOULDER, R_SHOULDER),
}


def angle_set(name: str) -> tuple[AngleSpec, ...]:
    """The angle set called `name`; raises KeyError with the known names."""
    try:
        return ANGLE_SETS[name]
    except KeyError:
        raise KeyError(f"unknown angle set {name!r}; known: {', '.join(ANGLE_SETS)}") from None
