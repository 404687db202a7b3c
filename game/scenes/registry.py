"""Every scene by name: the one module that knows them all.

Scenes open each other by name through their context (`ctx.push("results", ...)`, which
`GameContext.open_scene` looks up here), so no scene imports another or the game.
"""

from __future__ import annotations

from collections.abc import Callable

from game.scenes.calibrate import CalibrateScene
from game.scenes.clap import ClapScene
from game.scenes.get_ready import GetReadyScene
from game.scenes.learn import LearnScene
from game.scenes.level_select import LevelSelectScene
from game.scenes.loop import LoopScene
from game.scenes.member_pick import MemberPickScene
from game.scenes.pause import PauseScene
from game.scenes.play import PlayScene
from game.scenes.practice import PracticeScene
from game.scenes.replay import ReplayScene
from game.scenes.results import ResultsScene
from game.scenes.stack import Scene
from game.scenes.title import TitleScene

SCENES: dict[str, Callable[..., Scene]] = {
    scene.name: scene
    for scene in (
        TitleScene,
        CalibrateScene,
        ClapScene,
        LevelSelectScene,
        MemberPickScene,
        GetReadyScene,
        PlayScene,
        PauseScene,
        ResultsScene,
        PracticeScene,
        LearnScene,
        LoopScene,
        ReplayScene,
    )
}
