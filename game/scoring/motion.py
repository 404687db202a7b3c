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


def point_step_sizes(steps: np.ndarray) -> np.ndarray:
    """(..., S, P) steps of P/2 (x, y) points -> (..., S, P/2) distance each point moved."""
    pairs = steps.reshape(*steps.shape[:-1], steps.shape[-1] // 2, 2)
    return np.sqrt((pairs * pairs).sum(axis=-1))


def largest_step(steps: np.ndarray) -> np.ndarray:
    """(..., S, P) steps -> (...,) the longest step any shown point takes (NaN: none)."""
    sizes = point_step_sizes(steps)
    with np.errstate(invalid="ignore"):
        shown = np.isfinite(sizes).any(axis=(-2, -1))
        return np.where(
            shown, np.nanmax(np.where(np.isfinite(sizes), sizes, -1.0), axis=(-2, -1)), np.nan
        )


def clip_steps(steps: np.ndarray, limit: np.ndarray | float) -> np.ndarray:
    """(..., S, P) steps with each point's step shortened to at most `limit` (...,).

    One jump (a tracking glitch, arms snapping back after a fumble) must not outweigh a
    window of movement in the cosine; the limit is the coach's own longest step there.
    """
    sizes = point_step_sizes(steps)
    bound = np.asarray(limit, np.float64)[..., None, None]
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(sizes > bound, bound / sizes, 1.0)
    return steps * np.repeat(scale, 2, axis=-1)


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
    ref = np.where(ref_seen, reference, 0.0)
    mine = np.where(mine_seen, player, 0.0)
    total = "...ij,...ij->..."
    dot = np.einsum(total, ref, mine)  # a product with an unseen side is 0
    ref_power = np.einsum("...ij,...ij,...ij->...", ref, ref, mine_seen.astype(ref.dtype))
    mine_power = np.einsum("...ij,...ij,...ij->...", mine, mine, ref_seen.astype(mine.dtype))
    norm = np.sqrt(ref_power * mine_power)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(norm > 0, dot / norm, np.nan)


def speed(steps: np.ndarray, step_s: np.ndarray | float) -> np.ndarray:
    """Root-mean-square speed (units per second) of (..., S, P) steps over the shown ones."""
    with np.errstate(invalid="ignore"):
        shown = np.isfinite(steps).sum(axis=(-2, -1))
        power = np.nansum(steps * steps, axis=(-2, -1))
        return np.where(shown > 0, np.sqrt(power / np.maximum(shown, 1)), np.nan) / step_s
