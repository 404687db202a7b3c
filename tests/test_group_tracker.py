"""The group tracker's pure parts on synthetic detections: boxes, colour, who is who, numbering."""

from __future__ import annotations

import numpy as np
import pytest

from game.capture.group.appearance import BINS, FEATURE_SIZE, color_distance, color_feature
from game.capture.group.boxes import assign, iomin, iou, pose_box, suppress_duplicates
from game.capture.group.result import GroupTracks, build_group, numbering_frame
from game.capture.group.tracker import GroupTracker, Observation, TrackerSettings
from game.pose.skeleton import (
    L_ANKLE,
    L_HIP,
    L_KNEE,
    L_SHOULDER,
    NUM_LANDMARKS,
    R_ANKLE,
    R_HIP,
    R_KNEE,
    R_SHOULDER,
)


def color(bin_: int) -> np.ndarray:
    """A look: head, upper and lower body all in one colour bin."""
    feature = np.zeros(FEATURE_SIZE)
    feature[bin_] = feature[BINS + bin_] = feature[2 * BINS + bin_] = 1.0
    return feature


def person(cx: float, bin_: int, height: float = 100.0, top: float = 50.0) -> Observation:
    """A synthetic dancer standing at x = cx: landmarks spread over a body-shaped box."""
    rng = np.random.default_rng(int(cx * 10) % 1000)
    points = np.zeros((NUM_LANDMARKS, 3))
    points[:, 0] = cx + rng.uniform(-0.2, 0.2, NUM_LANDMARKS) * height
    points[:, 1] = top + rng.uniform(0.1, 1.0, NUM_LANDMARKS) * height
    points[0, 1], points[1, 0], points[2, 0] = (
        top + 0.1 * height,
        cx - 0.2 * height,
        cx + 0.2 * height,
    )
    points[30, 1] = top + height
    visibility = np.ones(NUM_LANDMARKS)
    box = pose_box(points, visibility)
    assert box is not None
    return Observation(points, visibility, box, color(bin_))


def test_box_overlaps_and_duplicates() -> None:
    a = np.array([0, 0, 10, 10.0])
    b = np.array([5, 0, 15, 10.0])
    inner = np.array([2, 2, 6, 6.0])
    assert iou(a, b)[0, 0] == pytest.approx(1 / 3)
    assert iomin(a, inner)[0, 0] == pytest.approx(1.0)
    assert iou(a, np.array([20, 20, 30, 30.0]))[0, 0] == 0
    keep = suppress_duplicates(np.stack([a, inner, b]), np.array([0.9, 0.5, 0.8]))
    assert keep == [0, 2]  # the box inside a better one goes


def test_hungarian_assignment_gates_expensive_pairs() -> None:
    cost = np.array([[0.1, 0.9], [0.2, 5.0], [np.inf, np.inf]])
    assert assign(cost, max_cost=1.0) == [(0, 1), (1, 0)]
    assert assign(np.zeros((0, 3)), 1.0) == []


def test_color_feature_tells_clothes_apart() -> None:
    image = np.zeros((200, 200, 3), np.uint8)
    image[:, :100] = (200, 30, 30)  # a red dancer on the left
    image[:, 100:] = (30, 30, 200)  # a blue one on the right
    points = np.zeros((NUM_LANDMARKS, 3))
    vis = np.ones(NUM_LANDMARKS)

    def body(cx: float) -> np.ndarray:
        p = points.copy()
        p[:, 0], p[:, 1] = cx, 20  # the face
        legs = [L_SHOULDER, R_SHOULDER, L_HIP, R_HIP, L_KNEE, R_KNEE, L_ANKLE, R_ANKLE]
        p[legs, 0] = cx + np.array([-20, 20, -15, 15, -15, 15, -15, 15])
        p[[L_SHOULDER, R_SHOULDER], 1], p[[L_HIP, R_HIP], 1], p[[L_KNEE, R_KNEE], 1] = 40, 100, 150
        p[[L_ANKLE, R_ANKLE], 1] = 190
        return p

    red, red2, blue = (color_feature(image, body(x), vis) for x in (40, 60, 150))
    assert color_distance(red, red2) < 0.05
    assert color_distance(red, blue) > 0.9
    hidden = color_feature(image, body(40), np.zeros(NUM_LANDMARKS))
    assert not hidden.any() and color_distance(hidden, red) == 0.5


