"""The coach's video follows the song clock: forward frame by frame, back for a replay."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.capture.reference_video import ReferenceVideo


def test_frames_follow_the_song_and_seek_back_for_a_loop(realdata: Path) -> None:
    video = ReferenceVideo(realdata / "justidol_easy.mp4", max_height=320)
    assert video.fps == pytest.approx(30.0, abs=0.1)
    frames = {t: video.frame_at(t) for t in (0.0, 1.0, 1.02, 2.5, 5.0)}
    assert all(f is not None and f.shape[0] == 320 for f in frames.values())
    assert frames[1.0] is frames[1.02]  # the same frame still shows 20 ms later
    assert np.abs(frames[5.0].astype(int) - frames[0.0]).mean() > 2  # the dancer moved
    again = video.frame_at(2.5)  # a practice loop goes back
    assert np.abs(again.astype(int) - frames[2.5]).mean() < 2
    assert video.frame_at(60.0) is None  # past the end
    video.close()


def test_a_file_that_is_not_a_video_raises_oserror(tmp_path: Path) -> None:
    fake = tmp_path / "video.mp4"
    fake.write_bytes(b"nope")
    with pytest.raises(OSError, match="cannot open"):
        ReferenceVideo(fake)


def test_a_coach_video_larger_than_4k_is_refused(tmp_path: Path) -> None:
    """An 8000x8000 video in a small file would drop the game to a few frames a second: it
    is not opened (the avatar dances instead)."""
    from fractions import Fraction

    import av

    path = tmp_path / "huge.mp4"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(10))
        stream.width, stream.height, stream.pix_fmt = 4000, 2400, "yuv420p"
        stream.options = {"preset": "ultrafast"}
        frame = av.VideoFrame.from_ndarray(np.zeros((2400, 4000, 3), np.uint8), format="rgb24")
        out.mux(stream.encode(frame))
        out.mux(stream.encode())
    with pytest.raises(OSError, match="4000x2400 is larger than a coach video may be"):
        ReferenceVideo(path)
