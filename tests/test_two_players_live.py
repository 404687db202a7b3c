"""Two real dancers side by side in one video, played live as a two-player song: each keeps
their identity (and their own score) from the first beat to the last."""

from __future__ import annotations

from fractions import Fraction
from itertools import islice
from pathlib import Path

import av
import numpy as np
from game_driver import play_live

from game.authoring.importer import ImportOptions, import_video, plan_import
from game.capture.request import TrackRequest
from game.capture.video import iter_video
from game.level.loader import load_level
from game.play_setup import PlaySetup
from game.scoring.rules import Judgement


def side_by_side(left: Path, right: Path, out: Path, seconds: float) -> Path:
    """Encode the two clips next to each other (same height) into one H.264 file."""
    frames = int(seconds * 30)
    with av.open(str(out), "w") as container:
        stream = None
        for a, b in islice(zip(iter_video(left), iter_video(right), strict=False), frames):
            image = np.hstack([a.image, b.image])
            if stream is None:
                stream = container.add_stream("libx264", rate=Fraction(30))
                stream.options = {"preset": "ultrafast", "crf": "20"}
                stream.width, stream.height = image.shape[1], image.shape[0]
                stream.pix_fmt = "yuv420p"
            container.mux(stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")))
        assert stream is not None
        container.mux(stream.encode())
    return out


def test_two_dancers_in_one_frame_keep_their_identities(
    realdata: Path, tmp_path: Path, screenshots: Path
) -> None:
    easy, hard = realdata / "justidol_easy.mp4", realdata / "justidol_hard.mp4"
    options = ImportOptions(title="Just Idol easy", keep_video=False)
    import_video(plan_import(TrackRequest.of(easy), tmp_path / "easy", options))
    level = load_level(tmp_path / "easy")
    video = side_by_side(easy, hard, tmp_path / "duo.mp4", level.grid.end_time + 1.0)
    setup = PlaySetup(level, difficulty="normal", mirror=True, players=2)
    results = play_live(setup, video, tmp_path, screenshots / "live-two-players.png", at=7.0)
    assert results.name == "results"
    # The easy dancer stands on the camera image's left: the right of the mirrored screen, P2.
    hard_player, easy_player = results.summaries
    hard_events, easy_events = results.events
    assert easy_player.score >= 85.0, easy_player
    assert easy_player.score > hard_player.score + 30
    good = {Judgement.PERFECT, Judgement.GOOD}
    assert sum(e.judgement in good for e in easy_events) >= 0.9 * len(easy_events)
    assert sum(e.judgement == Judgement.NO_POSE for e in easy_events + hard_events) <= 1
