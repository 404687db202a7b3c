"""Group tracking on the real group clips: who is who, and dancers judged against each other.

Each clip's first SECONDS are tracked once per module (the whole clips would take minutes).
"""

from __future__ import annotations

from itertools import combinations, pairwise, permutations
from pathlib import Path

import numpy as np
import pytest

from game.capture.group.appearance import color_distance, color_feature
from game.capture.group.boxes import hip_centre, iou, pose_box
from game.capture.group.result import MERGE_GATE, GroupTracks
from game.cli import main

pytestmark = [pytest.mark.realdata, pytest.mark.mediapipe]

SECONDS = 5.0
DANCERS = {"group3_office": 3, "group3_studio": 3, "group2_wall": 2}


@pytest.fixture(scope="module")
def clips() -> dict[str, Path]:
    from conftest import REALDATA

    paths = {name: REALDATA / f"{name}.mp4" for name in DANCERS}
    missing = [p.name for p in paths.values() if not p.is_file()]
    if missing:
        pytest.skip(f"group clips not found in {REALDATA}: {', '.join(missing)}")
    return paths


@pytest.fixture(scope="module")
def groups(clips: dict[str, Path], tmp_path_factory: pytest.TempPathFactory):
    from game.capture.group.runner import track_group

    models = tmp_path_factory.mktemp("group-models")
    return {name: track_group(path, models, end=SECONDS) for name, path in clips.items()}


def boxes_and_hips(group: GroupTracks) -> tuple[np.ndarray, np.ndarray]:
    """(D, N, 4) boxes and (D, N, 2) hip midpoints in height units, NaN where unseen."""
    d, n = group.seen().shape
    boxes, hips = np.full((d, n, 4), np.nan), np.full((d, n, 2), np.nan)
    for k in range(d):
        for f in np.flatnonzero(group.seen()[k]):
            lm, vis = group.landmarks[k, f], group.visibility[k, f]
            if (box := pose_box(lm, vis)) is not None:
                boxes[k, f] = box
            if (hip := hip_centre(lm, vis)) is not None:
                hips[k, f] = hip
    return boxes, hips


@pytest.mark.parametrize("name", list(DANCERS))
def test_every_dancer_is_found_and_seen_most_of_the_time(groups, name: str) -> None:
    group = groups[name]
    assert group.count == DANCERS[name]
    assert (group.shares() > 0.9).all(), group.shares()


@pytest.mark.parametrize("name", list(DANCERS))
def test_never_two_tracks_on_one_person(groups, name: str) -> None:
    """Two tracks on one dancer overlap in box, or their hips coincide (a pose that lost its
    legs has a short box; side by side, two real dancers' hips are a body width apart)."""
    boxes, hips = boxes_and_hips(groups[name])
    for a, b in combinations(range(len(boxes)), 2):
        both = np.flatnonzero(np.isfinite(boxes[a, :, 0]) & np.isfinite(boxes[b, :, 0]))
        overlaps = [iou(boxes[a, f], boxes[b, f])[0, 0] for f in both]
        assert max(overlaps) < 0.5, (a + 1, b + 1, both[int(np.argmax(overlaps))])
        apart = np.linalg.norm(hips[a] - hips[b], axis=1) / (boxes[a, :, 3] - boxes[a, :, 1])
        assert not (apart < 0.1).any(), (a + 1, b + 1, np.flatnonzero(apart < 0.1))


@pytest.mark.parametrize("name", list(DANCERS))
def test_each_track_moves_on_with_its_own_dancer(groups, name: str) -> None:
    """Position continuity: from one seen frame to the next, each track's hips stay nearer
    where that dancer's hips were than where any other dancer's were. A track that jumps
    to another dancer breaks this on the frame it jumps. (Clothing colour cannot show this
    in group3_studio, where dancers 1 and 3 wear the same black outfit.)"""
    _, hips = boxes_and_hips(groups[name])
    for d in range(len(hips)):
        own_frames = np.flatnonzero(np.isfinite(hips[d, :, 0]))
        for prev, now in pairwise(own_frames):
            own = np.linalg.norm(hips[d, now] - hips[d, prev])
            for other in range(len(hips)):
                if other != d and np.isfinite(hips[other, prev, 0]):
                    assert own < np.linalg.norm(hips[d, now] - hips[other, prev]), (d + 1, now)


def test_tracks_keep_their_clothing_color(groups, clips: dict[str, Path]) -> None:
    """Only between dancers whose clothes the tracker can tell apart (their colours further
    apart than MERGE_GATE, under which it takes two tracklets for one dancer): group3_office
    all pairs, group3_studio dancers 2 and 3 (1 and 3 both wear black), group2_wall none."""
    from game.capture.video import iter_video, probe_video

    checked = 0
    for name, path in clips.items():
        group = groups[name]
        height = probe_video(path).height
        seen = group.seen()
        features: list[list[np.ndarray]] = [[] for _ in range(group.count)]
        for f, frame in enumerate(iter_video(path, end=float(group.times[-1]) + 0.01)):
            for d in np.flatnonzero(seen[:, f]) if f < seen.shape[1] else ():
                lm, vis = group.landmarks[d, f] * height, group.visibility[d, f]
                if (feature := color_feature(frame.image, lm, vis)).any():
                    features[d].append(feature)
        means = [np.mean(f, axis=0) for f in features]
        for a, b in permutations(range(group.count), 2):
            if color_distance(means[a], means[b]) < MERGE_GATE:
                continue
            checked += 1
            own = [color_distance(f, means[a]) < color_distance(f, means[b]) for f in features[a]]
            assert np.mean(own) > 0.9, (name, a + 1, b + 1, np.mean(own))
    assert checked >= 6  # office's three pairs both ways at least: the test does check


