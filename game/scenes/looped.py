"""What practice, the A-B loop and learn mode share: a stretch of the song played again and
again, one SongRun at a time with a break between tries, held while covered (not during the
break), the stretch's audio slowed with the pitch kept, and the see-yourself key."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from game.audio.stretch import practice_audio
from game.play_setup import PlaySetup
from game.pose.frame import PoseFrame
from game.render.key_hints import KeyHint
from game.scenes.song_run import SongRun
from game.scenes.stack import Scene
from game.scoring.live import LiveJudging
from game.scoring.loop_pass import LoopPass

if TYPE_CHECKING:
    from game.scenes.context import SceneContext


def toggle_see_yourself(ctx: SceneContext) -> None:
    """Flip and save the see-yourself setting (the Y key in a song, practice or a loop)."""
    ctx.save_settings(ctx.settings.with_(see_yourself=not ctx.settings.see_yourself))


class LoopedScene(Scene):
    """A scene that dances one stretch over and over. Subclasses start a try in `_start_pass`
    (setting `run`, `judging` and clearing `break_until`) and judge it in `_end_pass`."""

    def __init__(self, ctx: SceneContext, setup: PlaySetup, player: int = 0) -> None:
        super().__init__(ctx)
        self.setup = setup
        self.player = player
        self.run: SongRun | None = None
        self.judging: LiveJudging | None = None
        self.break_until: float | None = None  # the break between tries ends then
        self.poses: list[PoseFrame] = []  # this try's poses so far

    def enter(self) -> None:
        self._start_pass()

    def pause(self) -> None:
        if self.run is not None and self.break_until is None:
            self.run.pause()

    def resume(self) -> None:
        if self.run is not None and self.break_until is None:
            self.run.resume()

    def leave(self) -> None:
        if self.run is not None:
            self.run.close()

    def stretched_audio(self, start: float, end: float, speed: float) -> Path | None:
        """The song from `start` to `end` at `speed`, pitch kept (cached on disk per span and
        speed); None, with a notice saying why, when the song cannot be slowed down."""
        level = self.setup.level
        try:
            return practice_audio(level.audio_path, start, end, speed, self.ctx.cache_dir)
        except Exception as exc:  # an undecodable song: dance in silence, say why
            self.ctx.notice = f"{level.audio_path}: cannot slow the song down ({exc})"
            return None

    def update(self) -> None:
        """Step the try (keeping the player's poses for the replay), judge it when its
        windows are done, and start the next once the break is over."""
        assert self.run is not None and self.judging is not None
        if self.break_until is not None:
            if self.ctx.now() >= self.break_until:
                self._start_pass()
            return
        self.run.step()
        self.keep_latest_pose()
        if self.judging.done:
            self._end_pass()

    def keep_latest_pose(self) -> None:
        """Keep the player's newest pose of this try, for the instant replay."""
        assert self.judging is not None
        latest = self.judging.players[self.player].latest
        if latest is not None and (not self.poses or self.poses[-1] is not latest):
            self.poses.append(latest)

    def coaching(self, take: LoopPass | None) -> str | None:
        """What to change in `take`'s worst missed move (None: nothing missed)."""
        if take is None:
            return None
        specs = self.setup.level.angle_specs
        return take.verdict.coaching(specs, self.setup.player_mirrored)

    def shared_hints(self, replay: bool, leave: str = "back") -> list[KeyHint]:
        """The keys every looped screen has, after its own: R (once there is a try to
        replay), V on a group level, Y, P and Esc (`leave` says where Esc goes)."""
        hints = [KeyHint("R", "replay your try")] if replay else []
        if self.run is not None and self.run.spotlight is not None:
            hints.append(KeyHint("V", "your member" if self.ctx.whole_group else "whole group"))
        see = self.ctx.settings.see_yourself
        hints += [KeyHint("Y", "see yourself", see), KeyHint("P", "pause"), KeyHint("Esc", leave)]
        return hints

    def _start_pass(self) -> None:
        raise NotImplementedError

    def _end_pass(self) -> None:
        raise NotImplementedError
