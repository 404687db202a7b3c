"""Settings survive bad files: wrong types fall back, an unreadable file is kept aside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from game.config import Settings


def test_settings_round_trip_atomically(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    Settings(camera=2, difficulty="hard", camera_latency_ms=120.5).save(path)
    assert Settings.load(path) == Settings(camera=2, difficulty="hard", camera_latency_ms=120.5)
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temp file left


def test_a_value_of_the_wrong_type_falls_back_to_its_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"camera": True, "volume": "loud", "audio_offset_ms": 40}))
    settings = Settings.load(path)
    assert settings.camera == 0 and settings.volume == Settings().volume
    assert settings.audio_offset_ms == 40.0


def test_an_unreadable_file_is_kept_aside_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{ not json")
    assert Settings.load(path) == Settings()
    (aside,) = tmp_path.glob("settings.json.corrupt-*")
    assert aside.read_text() == "{ not json"
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "unreadable" in line and aside.name in line


@pytest.mark.parametrize(
    "bad",
    [{"difficulty": "expert"}, {"audio_offset_ms": float("nan")}, {"volume": -3},
     {"camera": -1}, {"camera_width": 0}, {"visual_delay_ms": 1e9}],
    ids=lambda d: next(iter(d)),
)  # fmt: skip
def test_a_value_out_of_range_falls_back_to_its_default(tmp_path: Path, bad: dict) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps(bad))  # Python's JSON writes NaN, and reads it back
    (name,) = bad
    assert getattr(Settings.load(path), name) == getattr(Settings(), name)


def test_every_cache_lives_under_one_root_that_follows_the_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$COVER_DANCE_CACHE, else <COVER_DANCE_HOME>/cache, else the user cache folder: two
    homes never share a cache, and the pose and group caches agree."""
    import platformdirs

    from game.capture.cache import default_cache_dir, group_cache_dir
    from game.config import APP_NAME, cache_root

    def caches() -> tuple[Path, Path, Path]:
        return cache_root(), default_cache_dir(), group_cache_dir()

    monkeypatch.delenv("COVER_DANCE_CACHE", raising=False)
    for home in (tmp_path / "home-a", tmp_path / "home-b"):
        monkeypatch.setenv("COVER_DANCE_HOME", str(home))
        assert caches() == (home / "cache", home / "cache/poses", home / "cache/groups")
    monkeypatch.setenv("COVER_DANCE_CACHE", str(tmp_path / "shared"))
    assert caches() == (tmp_path / "shared", tmp_path / "shared/poses", tmp_path / "shared/groups")
    monkeypatch.delenv("COVER_DANCE_CACHE")
    monkeypatch.delenv("COVER_DANCE_HOME")
    user = Path(platformdirs.user_cache_dir(APP_NAME))
    assert caches() == (user, user / "poses", user / "groups")