def run_frames(tracker: GroupTracker, frames: list[list[Observation]], crops: bool = True):
    """Feed synthetic frames: each track's crop finds the person nearest its prediction."""
    ids = []
    for n, people in enumerate(frames):
        guesses: dict[int, Observation | None] = {}
        if crops:
            for track_id, box in tracker.crop_boxes(n).items():
                near = [p for p in people if iou(p.box, box)[0, 0] > 0.3]
                guesses[track_id] = max(near, key=lambda p: iou(p.box, box)[0, 0], default=None)
        detections = people if tracker.needs_detection(n) else None
        step = tracker.update(n, guesses, detections)
        ids.append({round(float(o.box[0] + o.box[2]) / 2): i for i, o in step.observed.items()})
    return ids


def test_two_dancers_crossing_keep_their_identities() -> None:
    """Red walks right, blue walks left; they pass through each other."""
    frames = [[person(100 + 4 * n, 1), person(300 - 4 * n, 9)] for n in range(50)]
    tracker = GroupTracker(TrackerSettings(detect_every=1, calm_every=1))
    run_frames(tracker, frames, crops=False)
    tracks = {t.id: t for t in tracker.tracks}
    assert len(tracks) == 2
    red = min(tracks.values(), key=lambda t: color_distance(t.color, color(1)))
    blue = next(t for t in tracks.values() if t is not red)
    assert red.box[0] > blue.box[0]  # red ended on the right: the tracks crossed with them
    assert color_distance(red.color, color(1)) < 0.1
    assert color_distance(blue.color, color(9)) < 0.1


def test_a_crop_that_jumps_to_a_neighbour_is_refused() -> None:
    tracker = GroupTracker(TrackerSettings(detect_every=5))
    left, right = person(100, 1), person(180, 9)
    for n in range(8):
        tracker.update(n, {t: (left, right)[t] for t in range(len(tracker.tracks))} if n else {},
                       [left, right] if n == 0 else None)  # fmt: skip
    ids = sorted(t.id for t in tracker.active)
    step = tracker.update(8, {ids[0]: right, ids[1]: right})  # both crops on the right dancer
    assert step.observed == {ids[1]: right}
    assert step.reset == {ids[0]}


def test_a_dancer_who_leaves_and_comes_back_keeps_their_number() -> None:
    settings = TrackerSettings(detect_every=1, calm_every=1, max_coast=10)
    tracker = GroupTracker(settings)
    stay, leaver = person(100, 1), person(300, 9)
    frames = [[stay, leaver]] * 20 + [[stay]] * 30 + [[stay, person(420, 9)]] * 10
    run_frames(tracker, frames)
    assert len(tracker.tracks) == 2  # came back as the same track, not a third one
    assert all(not t.lost for t in tracker.tracks)
    back = next(t for t in tracker.tracks if color_distance(t.color, color(9)) < 0.1)
    assert back.box[0] > 350


def test_a_stranger_in_new_clothes_gets_a_new_track() -> None:
    tracker = GroupTracker(TrackerSettings(detect_every=1, calm_every=1, max_coast=10))
    frames = [[person(100, 1), person(300, 9)]] * 20 + [[person(100, 1)]] * 30
    frames += [[person(100, 1), person(300, 14)]] * 10
    run_frames(tracker, frames)
    assert len(tracker.tracks) == 3


def tracklets(xs: list[list[float]], colors: list[np.ndarray]):
    """Tracklets from hip x per frame (NaN = unseen)."""
    k, n = len(xs), len(xs[0])
    landmarks = np.zeros((k, n, NUM_LANDMARKS, 3), np.float32)
    visibility = np.zeros((k, n, NUM_LANDMARKS), np.float32)
    for i, row in enumerate(xs):
        for j, x in enumerate(row):
            if not np.isnan(x):
                landmarks[i, j, :, 0] = x
                visibility[i, j] = 1.0
    return build_group(np.arange(n) / 30.0, landmarks, visibility, colors, 16 / 9)


def test_build_group_drops_brief_members_and_numbers_left_to_right() -> None:
    nan = np.nan
    group = tracklets(
        [
            [1.2] * 10 + [nan] * 2 + [0.2] * 8,  # red: right, then gone, back at the far left
            [0.8] * 20,  # blue in the middle all along
            [nan] * 19 + [1.5],  # a one-frame false detection
        ],
        [color(1), color(9), color(14)],
    )
    assert group.count == 2
    assert group.shares() == pytest.approx([1.0, 0.9])
    # numbered at frame 0 (both in view): red at x 1.2 is right of blue at 0.8
    assert color_distance(group.colors[0], color(9)) < 0.1
    assert group.track(2).landmarks[15, 0, 0] == pytest.approx(0.2)


