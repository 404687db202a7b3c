"""Coaching in words: what to change in a missed stretch, from the judge's signed errors.

Each wrong joint's signed error (player minus coach, `WindowJudgement.joint_offsets`) and
the coach's angle there (`reference_angles`) say which way the player is off:

- a limb direction (`directions` set: the angle from straight up, positive towards the
  image's right) is off upwards/downwards or outwards/inwards, whichever is larger:
  "left arm higher, 40° too low", "right forearm further out, 30° too far in";
- a joint bend (elbow, knee, hip, wrist, ankle: 180 = straight) is bent too much or too
  little: "left elbow: bend it more, 35° too straight";
- a shoulder angle (seed set: 0 = arm down) is an arm too low or too high;
- the facing, the torso's and the head's lean: "face the other way", "lean more to your right";
- a joint off as much one way as the other (the mean signed error under half the mean
  error) has the right shape at the wrong moment: "left forearm: move it in time with the coach".

Sides are the player's own for someone facing the camera. `mirrored` says the player's
landmarks were mirrored before judging (`Judge.mirror`, a cover scored mirrored): the
joint called "left" was then the player's right, so left and right swap in the words.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from game.pose.angles import circular_mean
from game.pose.skeleton import AngleSpec
from game.scoring.rules import Judgement, WindowJudgement
from game.scoring.score import MissedSegment

LIMB_WORDS = {"upper_arm": "arm", "forearm": "forearm", "thigh": "knee", "shin": "shin"}
PLURALS = {"arm": "arms", "forearm": "forearms", "knee": "knees", "shin": "shins"}
BENDS = ("elbow", "knee", "hip", "wrist", "ankle")
TURNED_AROUND_DEG = 120.0  # a facing this far off is the other way round
TIMING_SHARE = 0.5  # a mean signed error below this share of the mean error: off in time
OTHER_WAY_DEG = 20.0  # a signed joint bent this far both ways is bent the wrong way


@dataclass(frozen=True)
class Advice:
    side: str  # "left", "right" or "" (head, torso, facing)
    noun: str  # what the player moves: "arm", "elbow", "head"
    text: str  # "{who} higher", "{who}: bend it more" ({who} = side and noun)
    detail: str  # "40° too low"
    degrees: float

    def line(self) -> str:
        who = f"{self.side} {self.noun}".strip()
        text = self.text.format(who=who)
        return f"{text}, {self.detail}" if self.detail else text


def _deg(value: float) -> str:
    return f"{round(abs(value)):d}°"


def _wrap(angle: float) -> float:
    return (angle + 180.0) % 360.0 - 180.0


def _side(name: str) -> str:
    return next((s for s in ("left", "right") if name.startswith(s + "_")), "")


def _limb(spec: AngleSpec, coach: float, offset: float) -> Advice:
    """A limb direction from straight up (positive: towards the image's right)."""
    side = _side(spec.name)
    noun = LIMB_WORDS[spec.name.removeprefix(side + "_")]
    player = coach + offset
    c, p = math.radians(coach), math.radians(player)
    up = math.cos(p) - math.cos(c)  # > 0: the player's limb points higher
    out = (math.sin(p) - math.sin(c)) * (1.0 if side == "left" else -1.0)  # > 0: further out
    size = _deg(offset)
    if abs(up) >= abs(out):
        if up < 0:
            return Advice(side, noun, "{who} higher", f"{size} too low", abs(offset))
        return Advice(side, noun, "{who} lower", f"{size} too high", abs(offset))
    if out < 0:
        return Advice(side, noun, "{who} further out", f"{size} too far in", abs(offset))
    return Advice(side, noun, "{who} further in", f"{size} too far out", abs(offset))


def _bend(spec: AngleSpec, coach: float, offset: float) -> Advice:
    """A joint bend: 180 (or -180 for a signed one) is straight."""
    side = _side(spec.name)
    noun = spec.name.removeprefix(side + "_")
    player = _wrap(coach + offset)
    bent_both = min(180 - abs(coach), 180 - abs(player)) > OTHER_WAY_DEG
    if spec.signed and bent_both and np.sign(coach) != np.sign(player):
        return Advice(side, noun, "{who}: bend it the other way", "", abs(offset))
    gap = abs(player) - abs(coach) if spec.signed else offset  # > 0: straighter than the coach
    if gap > 0:
        return Advice(side, noun, "{who}: bend it more", f"{_deg(gap)} too straight", abs(gap))
    return Advice(side, noun, "{who}: straighten it", f"{_deg(gap)} too bent", abs(gap))


def _shoulder(spec: AngleSpec, coach: float, offset: float) -> Advice:
    """The seed's shoulder angle, elbow-shoulder-hip: 0 = arm down, 180 = arm up."""
    side = _side(spec.name)
    gap = abs(_wrap(coach + offset)) - abs(coach) if spec.signed else offset
    if gap < 0:
        return Advice(side, "arm", "{who} higher", f"{_deg(gap)} too low", abs(gap))
    return Advice(side, "arm", "{who} lower", f"{_deg(gap)} too high", abs(gap))


def _facing(coach: float, offset: float) -> Advice:
    player = coach + offset
    if abs(offset) >= TURNED_AROUND_DEG:
        return Advice("", "body", "face the other way", "", abs(offset))
    if abs(math.sin(math.radians(player))) < abs(math.sin(math.radians(coach))):
        return Advice("", "body", "turn to face the front more", f"{_deg(offset)} off", abs(offset))
    return Advice("", "body", "turn more side-on", f"{_deg(offset)} off", abs(offset))


def _lean(spec: AngleSpec, offset: float) -> Advice:
    noun, verb = ("head", "tilt your head") if spec.name != "torso_lean" else ("torso", "lean")
    if spec.signed:  # negative: the player leans further to their left than the coach
        way, off = ("right", "left") if offset < 0 else ("left", "right")
        detail = f"{_deg(offset)} too far {off}"
        return Advice("", noun, f"{verb} more to your {way}", detail, abs(offset))
    straight = offset < 0 if noun == "head" else offset > 0  # head: 180 upright; torso: 0
    text = "hold your head straighter" if noun == "head" else "stand up straighter"
    if not straight:
        text = f"{verb} more"
    return Advice("", noun, text, f"{_deg(offset)} off", abs(offset))


def _timing(spec: AngleSpec, error: float) -> Advice:
    """Off as much one way as the other: the shape comes at the wrong moment."""
    side = _side(spec.name)
    name = spec.name.removeprefix(side + "_")
    noun = LIMB_WORDS.get(name, name.replace("_", " "))
    return Advice(side, noun, "{who}: move it in time with the coach", f"{_deg(error)} off", error)


def advice_for(spec: AngleSpec, coach: float, offset: float) -> Advice:
    """What to change for one joint, the coach's angle there being `coach` and the player's
    `coach + offset` (degrees)."""
    name = spec.name.removeprefix(_side(spec.name) + "_")
    if name in LIMB_WORDS:
        return _limb(spec, coach, offset)
    if name in BENDS:
        return _bend(spec, coach, offset)
    if name == "shoulder":
        return _shoulder(spec, coach, offset)
    if name == "facing":
        return _facing(coach, offset)
    if name in ("torso_lean", "neck_lean"):
        return _lean(spec, offset)
    if name == "nose":  # the angle at the nose between the shoulders: larger = head lower
        text = "lift your head" if offset > 0 else "lower your head"
        return Advice("", "head", text, f"{_deg(offset)} off", abs(offset))
    return Advice("", spec.label, "{who}", f"{_deg(offset)} off", abs(offset))


def _merge(advice: list[Advice]) -> list[Advice]:
    """Both sides with the same advice become one line: "arms higher"."""
    out: list[Advice] = []
    for item in advice:
        twin = next((a for a in out if a.noun == item.noun and a.text == item.text
                     and {a.side, item.side} == {"left", "right"}), None)  # fmt: skip
        if twin is None or " it" in item.text or item.noun not in PLURALS:
            out.append(item)
            continue
        degrees = (twin.degrees + item.degrees) / 2
        detail = re.sub(r"^\d+°", _deg(degrees), twin.detail)
        out[out.index(twin)] = Advice("", PLURALS[item.noun], item.text, detail, degrees)
    return out


def _swap_sides(text: str) -> str:
    return re.sub(r"\b(left|right)\b", lambda m: "right" if m[1] == "left" else "left", text)


def coaching_lines(
    events: Sequence[WindowJudgement],
    specs: Sequence[AngleSpec],
    mirrored: bool = False,
    max_lines: int = 3,
) -> list[str]:
    """Short advice for a stretch of windows (a missed segment): for the joints wrong most
    often (worst first), which way to change them, from the mean signed error over the
    windows where each was wrong."""
    judged = [e for e in events if e.judgement != Judgement.NO_POSE and e.joint_offsets]
    if not judged:
        return []
    ratios = np.array([e.joint_ratios for e in judged], np.float64)
    offsets = np.array([e.joint_offsets for e in judged], np.float64)
    coach = np.array([e.reference_angles for e in judged], np.float64)
    wrong = (np.nan_to_num(ratios, nan=0.0) > 1.0) & np.isfinite(offsets) & np.isfinite(coach)
    mean_ratio = np.where(wrong, ratios, 0.0).sum(axis=0) / np.maximum(wrong.sum(axis=0), 1)
    order = sorted((j for j in range(len(specs)) if wrong[:, j].any()),
                   key=lambda j: (-wrong[:, j].sum(), -mean_ratio[j]))  # fmt: skip
    errors = np.array([e.joint_errors for e in judged], np.float64)
    advice = []
    for j in order:
        rows = wrong[:, j]
        offset = float(circular_mean(offsets[rows, j], axis=0))
        angle = float(circular_mean(coach[rows, j], axis=0))
        if abs(offset) < TIMING_SHARE * float(errors[rows, j].mean()):
            advice.append(_timing(specs[j], float(errors[rows, j].mean())))
        else:
            advice.append(advice_for(specs[j], angle, offset))
    lines = [a.line() for a in _merge(advice)[:max_lines]]
    return [_swap_sides(line) for line in lines] if mirrored else lines


def segment_coaching(
    segment: MissedSegment,
    events: Sequence[WindowJudgement],
    specs: Sequence[AngleSpec],
    mirrored: bool = False,
    max_lines: int = 3,
) -> list[str]:
    """`coaching_lines` for the windows of one missed segment (what the scorecard shows)."""
    inside = [e for e in events if segment.first_window <= e.window <= segment.last_window]
    return coaching_lines(inside, specs, mirrored, max_lines)
