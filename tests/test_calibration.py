"""The calibration study on the real clips: at every difficulty, real covers of the right
dance must stand out from wrong dances (`cover-dance calibrate` prints the same figures).

The study runs once per session on the angle set imported levels use ("directions"), each
clip tracked once (the session pose cache of conftest). Measured (share of windows GOOD or
better, true pairs min / median / max against unrelated pairs' 90th percentile and SD):

    easy    63 / 87 / 100   against  78, SD 25
    normal  27 / 55 /  78   against  22, SD 11
    hard     9 / 30 /  56   against  10, SD  4
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from game.level.importer import IMPORT_ANGLE_SET
from game.scoring.judge import DIFFICULTIES

pytestmark = [pytest.mark.realdata, pytest.mark.mediapipe]

# How far, in SDs of the unrelated pairs' shares, the median true cover must clear the 90th
# percentile of wrong dances. Normal and hard: two SDs, so a wrong dance more lucky than any
# measured one still falls short. Easy forgives by design (tolerances x1.5 + 5 degrees, and
# the motion threshold passes 20% of a wrong dance's windows): there a wrong dance often earns
# GOOD, and the claim is only that the median real cover beats nine wrong dances in ten.
SEPARATION_SD = {"easy": 0.0, "normal": 2.0, "hard": 2.0}


@pytest.fixture(scope="session")
def study(pose_cache: Path) -> dict[str, dict[str, np.ndarray]]:
    """Per difficulty and pair kind: every pair's share of windows GOOD or better."""
    from conftest import REALDATA

    from game.calibration.pairs import load_pairs
    from game.calibration.study import run_study

    if not (REALDATA / "renegade_a.mp4").is_file():
        pytest.skip(f"real dance clips not found in {REALDATA} (the calibration study needs them)")
    results = run_study(load_pairs(REALDATA), [IMPORT_ANGLE_SET], list(DIFFICULTIES))
    return {
        d: {
            kind: np.array(
                [r.good_share for r in results if r.difficulty == d and r.pair.kind == kind]
            )
            for kind in ("true", "copy", "unrelated")
        }
        for d in DIFFICULTIES
    }


@pytest.mark.parametrize("difficulty", list(DIFFICULTIES))
def test_the_median_real_cover_clears_wrong_dances(study: dict, difficulty: str) -> None:
    true, unrelated = study[difficulty]["true"], study[difficulty]["unrelated"]
    assert len(true) >= 8 and len(unrelated) >= 40
    high = float(np.percentile(unrelated, 90))
    margin = SEPARATION_SD[difficulty] * float(np.std(unrelated))
    assert float(np.median(true)) > high + margin, (np.sort(true), np.sort(unrelated))


@pytest.mark.parametrize("difficulty", ["normal", "hard"])
def test_even_the_weakest_real_cover_beats_most_wrong_dances(study: dict, difficulty: str) -> None:
    true, unrelated = study[difficulty]["true"], study[difficulty]["unrelated"]
    assert float(true.min()) > float(np.percentile(unrelated, 75))


def test_difficulty_orders_the_real_covers(study: dict) -> None:
    medians = [float(np.median(study[d]["true"])) for d in ("easy", "normal", "hard")]
    assert medians[0] > medians[1] > medians[2]
    assert float(np.median(study["easy"]["true"])) >= 75  # easy: mostly GOOD for the right moves


@pytest.mark.parametrize("difficulty", list(DIFFICULTIES))
def test_a_re_encoded_copy_is_danced_right_at_every_difficulty(
    study: dict, difficulty: str
) -> None:
    assert float(study[difficulty]["copy"].min()) >= 95