def _good_share(reference: GroupTracks, cover: GroupTracks, pairs, grid, difficulty: str):
    from game.pose.skeleton import angle_set
    from game.scoring.judge import Judge
    from game.scoring.rules import DIFFICULTIES, Judgement

    specs = angle_set("seed")
    tolerances = np.array([s.tolerance_deg for s in specs], np.float32)
    good = []
    for a, b in pairs:
        judge = Judge(reference.track(a), grid, specs, tolerances, DIFFICULTIES[difficulty])
        events = judge.judge_track(cover.track(b))
        good += [e.judgement >= Judgement.GOOD for e in events if e.judgement != Judgement.NO_POSE]
    return float(np.mean(good)), len(good)


def test_members_of_one_clip_score_as_a_true_cover(groups, clips: dict[str, Path]) -> None:
    """They dance in unison: each against another of the same clip is a true cover; a dancer
    of another clip's routine over the same seconds is the mismatched control."""
    from game.audio.beats import ANALYSIS_RATE, track_tempo
    from game.audio.extract import decode_audio
    from game.timing.beat_grid import BeatGrid

    true: dict[str, list[tuple[float, int]]] = {"easy": [], "normal": []}
    wrong: dict[str, list[tuple[float, int]]] = {"easy": [], "normal": []}
    for name, group in groups.items():
        tempo = track_tempo(decode_audio(clips[name], rate=ANALYSIS_RATE, mono=True).mono())
        assert tempo is not None
        grid = BeatGrid.fitting(tempo.bpm, tempo.offset, 2.0, float(group.times[-1]))
        members = range(1, group.count + 1)
        for difficulty in true:
            share = _good_share(group, group, list(permutations(members, 2)), grid, difficulty)
            true[difficulty].append(share)
            if difficulty == "easy":
                assert share[0] >= 0.8, (name, share)
            for other_name, other in groups.items():
                if other_name != name:
                    pairs = [(a, b) for a in members for b in range(1, other.count + 1)]
                    wrong[difficulty].append(_good_share(group, other, pairs, grid, difficulty))

    def pooled(results: list[tuple[float, int]]) -> float:
        return sum(s * n for s, n in results) / sum(n for _, n in results)

    assert pooled(true["easy"]) >= pooled(wrong["easy"]) + 0.3
    assert pooled(true["normal"]) >= 0.4
    assert pooled(true["normal"]) >= pooled(wrong["normal"]) + 0.3


def test_second_member_import_uses_the_cache(
    clips: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`--dancers` tracks the video once; `--dancer N` then reads the cache; `--dancer 7` of
    a three-dancer clip is one line naming the dancers found. (A 3 s cut of group3_office,
    video only: hence --bpm.)"""
    import game.capture.group.runner as runner
    from game.authoring.clip import transcode_span
    from game.level.loader import load_level

    monkeypatch.setenv("COVER_DANCE_CACHE", str(tmp_path / "cache"))
    clip = tmp_path / "office3.mp4"
    transcode_span(clips["group3_office"], clip, 0.0, 3.0)
    calls = []
    real = runner.track_group

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "track_group", counting)
    sheet = tmp_path / "sheet.png"
    assert main(["import", str(clip), "--dancers", "--sheet", str(sheet), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert [line.split(":")[0] for line in out.splitlines() if line.startswith("dancer ")] == [
        "dancer 1", "dancer 2", "dancer 3",
    ]  # fmt: skip
    assert sheet.is_file() and str(sheet) in out and len(calls) == 1
    assert not (tmp_path / "home" / "levels").exists()  # --dancers writes no level
    level_dir = tmp_path / "member2"
    code = main(["import", str(clip), "--dancer", "2", "--out", str(level_dir), "--bpm", "120",
                 "--offset", "0.5", "--no-video", "--quiet"])  # fmt: skip
    assert code == 0
    assert "tracking from the cache" in capsys.readouterr().out and len(calls) == 1
    assert load_level(level_dir).title == "office3 dancer 2"
    group_dir = tmp_path / "all"
    code = main(["import", str(clip), "--all-dancers", "--out", str(group_dir), "--bpm", "120",
                 "--offset", "0.5", "--no-video", "--quiet"])  # fmt: skip
    assert code == 0 and len(calls) == 1 and "all 3 dancers" in capsys.readouterr().out
    group_level = load_level(group_dir)
    assert [m.name for m in group_level.members] == ["dancer 1", "dancer 2", "dancer 3"]
    assert np.allclose(
        group_level.with_member(1).pose.landmarks, load_level(level_dir).pose.landmarks
    )
    assert main(["import", str(clip), "--dancer", "7", "--bpm", "120", "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and len(calls) == 1
    assert "--dancer 7" in err and "3 dancers" in err and "1 (" in err and "3 (" in err
