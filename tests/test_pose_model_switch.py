"""The Tasks API path finds the landmarks the legacy mp.solutions graph found.

`tests/data/legacy_landmarks.npz` holds the legacy graph's landmarks (mediapipe 0.10.21,
tracking mode, every frame) on the first 90 frames of three shared clips, recorded before the
switch to the shipped Tasks bundle; the game's estimator must find the same people in the same
places, within BlazePose's own frame-to-frame jitter.
"""

from __future__ import annotations

from itertools import islice
from pathlib import Path

import numpy as np
import pytest

from game.capture.video import iter_video
from game.pose.factory import make_estimator
from game.pose.frame import MIN_VISIBILITY

pytestmark = [pytest.mark.mediapipe, pytest.mark.realdata]

LEGACY = Path(__file__).parent / "data" / "legacy_landmarks.npz"
REALDATA = Path(__file__).resolve().parents[2] / "shared" / "realdata"
CLIPS = ("renegade_b", "funfun_user", "mruchus_nat2")


def landmark_gaps(clip: str) -> tuple[np.ndarray, int, int]:
    """Distances (height units) between legacy and current landmarks both see, frames found
    by the legacy graph, frames found by both."""
    path = REALDATA / f"{clip}.mp4"
    if not path.is_file():
        pytest.skip(f"{path} not found (the shared real clips are absent)")
    with np.load(LEGACY) as data:
        legacy = data[f"{clip}_landmarks"]
        legacy_vis = data[f"{clip}_visibility"]
    estimator = make_estimator()
    gaps, found_legacy, found_both = [], 0, 0
    for i, frame in enumerate(islice(iter_video(path), len(legacy))):
        pose = estimator.estimate_one(frame.image, frame.time)
        if not np.isfinite(legacy[i]).all():
            continue
        found_legacy += 1
        if pose is None:
            continue
        found_both += 1
        seen = (legacy_vis[i] >= MIN_VISIBILITY) & (pose.visibility >= MIN_VISIBILITY)
        gaps.append(np.linalg.norm(pose.landmarks[seen, :2] - legacy[i][seen, :2], axis=1))
    estimator.close()
    return np.concatenate(gaps), found_legacy, found_both


@pytest.mark.parametrize("clip", CLIPS)
def test_tasks_landmarks_match_the_legacy_graph(clip: str) -> None:
    gaps, found_legacy, found_both = landmark_gaps(clip)
    assert found_legacy > 80
    assert found_both == found_legacy  # every frame the legacy graph found is found
    assert np.median(gaps) < 0.015  # of the image height
    assert np.percentile(gaps, 95) < 0.06
