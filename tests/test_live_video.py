"""The whole live path on a real clip: a level imported from a video, then that same video
played as the camera in real time (MediaPipe in its own thread, the song clock, the judge).
Dancing exactly like the coach must score like it."""

from __future__ import annotations

from pathlib import Path

from game_driver import play_live

from game.authoring.importer import ImportOptions, import_video, plan_import
from game.capture.request import TrackRequest
from game.level.loader import load_level
from game.play_setup import PlaySetup
from game.scoring.rules import Judgement


def test_the_coach_video_as_the_camera_scores_near_perfect(
    realdata: Path, tmp_path: Path, screenshots: Path
) -> None:
    clip = realdata / "justidol_easy.mp4"
    options = ImportOptions(title="Just Idol easy", keep_video=True)
    import_video(plan_import(TrackRequest.of(clip), tmp_path / "easy", options))
    level = load_level(tmp_path / "easy")
    results = play_live(PlaySetup(level, mirror=True), clip, tmp_path,
                        screenshots / "live-video-play.png", at=6.0)  # fmt: skip
    assert results.name == "results"
    (summary,) = results.summaries
    judged = summary.judged_windows
    assert judged == summary.total_windows > 5
    good = summary.counts[Judgement.PERFECT] + summary.counts[Judgement.GOOD]
    assert good >= 0.9 * judged, summary.counts
    assert summary.counts[Judgement.NO_POSE] <= 1
    assert summary.score >= 90.0, summary
