"""`cover-dance score` on the real clips: the game's score, and it must mean something.

Each clip is pose-tracked once per session (15 fps, the session pose cache of conftest).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from game.cli import main
from game.config import Settings
from game.cover.run import CoverResult, score_cover
from game.errors import UserError
from game.level.writer import save_pose_track
from game.pose.frame import PoseTrack
from game.scoring.rules import Judgement
from game.scoring.score import grade_for

pytestmark = [pytest.mark.realdata, pytest.mark.mediapipe]

CLIPS = ("funfun_reference", "funfun_user", "mruchus_nat2", "mruchus_nat3",
         "justidol_easy", "justidol_hard")  # fmt: skip
TRUE_PAIRS = (("funfun_reference", "funfun_user"), ("mruchus_nat2", "mruchus_nat3"))
# The yardstick: at normal a real cover must stand out and a wrong dance earn D.
# (The game's default, easy, forgives more: see test_calibration.py for every difficulty.)
DIFFICULTY = "normal"


def family(name: str) -> str:
    return name if name.startswith("justidol") else name.split("_")[0]


UNRELATED = tuple((a, b) for a in CLIPS for b in CLIPS if family(a) != family(b))


@pytest.fixture(scope="session")
def results(pose_cache: Path) -> dict[tuple[str, str], CoverResult]:
    """Every true and unrelated pair scored once at normal (clips tracked once, cached)."""
    from conftest import REALDATA

    if not (REALDATA / "funfun_reference.mp4").is_file():
        pytest.skip(f"real dance clips not found in {REALDATA}")
    out = {}
    for ref, cover in (*TRUE_PAIRS, *[(b, a) for a, b in TRUE_PAIRS], *UNRELATED):
        a, b = REALDATA / f"{ref}.mp4", REALDATA / f"{cover}.mp4"
        try:
            out[(ref, cover)] = score_cover(a, b, difficulty=DIFFICULTY)
        except UserError as exc:
            assert "record the whole dance" in str(exc)  # a short clip against a long one
    return out


@pytest.mark.parametrize("pair", [*TRUE_PAIRS, *[(b, a) for a, b in TRUE_PAIRS]], ids="<-".join)
def test_a_true_cover_scores_clearly_above_every_unrelated_pair(
    results: dict, pair: tuple[str, str]
) -> None:
    """The margin is two standard deviations of the unrelated pairs' scores: an unrelated
    pair that scores above the best one measured by chance would still not reach a true
    cover. Measured at normal: true 42-59, unrelated 0-24 (sd about 5)."""
    unrelated = [r.score for p, r in results.items() if p in UNRELATED]
    assert len(unrelated) >= 20
    margin = 2 * float(np.std(unrelated))
    assert results[pair].score >= max(unrelated) + margin, sorted(unrelated)
    assert results[pair].grade in "SABC"


def test_a_wrong_dance_earns_grade_d(results: dict) -> None:
    grades = {p: r.grade for p, r in results.items() if p in UNRELATED}
    assert set(grades.values()) == {"D"}, grades


def test_the_printed_figures_agree(results: dict) -> None:
    """The headline is the game's score of the events, at the alignment that was chosen:
    mirrored or not, whichever scores higher."""
    for result in results.values():
        a, s = result.alignment, result.summary
        assert result.score == s.score == a.score
        assert s.score == pytest.approx(sum(e.points for e in a.events) / s.total_windows, abs=0.01)
        assert s.grade == grade_for(s.score)
        assert a.mirror_scores[a.mirrored] == max(a.mirror_scores.values())


def test_shared_music_keeps_the_tempo_and_the_musics_offset(results: dict) -> None:
    result = results[("funfun_reference", "funfun_user")]
    assert result.alignment.audio_correlation > 0.5
    assert result.alignment.method.startswith("audio")
    assert abs(result.alignment.tempo - 1.0) < 0.02
    assert abs(result.alignment.offset_s - 0.56) < 0.25


def _track(path: Path) -> PoseTrack:
    from game.capture.cache import cached_video_track
    from game.capture.request import TrackRequest

    return cached_video_track(TrackRequest.of(path, 15.0))


def _cover_file(tmp_path: Path, track: PoseTrack, name: str) -> Path:
    path = tmp_path / f"{name}.npz"
    save_pose_track(path, track)
    return path


def test_a_clip_against_itself_scores_100(realdata: Path, pose_cache: Path) -> None:
    clip = realdata / "justidol_easy.mp4"
    result = score_cover(clip, clip)
    assert result.score == 100.0
    assert result.summary.score == 100.0
    assert not result.alignment.mirrored
    assert abs(result.alignment.offset_s) < 0.05


@pytest.mark.parametrize("transform", ["shifted", "scaled", "corner", "mirrored"])
def test_a_transformed_copy_still_scores_at_least_95(
    realdata: Path, pose_cache: Path, tmp_path: Path, transform: str
) -> None:
    clip = realdata / "mruchus_nat2.mp4"
    track = _track(clip)
    if transform == "shifted":
        cover = track.shifted(1.5)
    elif transform in ("scaled", "corner"):
        landmarks = track.landmarks.copy()
        landmarks[..., :2] *= 0.6
        if transform == "corner":
            landmarks[..., 0] += track.aspect * 0.4
            landmarks[..., 1] += 0.4
        cover = PoseTrack(track.times, landmarks, track.visibility, track.aspect)
    else:
        cover = track.mirrored()
    result = score_cover(clip, _cover_file(tmp_path, cover, transform))
    assert result.score >= 95
    assert result.summary.score >= 95
    assert result.alignment.mirrored == (transform == "mirrored")
    if transform == "shifted":
        assert abs(result.alignment.offset_s - 1.5) < 0.1


def _write_video(source: Path, target: Path, edit, audio: bool = False) -> None:
    """Re-encode `source` with every frame passed through `edit` (RGB array -> RGB array)."""
    with av.open(str(source)) as src, av.open(str(target), "w") as out:
        stream = src.streams.video[0]
        encoder = out.add_stream("libx264", rate=stream.average_rate or Fraction(30))
        encoder.width, encoder.height = stream.codec_context.width, stream.codec_context.height
        encoder.pix_fmt, encoder.options = "yuv420p", {"preset": "ultrafast"}
        for frame in src.decode(stream):
            image = edit(frame.to_ndarray(format="rgb24"))
            for packet in encoder.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                out.mux(packet)
        for packet in encoder.encode():
            out.mux(packet)


def _corner(image: np.ndarray) -> np.ndarray:
    import cv2

    h, w = image.shape[:2]
    small = cv2.resize(image, (int(w * 0.6), int(h * 0.6)), interpolation=cv2.INTER_AREA)
    canvas = np.zeros_like(image)
    canvas[h - small.shape[0] :, w - small.shape[1] :] = small
    return canvas


@pytest.mark.parametrize("edit", ["mirrored", "scaled_into_corner"])
def test_a_transformed_video_still_scores_at_least_95(
    realdata: Path, pose_cache: Path, tmp_path: Path, edit: str
) -> None:
    clip = realdata / "mruchus_nat2.mp4"
    cover = tmp_path / f"{edit}.mp4"
    _write_video(clip, cover, (lambda im: im[:, ::-1].copy()) if edit == "mirrored" else _corner)
    result = score_cover(clip, cover)
    assert result.score >= 95, result.summary
    assert result.summary.score >= 95, result.summary
    assert result.alignment.mirrored == (edit == "mirrored")


def test_a_waist_up_pair_leaves_the_legs_out(realdata: Path, pose_cache: Path) -> None:
    result = score_cover(realdata / "funfun_reference.mp4", realdata / "funfun_user.mp4")
    assert result.alignment.audio_correlation > 0.5  # the shared music set the offset
    assert abs(result.alignment.tempo - 1.0) < 0.12
    assert any("left out" in w and "shin" in w for w in result.warnings), result.warnings
    for event in result.events:
        assert all(np.isnan(r) or r >= 0 for r in event.joint_ratios)


def test_a_cover_much_shorter_than_the_reference_is_refused(
    realdata: Path, pose_cache: Path, tmp_path: Path
) -> None:
    track = _track(realdata / "funfun_user.mp4").slice_time(0.0, 5.0)
    with pytest.raises(UserError, match="record the whole dance"):
        score_cover(realdata / "funfun_reference.mp4", _cover_file(tmp_path, track, "short"))


def test_no_dancer_and_unreadable_files_give_one_line(realdata: Path, tmp_path: Path) -> None:
    track = _track(realdata / "justidol_easy.mp4")
    empty = PoseTrack(track.times, track.landmarks, np.zeros_like(track.visibility), track.aspect)
    with pytest.raises(UserError, match="no dancer found"):
        score_cover(realdata / "justidol_easy.mp4", _cover_file(tmp_path, empty, "empty"))
    junk = tmp_path / "junk.mp4"
    junk.write_text("not a video at all")
    with pytest.raises(UserError, match="not a video"):
        score_cover(realdata / "justidol_easy.mp4", junk)
    with pytest.raises(UserError, match="not found"):
        score_cover(tmp_path / "missing.mp4", realdata / "justidol_easy.mp4")


def test_the_command_writes_json_report_and_video(
    realdata: Path, pose_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, video = tmp_path / "report.html", tmp_path / "side.mp4"
    code = main([
        "score", str(realdata / "funfun_reference.mp4"), str(realdata / "funfun_user.mp4"),
        "--json", "-", "--report", str(report), "--video", str(video), "--quiet",
    ])  # fmt: skip
    assert code == 0
    out = capsys.readouterr()
    data = json.loads(out.out)
    keys = {"score", "grade", "counts", "windows_total", "offset_s", "mirrored", "tempo"}
    keys |= {"difficulty", "windows", "missed_segments"}
    assert keys <= set(data)
    assert not {"similarity", "chance_similarity"} & set(data)  # one scale
    assert data["difficulty"] == Settings().difficulty == "normal"  # the game's default
    assert set(data["counts"]) == {"perfect", "good", "miss", "no_pose"}
    assert sum(data["counts"].values()) == data["windows_total"] == len(data["windows"])
    points = sum(Judgement[w["judgement"]].points for w in data["windows"])
    assert data["score"] == pytest.approx(points / data["windows_total"], abs=0.01)
    assert data["grade"] == grade_for(data["score"])
    pick = data["alignment"]["score_mirrored" if data["mirrored"] else "score_not_mirrored"]
    assert data["score"] == pick
    assert data["score"] >= data["alignment"]["score_not_mirrored" if data["mirrored"]
                                              else "score_mirrored"]  # fmt: skip
    assert {"start_s", "judgement", "joint_errors_deg"} <= set(data["windows"][0])
    assert all(isinstance(m["coaching"], list) for m in data["missed_segments"])
    assert any(m["coaching"] for m in data["missed_segments"])
    assert f"score {data['score']:.1f} / 100, grade {data['grade']}" in out.err
    assert f"offset {data['offset_s']:+.2f} s" in out.err
    assert "above chance" not in out.err and "similarity" not in out.err
    page = report.read_text()
    assert "<svg" in page and "Weakest joints" in page
    assert f"{data['score']:.1f}" in page and "above chance" not in page
    assert 'src="http' not in page and 'href="http' not in page  # self-contained
    with av.open(str(video)) as container:
        assert container.streams.video[0].frames > 100


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["score", *args, "--json", "-", "--quiet"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_given_offset_is_used_as_given(
    realdata: Path, pose_cache: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--offset skips the search: the offset found by the music gives the same judgement
    when handed back, and one four beats off gives a much lower score."""
    pair = (str(realdata / "funfun_reference.mp4"), str(realdata / "funfun_user.mp4"))
    found = _json(capsys, *pair, "--difficulty", "normal", "--no-dtw")
    assert found["alignment"]["method"] == "audio" and found["tempo"] == 1.0
    mirror = "yes" if found["mirrored"] else "no"
    given = _json(capsys, *pair, "--difficulty", "normal", "--offset", str(found["offset_s"]),
                  "--mirror", mirror)  # fmt: skip
    assert given["alignment"]["method"] == "given"
    assert given["offset_s"] == found["offset_s"] and given["mirrored"] == found["mirrored"]
    assert given["counts"] == found["counts"] and given["score"] == found["score"]
    beat = 60.0 / found["bpm"]
    off = _json(capsys, *pair, "--difficulty", "normal", "--mirror", mirror,
                "--offset", str(found["offset_s"] + 4 * beat))  # fmt: skip
    assert off["offset_s"] == pytest.approx(found["offset_s"] + 4 * beat, abs=1e-3)
    assert off["score"] < found["score"] - 15


