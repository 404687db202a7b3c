"""The dancers of a group video: one pose track each, numbered left to right (numpy only).

Built from the tracker's per-frame records: each track is cut into confident tracklets
(`tracklets`), the tracklets are linked into members by their looks over the whole video
(`linking`), members seen too briefly are dropped, and the rest are numbered 1..N from left
to right at the first moment most of them are in view. Each member keeps a sample of their
look every LOOK_EVERY frames, for the identity check (`identity`) and the member strips.
Saved as a `.npz` of plain arrays (read back with allow_pickle=False) plus JSON text.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

import numpy as np

from game.capture.group.appearance import FEATURE_SIZE
from game.capture.group.identity import Consistency, consistency
from game.capture.group.linking import link
from game.capture.group.tracker import Observation
from game.capture.group.tracklets import Tracklet, mean_look, split_tracks
from game.pose.frame import PoseTrack
from game.pose.skeleton import L_HIP, NUM_LANDMARKS, R_HIP

MIN_SHARE = 0.15  # a dancer is seen in at least this share of the frames
LOOK_EVERY = 10  # frames between two samples of a member's look
COLORS_ARRAY = "colours"  # the stored name of `colors` (the first spelling is kept)
FORMAT = 3


@dataclass(frozen=True)
class GroupTracks:
    """`landmarks` (D, N, 33, 3) in height units of the frame, `visibility` (D, N, 33),
    dancer 1 first; `colors` (D, F) each dancer's look (appearance.color_feature);
    `looks` (D, M, F) a sample of each dancer's look every LOOK_EVERY frames (zeros where
    there is none)."""

    times: np.ndarray
    landmarks: np.ndarray
    visibility: np.ndarray
    colors: np.ndarray
    aspect: float
    settings: str = ""
    looks: np.ndarray | None = None

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

    def look_samples(self, number: int) -> np.ndarray:
        """(n, F) dancer `number`'s (1-based) sampled looks, where there is one."""
        if self.looks is None:
            return np.zeros((0, FEATURE_SIZE))
        looks = self.looks[number - 1]
        return looks[looks.any(axis=1)]

    def consistency(self) -> Consistency:
        """How well each dancer's track keeps to one look (see `identity`)."""
        return consistency([self.look_samples(n) for n in range(1, self.count + 1)])

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        meta = {"format": FORMAT, "aspect": self.aspect, "settings": self.settings}
        looks = self.looks if self.looks is not None else np.zeros((self.count, 0, FEATURE_SIZE))
        np.savez_compressed(
            buffer,
            times=self.times.astype(np.float64),
            landmarks=self.landmarks.astype(np.float32),
            visibility=self.visibility.astype(np.float32),
            **{COLORS_ARRAY: self.colors.astype(np.float32)},
            looks=looks.astype(np.float32),
            meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> GroupTracks:
        """Read `to_bytes` output; ValueError if it is damaged or of another format."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                meta = json.loads(bytes(npz["meta"]).decode("utf-8"))
                names = ("times", "landmarks", "visibility", "looks")
                arrays = {k: npz[k] for k in names}
                arrays["colors"] = npz[COLORS_ARRAY]
        except (OSError, KeyError, ValueError, EOFError) as exc:
            raise ValueError(f"damaged group tracks: {exc}") from exc
        if meta.get("format") != FORMAT:
            raise ValueError(f"group tracks of format {meta.get('format')}, expected {FORMAT}")
        d, n = arrays["landmarks"].shape[:2] if arrays["landmarks"].ndim == 4 else (-1, -1)
        looks = arrays["looks"]
        if (
            n != len(arrays["times"])
            or arrays["visibility"].shape != (d, n, NUM_LANDMARKS)
            or looks.ndim != 3
            or looks.shape[0] != d
            or looks.shape[2] != FEATURE_SIZE
        ):
            raise ValueError("group tracks: array shapes disagree")
        return cls(aspect=float(meta["aspect"]), settings=str(meta["settings"]), **arrays)


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
    looks: np.ndarray | None = None,
) -> GroupTracks:
    """Members' tracks (K, N, 33, 3) -> numbered dancers: drop brief ones, order left to
    right. `colors` (K, F) and `looks` (K, M, F) follow the members."""
    seen = visibility.max(axis=2) > 0 if visibility.size else np.zeros((0, len(times)), bool)
    keep = [k for k in range(len(seen)) if seen[k].mean() >= MIN_SHARE] if len(times) else []
    if looks is None:
        looks = np.zeros((len(seen), 0, FEATURE_SIZE), np.float32)
    if not keep:
        empty = np.zeros((0, len(times), NUM_LANDMARKS))
        return GroupTracks(times, empty[..., None].repeat(3, -1), empty,
                           np.zeros((0, FEATURE_SIZE)), aspect, settings,
                           np.zeros((0, looks.shape[1], FEATURE_SIZE)))  # fmt: skip
    color_all = np.stack([np.asarray(colors[k], np.float64) for k in keep])
    draft = GroupTracks(times, landmarks[keep], visibility[keep], color_all, aspect, settings)
    order = [keep[i] for i in _left_to_right(draft)]
    return GroupTracks(
        times, landmarks[order], visibility[order],
        np.stack([np.asarray(colors[k], np.float64) for k in order]), aspect, settings,
        looks[order],
    )  # fmt: skip


def assemble(
    times: np.ndarray,
    records: dict[int, dict[int, Observation]],
    height: float,
    aspect: float,
    settings: str = "",
) -> GroupTracks:
    """The tracker's records (track id -> frame -> observation, pixels) -> numbered dancers:
    tracklets, linked into members over the whole video."""
    tracklets = split_tracks(records)
    members = link(tracklets)
    n = len(times)
    landmarks = np.zeros((len(members), n, NUM_LANDMARKS, 3), np.float32)
    visibility = np.zeros((len(members), n, NUM_LANDMARKS), np.float32)
    looks = np.zeros((len(members), -(-n // LOOK_EVERY), FEATURE_SIZE), np.float32)
    colors = []
    for k, member in enumerate(members):
        pieces: list[Tracklet] = sorted((tracklets[i] for i in member), key=lambda t: t.start)
        for piece in pieces:  # where two pieces share a frame, the later one wins
            for frame, obs, clean in zip(piece.frames, piece.observations, piece.clean,
                                         strict=True):  # fmt: skip
                landmarks[k, frame] = obs.points / height
                visibility[k, frame] = np.clip(obs.visibility, 0.0, 1.0)
                if clean and frame % LOOK_EVERY == 0:
                    looks[k, frame // LOOK_EVERY] = obs.color
        clean_looks = [p.looks() for p in pieces if p.clean_count]
        colors.append(mean_of(clean_looks))
    return build_group(times, landmarks, visibility, colors, aspect, settings, looks)


def mean_of(looks: list[np.ndarray]) -> np.ndarray:
    return mean_look(np.concatenate(looks)) if looks else np.zeros(FEATURE_SIZE)


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
