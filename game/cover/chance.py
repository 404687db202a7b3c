"""How far a cover beats chance: the judge's credit, less what random timing would earn.

Two people standing in front of a camera agree on many joints by chance (arms down,
hips straight), and a waist-up clip is judged on loose joints only (elbows 35 degrees,
shoulders 26). So a raw score of 40-50 can mean nothing. Per joint, the *chance credit*
is the mean credit of every reference sample against every cover pose (the cover at a
random moment of its own dance). A window's above-chance similarity is

    sum_j (credit_j - chance_j) / sum_j (1 - chance_j)

over the joints judged there: 1 when every joint is in full credit, 0 at chance level,
and joints the cover matches by chance anyway weigh little (the offset search in align.py
ranks its candidates by the mean over the windows).
"""

from __future__ import annotations

import warnings

import numpy as np

from game.pose.angles import angle_errors
from game.pose.frame import PoseTrack
from game.scoring.judge import Judge
from game.scoring.rules import Judgement, JudgeRules, WindowJudgement

MAX_PAIRS = 400_000  # sample x pose pairs per joint used for the chance estimate


def chance_credit(judge: Judge, cover: PoseTrack) -> np.ndarray:
    """Per joint (J,): mean credit of the charted reference samples against every cover
    pose, as `judge` compares them (mirrored when it mirrors). NaN for a joint either side
    never shows."""
    joints = len(judge.specs)
    reference = judge.reference_samples[judge.charted].reshape(-1, joints)
    reference = reference[np.isfinite(reference).any(axis=1)]
    poses = judge.player_angles(cover.landmarks, cover.visibility)
    poses = poses[np.isfinite(poses).any(axis=1)]
    if len(reference) == 0 or len(poses) == 0:
        return np.full(joints, np.nan)
    stride = max(1, int(np.ceil(len(reference) * len(poses) / MAX_PAIRS)))
    ratios = angle_errors(poses[None, ::stride], reference[:, None]) / judge.tolerances
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)
        return np.nanmean(judge.rules.credit(ratios), axis=(0, 1))


def above_chance(event: WindowJudgement, chance: np.ndarray, rules: JudgeRules) -> float:
    """One window's similarity above chance: 1 = all joints in full credit, 0 = chance."""
    if event.judgement == Judgement.NO_POSE:
        return 0.0
    ratios = np.asarray(event.joint_ratios, np.float64)
    known = np.isfinite(ratios) & np.isfinite(chance) & (chance < 1.0)
    if not known.any():
        return 0.0
    gained = rules.credit(ratios[known]) - chance[known]
    return float(gained.sum() / (1.0 - chance[known]).sum())
