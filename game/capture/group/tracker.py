"""Who is who, frame by frame: tracks of several dancers from motion and clothing colour.

Pure bookkeeping (numpy and scipy): the runner feeds, for each frame, the pose each active
track's own crop landmarker found (or None) and, every few frames, every person the tiled
detector found. The tracker keeps the observations that fit, resolves two tracks on one
person, matches detections to tracks with the Hungarian method (motion and colour), brings
back a dancer who left (by colour) and starts tracks for new dancers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from game.capture.group.appearance import color_distance, color_distances
from game.capture.group.boxes import assign, centre, height, hip_centre, iomin, iou, torso_box


@dataclass
class Observation:
    """One person's pose in one frame: pixel landmarks, their box and clothing colour."""

    points: np.ndarray  # (33, 3) x, y in pixels, z scaled like x
    visibility: np.ndarray  # (33,)
    box: np.ndarray  # (4,) x0, y0, x1, y1
    color: np.ndarray  # appearance.color_feature


@dataclass(frozen=True)
class TrackerSettings:
    detect_every: int = 10  # frames between two tiled detections ...
    calm_every: int = 30  # ... growing to this while they find nobody new
    retry_every: int = 3  # ... while some dancer is missing (doubling, to detect_every, while
    # the retries find no one)
    max_coast: int = 45  # frames a dancer may be unseen before their track is set aside
    color_gate: float = 0.55  # a crop's pose further than this from the dancer's colour is refused
    reid_gate: float = 0.4  # a returning dancer matches a set-aside track within this distance
    max_cost: float = 1.3  # motion + colour cost above which a detection is not that dancer
    duplicate_iou: float = 0.5  # two tracks' poses overlapping this much are one person
    established: int = 5  # clean colour samples before the colour is trusted
    color_margin: float = 0.1  # a crop's pose this much nearer another dancer's colour is theirs
    crowded_iou: float = 0.4  # no colour is learnt from a pose overlapping another this much
    max_tracks: int = 12
    same_hips: float = 0.08  # hips closer than this share of the body height: one person
    drift_frames: int = 2  # hip positions older than this many frames are not compared


@dataclass
class Track:
    id: int
    box: np.ndarray
    color: np.ndarray
    last_seen: int
    velocity: np.ndarray = field(default_factory=lambda: np.zeros(4))
    samples: int = 1
    lost: bool = False
    hip: np.ndarray | None = None  # hip midpoint when last seen, if the hips were seen


@dataclass
class Step:
    observed: dict[int, Observation]  # track id -> the pose that is that dancer this frame
    reset: set[int]  # tracks whose crop landmarker followed someone else: search afresh


