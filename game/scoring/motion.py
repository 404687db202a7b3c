"""Motion agreement: do two dancers move their limbs the same way at the same time?

The reference's and the player's limb points (`game.pose.motion`) are sampled at the same
moments over a stretch of the song. Each point's path, less its mean place over the stretch,
is the *movement shape*: where the limb goes and comes back, whatever pose it is held in.
The agreement is the cosine between the two shapes, all points and samples together: 1 =
every limb moves the same way, in proportion; 0 = unrelated movement; negative = the
opposite way. Points either side does not show are left out. (Velocities, the steps from
one sample to the next, say the same but amplify the tracker's jitter: on the real clips
they separate real covers from wrong dances less well; see `cover-dance calibrate`.)
"""

from __future__ import annotations

import numpy as np


def velocities(points: np.ndarray) -> np.ndarray:
    """(..., K, P) sampled points -> (..., K-1, P) steps between samples."""
    return np.diff(points, axis=-2)


def movement_shape(points: np.ndarray) -> np.ndarray:
    """(..., K, P) sampled points -> the same, less each point's mean over the K samples
    (an unseen sample stays NaN)."""
    seen = np.isfinite(points)
    count = seen.sum(axis=-2, keepdims=True)
    total = np.where(seen, points, 0.0).sum(axis=-2, keepdims=True)
    return points - total / np.maximum(count, 1)


def motion_agreement(reference: np.ndarray, player: np.ndarray) -> np.ndarray:
    """Cosine of two sequences (..., S, P) over their last two axes, counting only what both
    show (they broadcast); NaN when either side shows nothing the other does, or is still."""
    ref_seen, mine_seen = np.isfinite(reference), np.isfinite(player)
    return _cosine(
        np.where(ref_seen, reference, 0.0), ref_seen, np.where(mine_seen, player, 0.0), mine_seen
    )


def shape_agreement(reference: np.ndarray, player: np.ndarray, min_share: float) -> np.ndarray:
    """Motion agreement of two paths (..., K, P), each centred on its own seen samples, the
    cosine over what both show; NaN where fewer than `min_share` of the K samples show both
    (a cosine of two samples is noise). (Centring both on the shared samples only was tried:
    on the real clips it lets wrong dances agree more, see `cover-dance calibrate`.)"""
    # motion_agreement(movement_shape(reference), movement_shape(player)) in fewer passes over
    # the (usually much larger) player side: this is most of the judge's work.
    ref_seen, mine_seen = np.isfinite(reference), np.isfinite(player)
    ref = np.where(ref_seen, movement_shape(reference), 0.0)
    mine = np.where(mine_seen, player, 0.0)
    count = mine_seen.sum(axis=-2, keepdims=True)
    mine -= mine.sum(axis=-2, keepdims=True) / np.maximum(count, 1)
    mine *= mine_seen  # unseen samples add nothing
    agreement = _cosine(ref, ref_seen, mine, mine_seen)
    shown = (ref_seen & mine_seen).any(axis=-1).mean(axis=-1)
    return np.where(shown >= min_share, agreement, np.nan)


def _cosine(
    ref: np.ndarray, ref_seen: np.ndarray, mine: np.ndarray, mine_seen: np.ndarray
) -> np.ndarray:
    """Cosine over the last two axes of `ref` and `mine` (0 where unseen), each side's power
    counted only where the other side is seen too."""
    weighted = "...ij,...ij,...ij->..."
    dot = np.einsum("...ij,...ij->...", ref, mine)  # a product with an unseen side is 0
    ref_power = np.einsum(weighted, ref, ref, mine_seen, dtype=ref.dtype, casting="unsafe")
    mine_power = np.einsum(weighted, mine, mine, ref_seen, dtype=mine.dtype, casting="unsafe")
    norm = np.sqrt(ref_power * mine_power)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norm > 0, dot / norm, np.nan)


def speed(steps: np.ndarray, step_s: np.ndarray | float) -> np.ndarray:
    """Root-mean-square speed (units per second) of (..., S, P) steps over the shown ones."""
    with np.errstate(invalid="ignore"):
        shown = np.isfinite(steps).sum(axis=(-2, -1))
        power = np.nansum(steps * steps, axis=(-2, -1))
        return np.where(shown > 0, np.sqrt(power / np.maximum(shown, 1)), np.nan) / step_s
