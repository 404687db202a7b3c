"""`score --seed-figures`: the seed project's three measures of a scored pair, so its users
see the numbers they know beside ours. The cover is lined up as the score lines it up (its
offset or warp, mirrored if the score chose the mirror image); each reference frame with the
dancer in it is compared with the cover's nearest frame, and each measure is the mean of its
per-frame values (as the seed takes it): cosine similarity of the keypoints, cosine after
centring and L2 normalisation, and the mean angle difference over the seed's 9 angles."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from game.cover.run import CoverResult
from game.pose.frame import PoseTrack
from game.pose.skeleton import SEED_ANGLES
from game.scoring.alignment import retime
from game.scoring.comparators import (
    angle_difference,
    cosine_similarity,
    normalized_cosine_similarity,
)

MAX_GAP_S = 0.2  # a reference frame with no cover frame this close is left out


@dataclass(frozen=True)
class SeedFigures:
    cosine: float  # mean cosine similarity, -1..1 (NaN: no frame compared)
    normalized_cosine: float  # mean cosine after L2 normalisation, -1..1
    angle_difference_deg: float  # mean over the frames of the 9 angles' mean difference
    frames: int  # reference frames compared


def aligned_cover(result: CoverResult) -> PoseTrack:
    """The cover on the reference's clock, mirrored as the score judged it."""
    track = result.cover.track
    if result.alignment.mirrored:
        track = track.mirrored()
    return retime(track, result.alignment.warp)


def _mean(values: list[float]) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", category=RuntimeWarning)  # all NaN: NaN
        return float(np.nanmean(values)) if values else float("nan")


def seed_figures(result: CoverResult) -> SeedFigures:
    """The seed's three measures over the aligned pair."""
    reference = result.reference.track
    cover = aligned_cover(result)
    cosines, normalized, angles = [], [], []
    if len(cover):
        for i in np.flatnonzero(result.reference.seen):
            theirs = cover.frame_at(float(reference.times[i]))
            if abs(theirs.time - reference.times[i]) > MAX_GAP_S or not theirs.visibility.any():
                continue
            ours = reference.frame(int(i))
            cosines.append(cosine_similarity(theirs, ours))
            normalized.append(normalized_cosine_similarity(theirs, ours))
            angles.append(_mean(list(angle_difference(theirs, ours, SEED_ANGLES))))
    return SeedFigures(_mean(cosines), _mean(normalized), _mean(angles), len(cosines))


def seed_lines(figures: SeedFigures) -> list[str]:
    """The three measures as `score` prints them."""
    return [
        f"seed figures ({figures.frames} frames compared, aligned as the score):",
        f"  cosine similarity {figures.cosine:.4f}",
        f"  cosine similarity + L2 normalisation {figures.normalized_cosine:.4f}",
        f"  angle difference {figures.angle_difference_deg:.1f} degrees "
        f"(mean over the seed's {len(SEED_ANGLES)} angles)",
    ]