def test_numbering_frame_is_the_first_with_most_dancers() -> None:
    seen = np.array([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1], [0, 1, 1, 1, 1]], bool)
    assert numbering_frame(seen) == 2


def test_group_tracks_round_trip_without_pickle() -> None:
    group = tracklets([[0.5] * 5, [1.0] * 5], [color(1), color(9)])
    back = GroupTracks.from_bytes(group.to_bytes())
    assert back.count == 2 and back.aspect == pytest.approx(16 / 9)
    assert np.array_equal(back.landmarks, group.landmarks)
    with pytest.raises(ValueError):
        GroupTracks.from_bytes(b"not an npz")


def with_hips(obs: Observation, x: float, y: float = 110.0) -> Observation:
    """`obs` with its hips (and shoulders above them) moved to x."""
    points = obs.points.copy()
    points[[L_HIP, R_HIP], 0], points[[L_HIP, R_HIP], 1] = [x - 8, x + 8], y
    points[[L_SHOULDER, R_SHOULDER], 0], points[[L_SHOULDER, R_SHOULDER], 1] = [x - 10, x + 10], 70
    box = pose_box(points, obs.visibility)
    assert box is not None
    return Observation(points, obs.visibility, box, obs.color)


def two_tracks(left: Observation, right: Observation) -> tuple[GroupTracker, list[int]]:
    """A tracker that has followed `left` and `right` for 8 frames (ids left first)."""
    tracker = GroupTracker(TrackerSettings(detect_every=50))
    tracker.update(0, {}, [left, right])
    ids = sorted(tracker.tracks, key=lambda t: t.box[0])
    for n in range(1, 8):
        tracker.update(n, {ids[0].id: left, ids[1].id: right})
    return tracker, [t.id for t in ids]


def test_a_crop_pose_sliding_on_to_the_neighbour_is_refused() -> None:
    """Same clothes, so colour cannot tell: the hips slid nearer the neighbour's."""
    left, right = with_hips(person(100, 1), 100), with_hips(person(160, 1), 160)
    tracker, (a, b) = two_tracks(left, right)
    slid = with_hips(person(104, 1), 140)  # box still about the left dancer's
    step = tracker.update(8, {a: slid, b: right})
    assert step.observed == {b: right} and step.reset == {a}
    step = tracker.update(9, {a: with_hips(person(102, 1), 104), b: right})  # back: taken
    assert set(step.observed) == {a, b}


def test_two_poses_with_the_same_hips_are_one_person() -> None:
    tracker = GroupTracker()
    left, right = with_hips(person(100, 1), 100), with_hips(person(180, 9), 180)
    legs_lost = with_hips(person(178, 1, height=60), 178)  # a short box: little box overlap
    assert iou(legs_lost.box, right.box)[0, 0] < 0.5
    assert tracker._one_person(legs_lost, right)
    assert not tracker._one_person(left, right)
    side_by_side = with_hips(person(150, 1), 150)  # touching, but the hips are a body apart
    assert not tracker._one_person(side_by_side, right)


def test_detection_calms_down_while_it_finds_nobody_new_and_not_when_someone_is_missing() -> None:
    """The tiled detection is the dearest part: with everyone followed it runs every 10, then
    20, then 30 frames; while a dancer is lost it retries every 3 frames, doubling to 10
    while the retries find no one; a newcomer brings the usual pace back."""
    settings = TrackerSettings(detect_every=10, calm_every=30, retry_every=3)
    tracker = GroupTracker(settings)
    a, b = person(100, 1), person(300, 9)
    detected = []
    for n in range(120):
        crops = {t.id: (a if t.box[0] < 200 else b) for t in tracker.active}
        people = [a, b]
        if tracker.needs_detection(n):
            detected.append(n)
            tracker.update(n, crops, people)
        else:
            tracker.update(n, crops)
    assert detected[:5] == [0, 10, 30, 60, 90]
    lost = next(t for t in tracker.active if t.box[0] > 200)
    retries = []
    for n in range(120, 160):  # b's crop finds nobody (and the detector neither)
        crops = {t.id: (a if t is not lost else None) for t in tracker.active}
        if tracker.needs_detection(n):
            retries.append(n)
            tracker.update(n, crops, [a])
        else:
            tracker.update(n, crops)
    gaps = np.diff(retries)
    assert gaps[0] == 3 and gaps.max() <= 10 and list(gaps[:3]) == [3, 6, 10]
