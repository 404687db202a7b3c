"""A dance teacher's words for one joint off the coach: which way, without degrees.

`cue_for(spec, coach, offset)` turns the coach's angle and the player's signed error
(player minus coach, degrees) into a `Cue`: "{who} up, not out to the side", "bend your {who}
more", "turn side-on". `coaching.py` adds the counts ("on 5-6") and picks the cues.

A limb direction is read as the angle from straight up, positive outward for the player's
own side (`outward`), and named from a small vocabulary (`ARM_WORDS`, `LEG_WORDS`,
`FOOT_WORDS`). Coach and player in different words: "right arm up, not out to the side";
in the same words: a small correction, "right arm a little higher". More than 90 degrees
off is a different move, not a matter of degrees: "a different move with your right arm:
watch the coach". Sides are the player's own for someone facing the camera.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from game.pose.skeleton import AngleSpec

DIFFERENT_MOVE_DEG = 90.0  # a limb this far off is on another move
TURNED_AROUND_DEG = 120.0  # a facing this far off is the other way round
OTHER_WAY_DEG = 20.0  # a signed joint bent this far both ways is bent the wrong way
STRAIGHT_DEG = 8.0  # a torso or head leaning less than this stands straight
SMALL_DEG = 45.0  # a correction within one word smaller than this is "a little"

LIMB = 0  # limbs and bends come first,
BODY = 1  # then facing and the torso,
HEAD = 2  # then the head.

PLURALS = {"arm": "arms", "forearm": "forearms", "leg": "legs", "knee": "knees",
           "foot": "feet", "elbow": "elbows", "hip": "hips", "wrist": "wrists",
           "ankle": "ankles"}  # fmt: skip

# (the highest outward angle of the bucket, noun, the coach's words, the player's words):
# the first bucket whose bound is at least the angle names it. Angles run -180..180 from
# straight up, positive outward; negative is across the body.
Words = tuple[tuple[float, str, str, str], ...]
ARM_WORDS: Words = (
    (-157.5, "", "down", "down"),
    (-112.5, "", "down across your body", "down across your body"),
    (-67.5, "", "across your body", "across your body"),
    (-22.5, "", "up across your body", "up across your body"),
    (22.5, "", "up", "up"),
    (67.5, "", "up and out", "up and out"),
    (112.5, "", "out to the side", "out to the side"),
    (157.5, "", "down and out", "down and out"),
    (180.0, "", "down", "down"),
)
LEG_WORDS: Words = (
    (-165.0, "leg", "under you", "down"),
    (-60.0, "leg", "crossed", "crossed"),
    (60.0, "knee", "high", "lifted high"),
    (125.0, "knee", "up", "lifted"),
    (165.0, "leg", "out to the side", "out to the side"),
    (180.0, "leg", "under you", "down"),
)
FOOT_WORDS: Words = (
    (-155.0, "foot", "under your {knee}", "under your {knee}"),
    (-100.0, "foot", "kicked across", "kicked across"),
    (100.0, "foot", "kicked up", "kicked up"),
    (155.0, "foot", "kicked out", "kicked out"),
    (180.0, "foot", "under your {knee}", "under your {knee}"),
)
LIMBS = {"upper_arm": ("arm", ARM_WORDS), "forearm": ("forearm", ARM_WORDS),
         "shoulder": ("arm", ARM_WORDS), "thigh": ("leg", LEG_WORDS),
         "hip": ("leg", LEG_WORDS), "shin": ("foot", FOOT_WORDS)}  # fmt: skip
BENDS = ("elbow", "knee", "wrist", "ankle")
HEAD_JOINTS = ("neck_lean", "nose")


@dataclass(frozen=True)
class Cue:
    """What to change, as a template: {who} is the side and noun ("right arm", or "arms"
    for both sides), {it} "it" or "them", {knee} "knee" or "knees"."""

    side: str  # "left", "right" or "" (facing, torso, head, or both sides)
    noun: str  # what the player moves: "arm", "elbow", "head"
    text: str  # "{who} up, not out to the side"
    rank: int = LIMB  # LIMB, BODY or HEAD: the order cues are given in
    watch: bool = False  # "...: watch the coach on 5-6" (no comma before the counts)
    plural: bool = False  # both sides at once
    target: str = ""  # where the coach's limb is ("{who} up"), when the cue names it

    def words(self) -> str:
        """The cue without its counts."""
        noun = PLURALS.get(self.noun, self.noun) if self.plural else self.noun
        who = f"{self.side} {noun}".strip()
        it, knee = ("them", "knees") if self.plural else ("it", "knee")
        return self.text.format(who=who, it=it, knee=knee)

    def line(self, when: str = "") -> str:
        """The cue with its counts ("on 5-6"), if given."""
        if not when:
            return self.words()
        return f"{self.words()}{' ' if self.watch else ', '}{when}"


def wrap(angle: float) -> float:
    """An angle in -180..180."""
    return (angle + 180.0) % 360.0 - 180.0


def side_of(name: str) -> str:
    return next((s for s in ("left", "right") if name.startswith(s + "_")), "")


def outward(spec: AngleSpec, angle: float) -> float:
    """A limb's angle from straight up, positive outward for the player's own side.

    `directions` limbs are measured from straight up, positive towards the image's right,
    where a player facing the camera has their left side. The seed's shoulder (elbow,
    shoulder, hip: 0 = arm down) and hip (shoulder, hip, knee: 180 = leg down) are measured
    from the torso; unsigned, they are taken to point outward."""
    name = spec.name.removeprefix(side_of(spec.name) + "_")
    flip = -1.0 if side_of(spec.name) == "right" else 1.0
    if not spec.signed:
        angle = abs(wrap(angle))  # 0..180
        return 180.0 - angle if name == "shoulder" else angle
    return wrap(180.0 - angle * flip) if name == "shoulder" else wrap(angle * flip)


def _bucket(words: Words, angle: float) -> tuple[float, str, str, str]:
    return next(b for b in words if angle <= b[0])


def _limb(spec: AngleSpec, coach: float, offset: float) -> Cue:
    side = side_of(spec.name)
    noun, words = LIMBS[spec.name.removeprefix(side + "_")]
    if abs(offset) > DIFFERENT_MOVE_DEG:
        return Cue(side, noun, "a different move with your {who}: watch the coach", watch=True)
    c = outward(spec, coach)
    p = outward(spec, coach + offset)
    _, c_noun, c_words, _ = _bucket(words, c)
    _, p_noun, p_same, p_words = _bucket(words, p)
    if c_words != p_same and not c_noun == p_noun == "knee":  # a knee lifted: how high
        target = f"{{who}} {c_words}"
        return Cue(side, c_noun or noun, f"{target}, not {p_words}", target=target)
    up = math.cos(math.radians(c)) - math.cos(math.radians(p))  # > 0: the coach's is higher
    out = math.sin(math.radians(c)) - math.sin(math.radians(p))  # > 0: the coach's further out
    if abs(up) >= abs(out):
        way = "higher" if up > 0 else "lower"
        noun = "knee" if noun == "leg" else noun
    else:
        across = -157.5 < c < -22.5  # the coach's limb crosses the body
        way = "further out" if out > 0 else ("further across" if across else "further in")
    little = "a little " if abs(offset) < SMALL_DEG else ""
    return Cue(side, noun, f"{{who}} {little}{way}")


def _bend(spec: AngleSpec, coach: float, offset: float) -> Cue:
    """A joint bend: 180 (or -180 for a signed one) is straight."""
    side = side_of(spec.name)
    noun = spec.name.removeprefix(side + "_")
    player = wrap(coach + offset)
    bent_both = min(180 - abs(coach), 180 - abs(player)) > OTHER_WAY_DEG
    if spec.signed and bent_both and (coach > 0) != (player > 0):
        return Cue(side, noun, "bend your {who} the other way")
    gap = abs(player) - abs(coach) if spec.signed else offset  # > 0: straighter than the coach
    little = " a little" if abs(gap) < SMALL_DEG / 2 else ""
    if noun == "ankle":  # the foot against the shin: straighter is a pointed foot
        verb = "flex" if gap > 0 else "point"
        return Cue(side, "foot", f"{verb} your {{who}}{little} more")
    if gap > 0:
        return Cue(side, noun, f"bend your {{who}}{little} more")
    return Cue(side, noun, f"straighten your {{who}}{little}")


def _facing(coach: float, offset: float) -> Cue:
    """The shoulders' line: 90 faces the camera, -90 turns the back to it, 0 or 180 is
    side-on."""

    def way(angle: float) -> str:
        sine = math.sin(math.radians(angle))
        return "front" if sine > 0.7 else ("back" if sine < -0.7 else "side")

    player = coach + offset
    if abs(offset) >= TURNED_AROUND_DEG:
        return Cue("", "", "face the other way", BODY)
    c, p = way(coach), way(player)
    if c != p:
        text = {"front": "turn to face the front", "back": "turn to face the back"}
        return Cue("", "", text.get(c, "turn side-on"), BODY)
    if abs(math.sin(math.radians(player))) < abs(math.sin(math.radians(coach))):
        return Cue("", "", "turn a little more to the front", BODY)
    return Cue("", "", "turn a little more side-on", BODY)


def _lean(spec: AngleSpec, coach: float, offset: float) -> Cue:
    """The torso's lean (0 = upright) or the head's against the shoulders (180 = upright);
    signed: positive leans towards the image's right, the player's left."""
    head = spec.name != "torso_lean"
    rank, verb = (HEAD, "tilt your head") if head else (BODY, "lean")
    straight = "hold your head up straight" if head else "stand up straight"
    if not spec.signed:  # how far, not which way
        off = offset < 0 if head else offset > 0
        return Cue("", "", straight if off else f"{verb} further, like the coach", rank)
    c = -wrap(coach - 180.0) if head else -coach  # > 0: towards the player's left
    p = -wrap(coach + offset - 180.0) if head else -(coach + offset)
    if abs(c) < STRAIGHT_DEG:
        return Cue("", "", straight, rank)
    to = "left" if c > 0 else "right"
    if p * c <= 0 or abs(p) < STRAIGHT_DEG:
        return Cue("", "", f"{verb} to your {to}", rank)
    if abs(p) < abs(c):
        return Cue("", "", f"{verb} further to your {to}", rank)
    return Cue("", "", f"{verb} a little less to your {to}", rank)


def timing_cue(spec: AngleSpec) -> Cue:
    """Off as much one way as the other: the shape comes at the wrong moment."""
    side = side_of(spec.name)
    name = spec.name.removeprefix(side + "_")
    noun = LIMBS[name][0] if name in LIMBS else name
    if name in ("torso_lean", "neck_lean", "nose", "facing"):
        what = {"torso_lean": "lean", "facing": "turn"}.get(name, "move your head")
        return Cue("", "", f"{what} with the coach", rank_of(spec))
    return Cue(side, noun, "{who}: move {it} with the coach", rank_of(spec))


def rank_of(spec: AngleSpec) -> int:
    """LIMB, BODY or HEAD: limbs and bends first, the head last."""
    name = spec.name.removeprefix(side_of(spec.name) + "_")
    if name in HEAD_JOINTS:
        return HEAD
    return BODY if name in ("facing", "torso_lean") else LIMB


def cue_for(spec: AngleSpec, coach: float, offset: float) -> Cue:
    """What to change for one joint, the coach's angle there being `coach` and the player's
    `coach + offset` (degrees)."""
    name = spec.name.removeprefix(side_of(spec.name) + "_")
    if name in LIMBS:
        return _limb(spec, coach, offset)
    if name in BENDS:
        return _bend(spec, coach, offset)
    if name == "facing":
        return _facing(coach, offset)
    if name in ("torso_lean", "neck_lean"):
        return _lean(spec, coach, offset)
    if name == "nose":  # the angle at the nose between the shoulders: larger = head lower
        return Cue("", "", "lift your head" if offset > 0 else "lower your head", HEAD)
    return Cue("", "", f"watch the coach's {spec.label}", rank_of(spec))
