"""The tempo search's frame-pair costs: the judge's credit less chance (numpy only).

Cost of a (reference frame, cover frame) pair: 1 - its above-chance credit, so 0 = perfect,
1 = no better than chance (above 1 = worse). A joint's chance is its mean credit over
every pair, estimated on at most MAX_CHANCE_PAIRS of them. Costs are computed only for
the cells asked (`at`), or for the whole matrix of a short pair in row blocks (`full`):
nothing the size of reference x cover x joints is ever held.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from game.pose.angles import angle_errors

MAX_CHANCE_PAIRS = 400_000  # frame pairs the chance estimate compares (every pair below it)
BLOCK_PAIRS = 250_000  # frame pairs computed at once


@dataclass(frozen=True)
class CalibratedCosts:
    """Pair costs of reference angles (N, J) against cover angles (M, J)."""

    ref: np.ndarray
    cover: np.ndarray
    tolerances: np.ndarray
    chance: np.ndarray  # (J,) each joint's mean credit over all pairs
    full_ratio: float = 0.5
    zero_ratio: float = 1.5

    @classmethod
    def of(
        cls,
        ref: np.ndarray,
        cover: np.ndarray,
        tolerances: np.ndarray,
        full_ratio: float = 0.5,
        zero_ratio: float = 1.5,
    ) -> CalibratedCosts:
        """The costs with chance measured on every pair, or on every n-th cover frame when
        the pairs are more than MAX_CHANCE_PAIRS."""
        stride = max(1, int(np.ceil(len(ref) * len(cover) / MAX_CHANCE_PAIRS)))
        costs = cls(ref, cover, tolerances, np.zeros(ref.shape[1], np.float32),
                    full_ratio, zero_ratio)  # fmt: skip
        credit = costs.credit(ref[:, None], cover[None, ::stride])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=RuntimeWarning)
            chance = np.nanmean(credit, axis=(0, 1))
        return cls(ref, cover, tolerances, chance, full_ratio, zero_ratio)

    def with_angles(self, ref: np.ndarray, cover: np.ndarray) -> CalibratedCosts:
        """The same rule and chance on other samples of the two dances (e.g. coarser)."""
        return CalibratedCosts(ref, cover, self.tolerances, self.chance, self.full_ratio,
                               self.zero_ratio)  # fmt: skip

    def credit(self, ref: np.ndarray, cover: np.ndarray) -> np.ndarray:
        """The judge's per-joint credit of cover angles against reference angles."""
        ratios = angle_errors(cover, ref) / self.tolerances
        span = self.zero_ratio - self.full_ratio
        return np.clip((self.zero_ratio - ratios) / span, 0.0, 1.0)

    def at(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Costs (float64) of the cells (rows, cols), index arrays broadcast together."""
        credit = self.credit(self.ref[rows], self.cover[cols])
        chance = self.chance
        known = np.isfinite(credit) & np.isfinite(chance) & (chance < 1.0)
        gained = np.where(known, credit - chance, 0.0).sum(axis=-1)
        weight = np.where(known, 1.0 - chance, 0.0).sum(axis=-1)
        above = np.where(weight > 0, gained / np.maximum(weight, 1e-9), 0.0)
        return (1.0 - above).astype(np.float64)

    def full(self) -> np.ndarray:
        """The whole (N, M) matrix, computed a block of rows at a time."""
        n, m = len(self.ref), len(self.cover)
        out = np.empty((n, m), np.float64)
        block = max(1, BLOCK_PAIRS // max(m, 1))
        cols = np.arange(m)[None, :]
        for lo in range(0, n, block):
            rows = np.arange(lo, min(lo + block, n))[:, None]
            out[lo : lo + block] = self.at(rows, cols)
        return out