class GroupTracker:
    def __init__(self, settings: TrackerSettings | None = None) -> None:
        self.settings = settings or TrackerSettings()
        self.tracks: list[Track] = []
        self._next_id = 0
        self._last_detection = -(10**9)
        self._every = self.settings.detect_every  # the detection interval now
        self._retry = self.settings.retry_every
        self._missing = False

    @property
    def active(self) -> list[Track]:
        return [t for t in self.tracks if not t.lost]

    def predict(self, track: Track, frame: int) -> np.ndarray:
        """Where the dancer's box should be at `frame` (damped constant velocity)."""
        gap = min(frame - track.last_seen, 10)
        return track.box + track.velocity * gap

    def crop_boxes(self, frame: int) -> dict[int, np.ndarray]:
        """The predicted box of every active track: where to landmark each dancer."""
        return {t.id: self.predict(t, frame) for t in self.active}

    def needs_detection(self, frame: int) -> bool:
        """Every detect_every frames, less often while the detections find nobody new (the
        dearest part of tracking), more often while a dancer is missing."""
        since = frame - self._last_detection
        missing = not self.active or any(t.last_seen < frame - 1 for t in self.active)
        return since >= self._every or (missing and since >= self._retry)

    def _pace(self, frame: int, changed: bool) -> None:
        """After a detection: back to the usual pace when it found someone (a new or returning
        dancer, a lost one re-found), else wait longer before the next."""
        s = self.settings
        if changed:
            self._every, self._retry = s.detect_every, s.retry_every
        else:
            self._every = min(self._every + s.detect_every, s.calm_every)
            self._retry = min(2 * self._retry, s.detect_every)

    def _color_cost(self, track: Track, obs: Observation) -> float:
        if track.samples < self.settings.established:
            return 0.3  # not trusted yet: neutral
        return color_distance(track.color, obs.color)

    def _color_fits(self, track: Track, obs: Observation, active: list[Track]) -> bool:
        """The pose wears this dancer's colours, not clearly another active dancer's."""
        own = self._color_cost(track, obs)
        if own > self.settings.color_gate:
            return False
        others = [
            color_distance(t.color, obs.color)
            for t in active
            if t is not track and t.samples >= self.settings.established
        ]
        return (
            track.samples < self.settings.established
            or not others
            or (min(others) >= own - self.settings.color_margin)
        )

    def _motion_cost(
        self, track: Track, predicted: np.ndarray, box: np.ndarray, frame: int
    ) -> float:
        reach = (0.6 + 0.03 * min(frame - track.last_seen, 20)) * height(predicted)
        if np.linalg.norm(centre(box) - centre(predicted)) > reach:
            return np.inf
        ratio = height(box) / height(predicted)
        if not 0.5 < ratio < 2.0:
            return np.inf
        return 1.0 - float(iou(predicted, box)[0, 0])

    def _cost(self, track: Track, predicted: np.ndarray, obs: Observation, frame: int) -> float:
        return self._motion_cost(track, predicted, obs.box, frame) + self._color_cost(track, obs)

    def update(
        self,
        frame: int,
        crops: dict[int, Observation | None],
        detections: list[Observation] | None = None,
    ) -> Step:
        """Take one frame's observations; return who is where and which landmarkers to reset."""
        active = self.active
        predicted = {t.id: self.predict(t, frame) for t in active}
        by_id = {t.id: t for t in active}
        observed: dict[int, Observation] = {}
        reset: set[int] = set()
        for t in active:  # 1. each crop's pose, if it still fits its dancer
            obs = crops.get(t.id)
            if obs is None:
                continue
            fits = np.isfinite(self._motion_cost(t, predicted[t.id], obs.box, frame))
            if fits and self._color_fits(t, obs, active) and not self._drifted(t, obs, frame):
                observed[t.id] = obs
            else:
                reset.add(t.id)
        for a, b in combinations(sorted(observed), 2):  # 2. two tracks on one person
            if a in observed and b in observed and self._one_person(observed[a], observed[b]):
                cost_a = self._cost(by_id[a], predicted[a], observed[a], frame)
                cost_b = self._cost(by_id[b], predicted[b], observed[b], frame)
                loser = b if cost_a <= cost_b else a
                del observed[loser]
                reset.add(loser)
        revived: list[Track] = []
        if detections is not None:  # 3. the detector's people
            self._last_detection = frame
            before, crops_found = len(self.tracks), set(observed)
            revived = self._match_detections(frame, active, predicted, observed, detections)
            refound = any(active_t.last_seen < frame - 1 for active_t in active
                          if active_t.id in set(observed) - crops_found)  # fmt: skip
            self._pace(frame, bool(revived) or len(self.tracks) > before or refound)
        self._commit(frame, active + revived, observed)
        missing = any(t.last_seen < frame for t in self.active)
        if missing and not self._missing:  # someone just went missing: look again soon
            self._retry = self.settings.retry_every
        self._missing = missing
        return Step(observed, reset)

    def _one_person(self, a: Observation, b: Observation) -> bool:
        """Two poses on one person: their boxes, or their torsos, overlap this much (a pose that
        has lost its legs has a short box that overlaps the full one little), or their hips all
        but coincide (seen from the side, a torso is too narrow to overlap reliably)."""
        limit = self.settings.duplicate_iou
        if iou(a.box, b.box)[0, 0] > limit:
            return True
        ta, tb = torso_box(a.points, a.visibility), torso_box(b.points, b.visibility)
        if ta is not None and tb is not None and iou(ta, tb)[0, 0] > limit:
            return True
        ha, hb = hip_centre(a.points, a.visibility), hip_centre(b.points, b.visibility)
        tall = max(height(a.box), height(b.box))
        return (
            ha is not None
            and hb is not None
            and bool(np.linalg.norm(ha - hb) < self.settings.same_hips * tall)
        )

    def _drifted(self, track: Track, obs: Observation, frame: int) -> bool:
        """The crop's pose has slid towards a neighbour: its hips are nearer where another
        dancer's hips just were than where this dancer's were (a crop landmarker that locks
        half on to the person beside its dancer)."""
        hip = hip_centre(obs.points, obs.visibility)
        recent = frame - self.settings.drift_frames
        if hip is None or track.hip is None or track.last_seen < recent:
            return False
        own = np.linalg.norm(hip - track.hip)
        return any(
            np.linalg.norm(hip - t.hip) < own
            for t in self.active
            if t is not track and t.hip is not None and t.last_seen >= recent
        )

    def _match_detections(
        self,
        frame: int,
        active: list[Track],
        predicted: dict[int, np.ndarray],
        observed: dict[int, Observation],
        detections: list[Observation],
    ) -> list[Track]:
        s = self.settings
        where = {t.id: observed[t.id].box if t.id in observed else predicted[t.id] for t in active}
        seen_now = dict(observed)  # a detection of a person already seen is theirs alone

        def cost_of(t: Track, d: Observation) -> float:
            if any(i != t.id and self._one_person(o, d) for i, o in seen_now.items()):
                return np.inf
            return self._cost(t, where[t.id], d, frame)

        cost = np.array([[cost_of(t, d) for d in detections] for t in active]).reshape(
            len(active), len(detections)
        )
        used = set()
        for r, c in assign(cost, s.max_cost):
            used.add(c)
            observed.setdefault(active[r].id, detections[c])
        taken = [where[t.id] for t in active]
        fresh = [
            d
            for c, d in enumerate(detections)
            if c not in used and (not taken or iomin(d.box, np.array(taken)).max() < 0.5)
        ]
        revived: list[Track] = []
        lost = [t for t in self.tracks if t.lost]
        if fresh and lost:
            distances = color_distances([d.color for d in fresh], [t.color for t in lost])
            pairs = assign(distances, s.reid_gate)
            for r, c in pairs:
                lost[c].lost = False
                lost[c].velocity = np.zeros(4)
                observed[lost[c].id] = fresh[r]
                revived.append(lost[c])
            fresh = [d for r, d in enumerate(fresh) if r not in {p[0] for p in pairs}]
        for d in fresh:
            if len(self.active) >= s.max_tracks:
                break
            track = Track(self._next_id, d.box.copy(), d.color.copy(), frame)
            self._next_id += 1
            self.tracks.append(track)
            observed[track.id] = d
        return revived

    def _commit(self, frame: int, tracks: list[Track], observed: dict[int, Observation]) -> None:
        boxes = {i: o.box for i, o in observed.items()}
        for t in tracks:
            obs = observed.get(t.id)
            if obs is None:
                if frame - t.last_seen > self.settings.max_coast:
                    t.lost = True
                continue
            if t.last_seen < frame:
                step = (obs.box - t.box) / (frame - t.last_seen)
                t.velocity = 0.6 * t.velocity + 0.4 * np.clip(step, -0.1 * height(t.box),
                                                              0.1 * height(t.box))  # fmt: skip
            t.box, t.last_seen = obs.box.copy(), frame
            t.hip = hip_centre(obs.points, obs.visibility)
            crowded = any(
                iou(obs.box, other)[0, 0] > self.settings.crowded_iou
                for i, other in boxes.items()
                if i != t.id
            )
            if not crowded and obs.color.any():  # learn the colour from clean views only
                rate = max(0.05, 1.0 / (t.samples + 1))
                t.color = (1 - rate) * t.color + rate * obs.color
                t.samples += 1

    def colors(self) -> dict[int, np.ndarray]:
        return {t.id: t.color for t in self.tracks}
