"""Shared fixtures: the real dance clips in ../shared/realdata and synthetic poses."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

REPO = Path(__file__).resolve().parent.parent
REALDATA = Path(os.environ.get("COVER_DANCE_REALDATA", REPO.parent / "shared" / "realdata"))
SCREENSHOTS = REPO / "tests" / "screenshots"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings, scores and user levels of each test live in its own temporary folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("COVER_DANCE_HOME", str(home))
    return home


@pytest.fixture
def realdata() -> Path:
    """The folder of real dance clips; skips the test when it is absent."""
    if not (REALDATA / "funfun_reference.mp4").is_file():
        pytest.skip(f"real dance clips not found in {REALDATA} (README: Set-up)")
    return REALDATA


@pytest.fixture(scope="session")
def pose_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One pose cache for the session, so each real clip is tracked once: a session temp
    folder, or the folder already in $COVER_DANCE_CACHE (a warm cache, to save minutes)."""
    previous = os.environ.get("COVER_DANCE_CACHE")
    folder = Path(previous) if previous else tmp_path_factory.mktemp("pose-cache")
    os.environ["COVER_DANCE_CACHE"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("COVER_DANCE_CACHE", None)
    else:
        os.environ["COVER_DANCE_CACHE"] = previous


@pytest.fixture
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
