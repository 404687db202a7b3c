"""Confident tracklets: the frame-by-frame tracks cut wherever who-is-who is in doubt.

The online tracker follows each dancer by motion; where two dancers' bodies overlap, where a
track was lost for a moment or jumps, or where the look of what it follows changes (head,
upper or lower body), it may have moved on to someone else. Each track is cut there, and
`linking` then decides over the whole video which member each piece belongs to. A cut too
many costs little (the piece rejoins its member by its looks); a cut missed would keep a
swap. Numpy only.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from game.capture.group.appearance import BINS, REGIONS, region_distances
from game.capture.group.boxes import centre, height, hip_centre, iomin, iou, torso_box
from game.capture.group.tracker import Observation

MAX_GAP = 5  # frames a track may miss without a cut
MAX_JUMP = 0.35  # body heights the box centre may move in one frame
CROWDED = 0.05  # torso boxes overlapping this much (IoU): bodies in front of each other
HIDDEN = 0.3  # a track lost while its box lies this much (of the smaller) over another's ...
MAX_HIDDEN = 150  # ... leaves that other in doubt until it is found again (frames, at most)
CHANGE_WINDOW = 12  # clean frames either side when looking for a change of look
CHANGE = 0.3  # a region whose look changes this much (Hellinger) marks a cut
MIN_PIECE = 8  # frames: no change-of-look cut makes a piece shorter than this


@dataclass
class Tracklet:
    """A stretch of one online track that is one person; `summary` is its look (mean
    histograms of its clean frames, per region; zeros where never seen)."""

    track: int
    frames: np.ndarray
    observations: list[Observation]
    clean: np.ndarray  # bool per frame: no other body overlapping, a look to learn from

    @property
    def start(self) -> int:
        return int(self.frames[0])

    @property
    def end(self) -> int:
        return int(self.frames[-1])

    @property
    def clean_count(self) -> int:
        return int(self.clean.sum())

    def looks(self) -> np.ndarray:
        """(n, F) the features of its clean frames."""
        return np.array([o.color for o, c in zip(self.observations, self.clean, strict=True) if c])

    def summary(self) -> np.ndarray:
        return mean_look(self.looks())

    def where(self, first: bool) -> tuple[np.ndarray, float]:
        """(hip centre or box centre, body height) at its first or last frame."""
        obs = self.observations[0 if first else -1]
        hip = hip_centre(obs.points, obs.visibility)
        return (hip if hip is not None else centre(obs.box)), height(obs.box)


def mean_look(features: np.ndarray) -> np.ndarray:
    """Per region, the mean of the histograms that show it (renormalised)."""
    if not len(features):
        return np.zeros(len(REGIONS) * BINS)
    h = np.asarray(features, np.float64).reshape(len(features), len(REGIONS), BINS)
    shown = h.sum(axis=2, keepdims=True) > 0
    total = (h * shown).sum(axis=0)
    sums = total.sum(axis=1, keepdims=True)
    return np.where(sums > 0, total / np.maximum(sums, 1e-12), 0.0).ravel()


def crowded_frames(records: dict[int, dict[int, Observation]]) -> set[tuple[int, int]]:
    """(track, frame) pairs whose torso overlaps another track's in that frame."""
    by_frame: dict[int, list[tuple[int, np.ndarray]]] = {}
    for track, frames in records.items():
        for frame, obs in frames.items():
            box = torso_box(obs.points, obs.visibility)
            by_frame.setdefault(frame, []).append((track, box if box is not None else obs.box))
    out: set[tuple[int, int]] = set()
    for frame, boxes in by_frame.items():
        if len(boxes) < 2:
            continue
        overlap = iou(np.array([b for _, b in boxes]), np.array([b for _, b in boxes]))
        np.fill_diagonal(overlap, 0.0)
        out.update((boxes[i][0], frame) for i in np.flatnonzero(overlap.max(axis=1) > CROWDED))
    return out | hidden_frames(records)


def hidden_frames(records: dict[int, dict[int, Observation]]) -> set[tuple[int, int]]:
    """(track, frame) pairs in doubt because another dancer went out of sight behind (or in
    front of) this one: from the frame the other was lost to the one before it is found
    again. Whoever comes out may be either of the two, so the track is cut there (see
    `split_tracks`)."""
    out: set[tuple[int, int]] = set()
    for track, frames in records.items():
        seen = sorted(frames)
        for last, back in zip(seen, [*seen[1:], seen[-1] + MAX_HIDDEN + 1], strict=True):
            if back - last <= MAX_GAP:
                continue
            box = frames[last].box
            for other, theirs in records.items():
                mine = theirs.get(last)
                if other == track or mine is None or iomin(box, mine.box)[0, 0] < HIDDEN:
                    continue
                until = min(back, last + MAX_HIDDEN + 1)  # the frame it is found again
                out.update((other, f) for f in range(last + 1, until) if f in theirs)
    return out


def change_points(looks: list[np.ndarray | None]) -> list[int]:
    """Indices where the look changes: the window of clean looks after differs from the one
    before by CHANGE or more in some region, at its strongest, MIN_PIECE apart."""
    clean = [i for i, look in enumerate(looks) if look is not None]
    if len(clean) < 2 * CHANGE_WINDOW:
        return []
    stack = np.array([looks[i] for i in clean])
    strength = np.zeros(len(clean))
    for k in range(CHANGE_WINDOW, len(clean) - CHANGE_WINDOW + 1):
        before = mean_look(stack[k - CHANGE_WINDOW : k])
        after = mean_look(stack[k : k + CHANGE_WINDOW])
        d = region_distances(before, after)
        strength[k] = np.nanmax(d) if np.isfinite(d).any() else 0.0
    cuts: list[int] = []
    for k in np.argsort(-strength, kind="stable"):
        if strength[k] < CHANGE:
            break
        at = clean[k]
        inside = at >= MIN_PIECE and len(looks) - at >= MIN_PIECE
        if inside and all(abs(at - c) >= MIN_PIECE for c in cuts):
            cuts.append(at)
    return sorted(cuts)


def split_tracks(records: dict[int, dict[int, Observation]]) -> list[Tracklet]:
    """Every track cut into confident tracklets, in order of their first frame."""
    crowded = crowded_frames(records)
    out: list[Tracklet] = []
    for track in sorted(records):
        frames = sorted(records[track])
        obs = [records[track][f] for f in frames]
        clean = np.array([(track, f) not in crowded and o.color.any()
                          for f, o in zip(frames, obs, strict=True)])  # fmt: skip
        cuts = {0}
        for i in range(1, len(frames)):
            gap = frames[i] - frames[i - 1]
            moved = np.linalg.norm(centre(obs[i].box) - centre(obs[i - 1].box))
            was_crowded = (track, frames[i - 1]) in crowded and (track, frames[i]) not in crowded
            if gap > MAX_GAP or moved > MAX_JUMP * gap * height(obs[i - 1].box) or was_crowded:
                cuts.add(i)
        for a, b in pairwise([*sorted(cuts), len(frames)]):
            looks = [o.color if c else None for o, c in zip(obs[a:b], clean[a:b], strict=True)]
            inner = [a + k for k in change_points(looks)]
            for lo, hi in zip([a, *inner], [*inner, b], strict=True):
                out.append(Tracklet(track, np.array(frames[lo:hi]), obs[lo:hi], clean[lo:hi]))
    return sorted(out, key=lambda t: (t.start, t.track))
