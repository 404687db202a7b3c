"""A check anyone can read: does each member's track keep to one person, by their clothes?

For every pair of members, the two tracks' looks (head, upper and lower body colours, a
sample every so often) are pooled and split into the two looks they fall into (2-means,
restarted a few times, on Hellinger coordinates), on the three regions together and on each
alone; the cleanest split is kept (two members in the same top differ by their trousers or
their hair). If the two members are dressed apart that split is clean, and a track that
stays on its member has nearly all of its samples on its own side: its consistency is the
share that is, at worst over the other members. A swap half-way shows as about 0.5. Members
no split tells apart (dressed alike everywhere) are not compared, and are named. Numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from game.capture.group.appearance import BINS, REGIONS

MIN_SEPARATION = 2.5  # centroid distance / within-look spread under which looks are alike
MIN_GAP = 0.25  # ... or whose centroids are closer than this (about a Hellinger distance)
MIN_SAMPLES = 5  # per member, for a pair to be checked
RESTARTS = 6


@dataclass(frozen=True)
class Consistency:
    """`figures[d]`: member d's share of samples on their own side at worst (None when no
    other member could be told apart); `alike[d]`: the members (0-based) dressed like d."""

    figures: tuple[float | None, ...]
    alike: tuple[tuple[int, ...], ...]

    def overall(self) -> float | None:
        known = [f for f in self.figures if f is not None]
        return float(np.mean(known)) if known else None


def _coordinates(samples: np.ndarray) -> np.ndarray:
    """(n, F) histograms -> (n, F) points whose squared distances add up the regions' squared
    Hellinger distances; samples lacking a region are dropped by the caller."""
    h = samples.reshape(len(samples), len(REGIONS), BINS)
    total = h.sum(axis=2, keepdims=True)
    return np.sqrt(h / np.maximum(total, 1e-12) / 2.0).reshape(len(samples), -1)


def complete(samples: np.ndarray) -> np.ndarray:
    """The samples that show every region."""
    samples = np.asarray(samples, np.float64).reshape(-1, len(REGIONS) * BINS)
    whole = samples.reshape(len(samples), len(REGIONS), BINS).sum(axis=2).min(axis=1) > 0
    return samples[whole]


def two_means(points: np.ndarray, seed: int = 0) -> tuple[np.ndarray, float, float]:
    """(labels 0/1, separation, gap): the best of a few k-means++ restarts; gap is the
    centroids' distance, separation that over the points' root mean squared distance to
    their centroid."""
    rng = np.random.default_rng(seed)
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for _ in range(RESTARTS):
        first = points[rng.integers(len(points))]
        far = ((points - first) ** 2).sum(axis=1)
        second = points[rng.choice(len(points), p=far / far.sum())] if far.sum() > 0 else first
        centres = np.stack([first, second])
        labels = np.zeros(len(points), int)
        for _ in range(30):
            d = ((points[:, None, :] - centres[None]) ** 2).sum(axis=2)
            new = d.argmin(axis=1)
            if (new == labels).all() and _ > 0:
                break
            labels = new
            for k in (0, 1):
                if (labels == k).any():
                    centres[k] = points[labels == k].mean(axis=0)
        inertia = float(((points - centres[labels]) ** 2).sum())
        if best is None or inertia < best[0]:
            best = (inertia, labels.copy(), centres.copy())
    assert best is not None
    inertia, labels, centres = best
    spread = np.sqrt(inertia / len(points))
    gap = float(np.linalg.norm(centres[0] - centres[1]))
    return labels, gap / max(spread, 1e-9), gap


def pair_purity(a: np.ndarray, b: np.ndarray) -> tuple[float, float] | None:
    """(a's share on its side, b's share on its side), or None if a and b look alike."""
    if len(a) < MIN_SAMPLES or len(b) < MIN_SAMPLES:
        return None
    points = _coordinates(np.concatenate([a, b]))
    views = [slice(None)] + [slice(r * BINS, (r + 1) * BINS) for r in range(len(REGIONS))]
    splits = [two_means(points[:, view]) for view in views]
    clean = [split for split in splits if split[1] >= MIN_SEPARATION and split[2] >= MIN_GAP]
    if not clean:
        return None
    labels = max(clean, key=lambda split: split[1])[0]
    la, lb = labels[: len(a)], labels[len(a) :]
    straight = (np.mean(la == 0), np.mean(lb == 1))
    crossed = (np.mean(la == 1), np.mean(lb == 0))
    return max(straight, crossed, key=lambda pair: pair[0] + pair[1])


def consistency(samples: list[np.ndarray]) -> Consistency:
    """Each member's consistency from their appearance samples ((n_d, F) histograms each)."""
    usable = [complete(s) for s in samples]
    worst: list[float | None] = [None] * len(samples)
    alike: list[list[int]] = [[] for _ in samples]
    for a, b in combinations(range(len(samples)), 2):
        purity = pair_purity(usable[a], usable[b])
        if purity is None:
            if len(usable[a]) >= MIN_SAMPLES and len(usable[b]) >= MIN_SAMPLES:
                alike[a].append(b)
                alike[b].append(a)
            continue
        for member, share in ((a, purity[0]), (b, purity[1])):
            current = worst[member]
            worst[member] = share if current is None else min(current, share)
    return Consistency(tuple(worst), tuple(tuple(x) for x in alike))
