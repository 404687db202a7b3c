"""Stand-ins for a cover's scoring task, run in the local engine's worker processes (spawned:
they import this module by name): one that hangs where its own time limit cannot reach it,
one whose worker dies, one that scores."""

from __future__ import annotations

import os
import signal
import time

from game.cover.rank_task import CoverRow, RankSettings


def fake_score(reference: object, cover: str, settings: RankSettings) -> CoverRow:
    if cover == "stuck.mp4":  # as native code: the time limit's alarm never arrives
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        time.sleep(600)
    if cover == "crash.mp4":
        os._exit(3)
    return CoverRow(cover, score=50.0, grade="C")
