"""The dancers of a group video: one pose track each, numbered left to right (numpy only).

Built from the tracker's per-frame records: tracklets that never overlap in time and wear
the same colours are one dancer who left and came back; tracks seen too briefly are dropped;
the rest are numbered 1..N from left to right at the first moment most of them are in view.
Saved as a `.npz` of plain arrays (read back with allow_pickle=False) plus JSON text.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import numpy as np

from game.capture.group.appearance import color_distance
from game.pose.frame import PoseTrack
from game.pose.skeleton import L_HIP, NUM_LANDMARKS, R_HIP

MIN_SHARE = 0.15  # a dancer is seen in at least this share of the frames
COLORS_ARRAY = "colours"  # the stored name of `colors`: files cached already keep it
MERGE_GATE = 0.35  # colour distance under which two disjoint tracklets are one dancer
MIN_OVERLAP_FRAMES = 3  # tracklets sharing more frames than this are two people
FORMAT = 1


@dataclass(frozen=True)
class GroupTracks:
    """`landmarks` (D, N, 33, 3) in height units of the frame, `visibility` (D, N, 33),
    dancer 1 first; `colours` (D, F) each dancer's clothing colour feature."""

    times: np.ndarray
    landmarks: np.ndarray
    visibility: np.ndarray
    colors: np.ndarray
    aspect: float
    settings: str = ""

    @property
    def count(self) -> int:
        return int(self.landmarks.shape[0])

    def seen(self) -> np.ndarray:
        """(D, N) bool: dancer d is in view in frame n."""
        return self.visibility.max(axis=2) > 0

    def shares(self) -> np.ndarray:
        """The share of the clip's frames each dancer is seen in."""
        return self.seen().mean(axis=1) if len(self.times) else np.zeros(self.count)

    def track(self, number: int) -> PoseTrack:
        """Dancer `number` (1-based) as a PoseTrack (visibility 0 where unseen)."""
        d = number - 1
        return PoseTrack(self.times, self.landmarks[d], self.visibility[d], self.aspect)

    def hip_x(self) -> np.ndarray:
        """(D, N) each dancer's hip centre x (height units), NaN where unseen."""
        x = self.landmarks[:, :, [L_HIP, R_HIP], 0].mean(axis=2)
        return np.where(self.seen(), x, np.nan)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        meta = {"format": FORMAT, "aspect": self.aspect, "settings": self.settings}
        np.savez_compressed(
            buffer,
            times=self.times.astype(np.float64),
            landmarks=self.landmarks.astype(np.float32),
            visibility=self.visibility.astype(np.float32),
            **{COLORS_ARRAY: self.colors.astype(np.float32)},
            meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> GroupTracks:
        """Read `to_bytes` output; ValueError if it is damaged or of another format."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                meta = json.loads(bytes(npz["meta"]).decode("utf-8"))
                arrays = {k: npz[k] for k in ("times", "landmarks", "visibility")}
                arrays["colors"] = npz[COLORS_ARRAY]
        except (OSError, KeyError, ValueError, EOFError) as exc:
            raise ValueError(f"damaged group tracks: {exc}") from exc
        if meta.get("format") != FORMAT:
            raise ValueError(f"group tracks of format {meta.get('format')}, expected {FORMAT}")
        d, n = arrays["landmarks"].shape[:2] if arrays["landmarks"].ndim == 4 else (-1, -1)
        if n != len(arrays["times"]) or arrays["visibility"].shape != (d, n, NUM_LANDMARKS):
            raise ValueError("group tracks: array shapes disagree")
        return cls(aspect=float(meta["aspect"]), settings=str(meta["settings"]), **arrays)


def _merge_tracklets(seen: np.ndarray, colors: list[np.ndarray]) -> list[list[int]]:
    """Groups of tracklet indices that are one dancer: disjoint in time, same colours."""
    groups = [[i] for i in range(len(colors))]
    support = [seen[i].copy() for i in range(len(colors))]
    color = [c.copy() for c in colors]
    while True:
        best = None
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                if (support[a] & support[b]).sum() > MIN_OVERLAP_FRAMES:
                    continue
                distance = color_distance(color[a], color[b])
                if distance < MERGE_GATE and (best is None or distance < best[0]):
                    best = (distance, a, b)
        if best is None:
            return groups
        _, a, b = best
        wa, wb = support[a].sum(), support[b].sum()
        color[a] = (wa * color[a] + wb * color[b]) / max(wa + wb, 1)
        groups[a] += groups.pop(b)
        support[a] |= support.pop(b)
        color.pop(b)


def numbering_frame(seen: np.ndarray) -> int:
    """The first frame where most of the dancers are in view (as many as usually are)."""
    counts = seen.sum(axis=0)
    if not counts.size:
        return 0
    target = max(1, int(np.percentile(counts, 90)))
    hits = np.flatnonzero(counts >= target)
    return int(hits[0]) if hits.size else int(np.argmax(counts))


def build_group(
    times: np.ndarray,
    landmarks: np.ndarray,
    visibility: np.ndarray,
    colors: list[np.ndarray],
    aspect: float,
    settings: str = "",
) -> GroupTracks:
    """Tracklets (K, N, 33, 3) -> numbered dancers: merge, drop brief ones, order left to right."""
    seen = visibility.max(axis=2) > 0 if visibility.size else np.zeros((0, len(times)), bool)
    dancers_lm, dancers_vis, dancers_color = [], [], []
    for group in _merge_tracklets(seen, colors):
        lm = np.zeros((len(times), NUM_LANDMARKS, 3), np.float32)
        vis = np.zeros((len(times), NUM_LANDMARKS), np.float32)
        for k in group:  # where merged tracklets overlap briefly, the later one wins
            lm[seen[k]], vis[seen[k]] = landmarks[k][seen[k]], visibility[k][seen[k]]
        if (vis.max(axis=1) > 0).mean() < MIN_SHARE:
            continue
        weights = np.array([seen[k].sum() for k in group], np.float64)
        dancers_lm.append(lm)
        dancers_vis.append(vis)
        dancers_color.append(np.average([colors[k] for k in group], axis=0, weights=weights))
    if not dancers_lm:
        empty = np.zeros((0, len(times), NUM_LANDMARKS))
        return GroupTracks(times, empty[..., None].repeat(3, -1), empty, np.zeros((0, 1)), aspect,
                           settings)  # fmt: skip
    lm_all, vis_all = np.stack(dancers_lm), np.stack(dancers_vis)
    draft = GroupTracks(times, lm_all, vis_all, np.stack(dancers_color), aspect, settings)
    order = _left_to_right(draft)
    return GroupTracks(times, lm_all[order], vis_all[order], draft.colors[order], aspect, settings)


def _left_to_right(group: GroupTracks) -> list[int]:
    """Dancer order: by hip x at the numbering frame; those out of view then, by first x seen."""
    seen = group.seen()
    x = group.hip_x()
    n = numbering_frame(seen)
    first = [int(np.flatnonzero(seen[d])[0]) for d in range(group.count)]

    def key(d: int) -> tuple[int, float]:
        if seen[d, n]:
            return (0, float(x[d, n]))
        return (1, float(first[d]) * 1e3 + float(x[d, first[d]]))

    return sorted(range(group.count), key=key)