def test_mirror_yes_no_auto(
    realdata: Path, pose_cache: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """At the offset of a mirrored copy, only mirroring fits. (With the offset searched,
    "no" still finds 90 at normal: mruchus repeats its moves mirrored 1.3 s later.)"""
    clip = realdata / "mruchus_nat2.mp4"
    cover = _cover_file(tmp_path, _track(clip).mirrored(), "mirrored")
    both = (str(clip), str(cover), "--difficulty", "normal", "--offset", "0")
    auto, yes, no = (_json(capsys, *both, "--mirror", m) for m in ("auto", "yes", "no"))
    assert auto["mirrored"] and yes["mirrored"] and not no["mirrored"]
    assert auto["score"] == yes["score"] >= 95
    assert no["score"] < yes["score"] - 30
    assert auto["alignment"]["score_not_mirrored"] == no["score"]
    assert yes["alignment"]["score_not_mirrored"] is None  # not tried
    searched = _json(capsys, str(clip), str(cover), "--difficulty", "normal")
    assert searched["mirrored"] and searched["score"] >= 95


def test_difficulty_changes_the_judgement_not_the_scale(
    realdata: Path, pose_cache: Path, results: dict
) -> None:
    easy = score_cover(realdata / "mruchus_nat2.mp4", realdata / "mruchus_nat3.mp4",
                       difficulty="easy")  # fmt: skip
    hard = score_cover(realdata / "mruchus_nat2.mp4", realdata / "mruchus_nat3.mp4",
                       difficulty="hard")  # fmt: skip
    normal = results[("mruchus_nat2", "mruchus_nat3")]
    assert easy.score > normal.score > hard.score
    assert (easy.difficulty, hard.difficulty) == ("easy", "hard")


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [("--offset", "nan", "--offset nan"), ("--mirror", "maybe", "invalid choice"),
     ("--difficulty", "insane", "invalid choice")],
)  # fmt: skip
def test_bad_options_give_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: str, value: str, says: str
) -> None:
    try:
        code = main(["score", str(tmp_path / "a.mp4"), str(tmp_path / "b.mp4"), option, value])
    except SystemExit as exc:  # argparse refuses a choice it does not know
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert says in err


def test_a_cover_that_cannot_be_scored_is_refused_before_the_reference_is_tracked(
    realdata: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("COVER_DANCE_CACHE", str(cache))
    junk = tmp_path / "junk.mp4"
    junk.write_text("not a video at all")
    for cover, words in ((tmp_path / "missing.mp4", "not found"), (junk, "not a video")):
        with pytest.raises(UserError, match=words):
            score_cover(realdata / "justidol_easy.mp4", cover)
    assert not list(cache.rglob("*.npz"))  # the reference was never tracked
