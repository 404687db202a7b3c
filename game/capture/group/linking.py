"""Tracklets into members, over the whole video, by their looks (numpy and scipy only).

Going through the video in time, the tracklets that start together are matched to the
members free at that moment with the Hungarian method. The cost is mostly the look: the
tracklet's head, upper and lower body colours against the member's gallery (every earlier
tracklet of that member; the nearest few count, so a member seen from the back and from
the front is still one), each region weighed by how well it tells the members apart (in
the same tops, the trousers and the hair decide). Motion and the online tracker's own
continuity add a little, and decide alone where the looks cannot. A tracklet far from
every free member's look starts a new member; a member who left is free, so a dancer who
comes back is matched to their own gallery and keeps their number. Members that never
share a frame and look alike are then one. Which members are kept and how they are
numbered is `result`'s business.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np

from game.capture.group.appearance import REGIONS, region_distances
from game.capture.group.boxes import assign
from game.capture.group.tracklets import MAX_GAP, Tracklet, mean_look

NEUTRAL_LOOK = 0.25  # the look cost of a tracklet with too few clean frames to have one


@dataclass(frozen=True)
class LinkSettings:
    gate: float = 0.42  # no free member within this cost: a new member ...
    loose_gate: float = 0.7  # ... unless the tracklet carries on the member's own track
    continuity: float = 0.08  # the cost of taking a tracklet from the track that led to it
    motion: float = 0.05  # per reach moved (at most twice), where the member was just seen
    batch: int = 5  # tracklets starting this many frames apart are matched together
    max_overlap: int = 3  # frames a member's tracklets may share (where a cut fell)
    min_clean: int = 4  # clean frames for a tracklet's look to count
    nearest: int = 3  # gallery entries that make the look cost
    recent: int = 60  # frames after which where a member was seen no longer counts
    weak: int = 15  # clean frames under which a tracklet's look is too weak to beat continuity


@dataclass
class Member:
    tracklets: list[int] = field(default_factory=list)
    gallery: list[tuple[np.ndarray, int]] = field(default_factory=list)  # (look, clean frames)
    end: int = -(10**9)
    last: Tracklet | None = None


def region_weights(looks: list[np.ndarray]) -> np.ndarray:
    """How well each region tells these looks apart: its mean distance between them (each
    region at least a fifth of the others' mean, so none is ignored outright)."""
    if len(looks) < 2:
        return np.ones(len(REGIONS))
    d = np.array([region_distances(a, b)[0] for i, a in enumerate(looks) for b in looks[i + 1 :]])
    spread = np.nan_to_num(np.nanmean(d, axis=0), nan=0.0) if np.isfinite(d).any() else d[0] * 0
    spread = np.maximum(spread, 0.2 * max(float(spread.mean()), 1e-3))
    return spread / spread.sum() * len(REGIONS)


def look_distance(a: np.ndarray, b: np.ndarray, weights: np.ndarray) -> float:
    d = region_distances(a, b)[0]
    shown = np.isfinite(d)
    if not shown.any():
        return NEUTRAL_LOOK
    return float((d[shown] * weights[shown]).sum() / weights[shown].sum())


class Linker:
    def __init__(self, tracklets: list[Tracklet], settings: LinkSettings | None = None) -> None:
        self.tracklets = tracklets
        self.settings = settings or LinkSettings()
        self.members: list[Member] = []
        self.looks = [t.summary() if t.clean_count >= self.settings.min_clean else None
                      for t in tracklets]  # fmt: skip
        self.weights = np.ones(len(REGIONS))

    def gallery_cost(self, member: Member, look: np.ndarray | None) -> float:
        if look is None or not member.gallery:
            return NEUTRAL_LOOK
        costs = sorted((look_distance(look, g, self.weights), n) for g, n in member.gallery)
        near = costs[: self.settings.nearest]
        return float(np.average([c for c, _ in near], weights=[n for _, n in near]))

    def cost(self, member: Member, index: int) -> float:
        s = self.settings
        tracklet, last = self.tracklets[index], member.last
        if last is None or member.end - tracklet.start >= s.max_overlap:
            return np.inf
        look = self.looks[index]
        gap = tracklet.start - member.end
        cost = self.gallery_cost(member, look)
        if last.track != tracklet.track or gap > MAX_GAP:
            cost += s.continuity
        if gap <= s.recent:
            (was, tall), (now, _) = last.where(first=False), tracklet.where(first=True)
            reach = (0.5 + 0.05 * max(gap, 0)) * tall
            moved = float(np.linalg.norm(now - was)) / reach
            if look is None and moved > 1.0:
                return np.inf  # no look to go by and out of reach: not this member
            cost += s.motion * min(moved, 2.0)
        return cost

    def carries_on(self, member: Member, index: int) -> bool:
        """The tracklet follows straight on from the member's last one on the same track
        (a cut by a change of look only: a dancer who turned round, most likely)."""
        tracklet, last = self.tracklets[index], member.last
        return (
            last is not None
            and last.track == tracklet.track
            and (0 < tracklet.start - member.end <= MAX_GAP)
        )

    def add(self, member: Member, index: int) -> None:
        tracklet = self.tracklets[index]
        member.tracklets.append(index)
        if self.looks[index] is not None:
            member.gallery.append((self.looks[index], tracklet.clean_count))
        if tracklet.end >= member.end:
            member.end, member.last = tracklet.end, tracklet

    def _batches(self) -> list[list[int]]:
        """Tracklets matched together: starting within `batch` frames of the first, each
        before any of the batch has ended (one member cannot take two in a row)."""
        batches: list[list[int]] = []
        for i, tracklet in enumerate(self.tracklets):
            if batches:
                batch = [self.tracklets[j] for j in batches[-1]]
                soon = tracklet.start - batch[0].start < self.settings.batch
                if soon and tracklet.start <= min(t.end for t in batch):
                    batches[-1].append(i)
                    continue
            batches.append([i])
        return batches

    def _learn_weights(self) -> None:
        looks = [mean_look(np.array([g for g, _ in m.gallery])) for m in self.members if m.gallery]
        self.weights = region_weights(looks)

    def run(self) -> list[list[int]]:
        """Members as lists of tracklet indices."""
        s = self.settings
        for batch in self._batches():
            cost = np.array([[self.cost(m, i) for i in batch] for m in self.members])
            cost = cost.reshape(len(self.members), len(batch))
            carries = np.array([[self.carries_on(m, i) for i in batch] for m in self.members])
            limit = np.where(carries.reshape(cost.shape), s.loose_gate, s.gate)
            cost = np.where(cost <= limit, cost, np.inf)
            taken = set()
            for r, c in assign(cost, s.loose_gate):
                self.add(self.members[r], batch[c])
                taken.add(c)
            for c, index in enumerate(batch):
                if c not in taken:
                    member = Member()
                    self.add(member, index)
                    self.members.append(member)
            self._learn_weights()
        self._merge_disjoint()
        owner = {i: k for k, m in enumerate(self.members) for i in m.tracklets}
        self._settle_weak(owner)
        return [sorted(i for i, k in owner.items() if k == m) for m in range(len(self.members))]

    def _look_cost(self, owner: dict[int, int], member: int, index: int) -> float:
        """Tracklet `index`'s look against `member`'s other tracklets' looks."""
        gallery = [(self.looks[i], self.tracklets[i].clean_count) for i, k in owner.items()
                   if k == member and i != index and self.looks[i] is not None]  # fmt: skip
        return self.gallery_cost(Member(gallery=gallery), self.looks[index])

    def _clash(self, owner: dict[int, int], member: int, index: int, moving: set[int]) -> list[int]:
        """`member`'s tracklets (but those in `moving`) sharing too many frames with `index`."""
        mine = self.tracklets[index]
        out = []
        for i, k in owner.items():
            if k != member or i in moving or i == index:
                continue
            other = self.tracklets[i]
            shared = min(mine.end, other.end) - max(mine.start, other.start) + 1
            if shared >= self.settings.max_overlap:
                out.append(i)
        return out

    def _settle_weak(self, owner: dict[int, int]) -> None:
        """A short tracklet (a crossing's last few frames, say) goes by continuity to the
        member its track had before; when the next tracklet on its track went to another
        member by its look, the short one goes to whichever of the two its own look is
        nearer (swapping with that member's short tracklet there, if they would clash)."""
        by_track: dict[int, list[int]] = {}
        for i, tracklet in enumerate(self.tracklets):
            by_track.setdefault(tracklet.track, []).append(i)
        for pieces in by_track.values():
            for i, after in pairwise(pieces):
                short, next_one = self.tracklets[i], self.tracklets[after]
                here, there = owner.get(i), owner.get(after)
                if (here is None or there is None or here == there or self.looks[i] is None
                        or short.clean_count >= self.settings.weak
                        or next_one.start - short.end > 2 * MAX_GAP):  # fmt: skip
                    continue
                if self._look_cost(owner, there, i) >= self._look_cost(owner, here, i):
                    continue
                clash = self._clash(owner, there, i, set())
                if any(self.tracklets[c].clean_count >= self.settings.weak for c in clash):
                    continue
                if any(self._clash(owner, here, c, {i}) for c in clash):
                    continue
                owner[i] = there
                for c in clash:
                    owner[c] = here

    def _frames(self, member: Member) -> set[int]:
        return {int(f) for i in member.tracklets for f in self.tracklets[i].frames}

    def _merge_disjoint(self) -> None:
        """Members that never share more than a few frames and look alike are one."""
        while True:
            frames = [self._frames(m) for m in self.members]
            best = None
            for a in range(len(self.members)):
                for b in range(a + 1, len(self.members)):
                    if len(frames[a] & frames[b]) > self.settings.max_overlap:
                        continue
                    look_b = [g for g, _ in self.members[b].gallery]
                    if not look_b:
                        continue
                    d = self.gallery_cost(self.members[a], mean_look(np.array(look_b)))
                    if d < self.settings.gate - self.settings.continuity and (
                        best is None or d < best[0]
                    ):
                        best = (d, a, b)
            if best is None:
                return
            _, a, b = best
            for index in self.members.pop(b).tracklets:
                self.add(self.members[a], index)


def link(tracklets: list[Tracklet], settings: LinkSettings | None = None) -> list[list[int]]:
    """Members (lists of indices into `tracklets`, which are in order of their start)."""
    return Linker(tracklets, settings).run()
