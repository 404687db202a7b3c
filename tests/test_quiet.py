"""Every command keeps the pose library's native log lines (MediaPipe, TFLite, absl) off the
terminal; our own progress and messages still show (game/quiet.py, applied in game/cli.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

NATIVE_MARKS = ("W0000", "I0000", "INFO:", "Feedback manager", "absl::InitializeLog")


def test_import_prints_our_progress_and_none_of_the_pose_librarys_log_lines(
    realdata: Path, tmp_path: Path
) -> None:
    env = dict(os.environ, COVER_DANCE_HOME=str(tmp_path / "home"),
               COVER_DANCE_CACHE=str(tmp_path / "cache"))  # fmt: skip
    for name in ("GLOG_minloglevel", "TF_CPP_MIN_LOG_LEVEL", "GLOG_logtostderr"):
        env.pop(name, None)  # as a user's shell has them: the command must quieten them itself
    command = [sys.executable, "-m", "game", "import", str(realdata / "justidol_easy.mp4"),
               "--end", "3", "--no-video", "--out", str(tmp_path / "level")]  # fmt: skip
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    noise = [line for line in done.stderr.splitlines() if any(m in line for m in NATIVE_MARKS)]
    assert noise == []
    assert "tracking poses: 100%" in done.stderr  # our progress lines stay
    assert "imported justidol_easy.mp4" in done.stdout
    assert f"wrote {tmp_path / 'level'}" in done.stdout
