"""What practice, the A-B loop and learn mode share: a stretch of the song played again and
again, one SongRun at a time with a break between tries, held while covered (not during the
break), the stretch's audio slowed with the pitch kept, each try judged into a `LoopPass` in
one place, and the keys all three have."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from game.audio.stretch import practice_audio
from game.play_setup import PlaySetup
from game.pose.frame import PoseFrame
from game.render import theme
from game.render.key_hints import KeyHint
from game.render.practice_hud import draw_banner, draw_pass_summary
from game.scenes.song_layout import LOOPED_TIMELINE_RECT, PLAYER_RECT
from game.scenes.song_run import SongRun
from game.scenes.stack import Scene
from game.scoring.learn import speed_text
from game.scoring.live import LiveJudging
from game.scoring.loop_pass import LoopPass, PassRule, pass_rule
from game.spotlight import TOGGLE_KEYS
from game.timing.loop import LoopSpan

if TYPE_CHECKING:
    from game.scenes.context import SceneContext


TRY_SUMMARY_AT = (PLAYER_RECT.x + 22, PLAYER_RECT.y + 18)
COUNT_WORDS = ("5", "6", "7", "8")  # the count-in: the last four counts before the stretch


def toggle_see_yourself(ctx: SceneContext) -> None:
    """Flip and save the see-yourself setting (the Y key in a song, practice or a loop)."""
    ctx.save_settings(ctx.settings.with_(see_yourself=not ctx.settings.see_yourself))


class LoopedScene(Scene):
    """A scene that dances one stretch over and over: the template of practice, the A-B loop
    and learn mode. It starts each try (`_start_pass`: the stretch's slowed audio, a SongRun,
    live judging of its windows), ends it (`_end_pass`: the `LoopPass`, its sound, the break
    showing the verdict) and handles the keys all three share (Esc, P, R, Y, V).

    A subclass says what to dance: `pass_span` (the song seconds played, lead-in first),
    `pass_windows`, `pass_bars` and `speed`; it hears each judged try in `passed_try` and its
    own keys in `handle_key`."""

    break_s = 1.2  # the break between tries, showing the verdict
    leave_keys: tuple[int, ...] = (pygame.K_ESCAPE, pygame.K_BACKSPACE)
    quit_to = ("level_select", "Quit to levels")  # the pause menu's way out
    esc_label = "back"  # where Esc goes, on the key hints

    def __init__(self, ctx: SceneContext, setup: PlaySetup, player: int = 0) -> None:
        super().__init__(ctx)
        self.setup = setup
        self.player = player
        self.run: SongRun | None = None
        self.judging: LiveJudging | None = None
        self.break_until: float | None = None  # the break between tries ends then
        self.poses: list[PoseFrame] = []  # this try's poses so far
        self.takes: list[LoopPass] = []  # every try judged, in order
        self.try_start = 0.0  # song time this try (its lead-in) started

    @property
    def last_take(self) -> LoopPass | None:
        """The last try judged (for the verdict and the instant replay)."""
        return self.takes[-1] if self.takes else None

    # -- what the subclass dances ---------------------------------------------------------------

    @property
    def speed(self) -> float:
        raise NotImplementedError

    def pass_span(self) -> tuple[float, float]:
        """The song seconds a try plays: from its lead-in to a little past its last window."""
        raise NotImplementedError

    def pass_windows(self) -> Sequence[int]:
        """The windows a try is judged on."""
        raise NotImplementedError

    def pass_bars(self) -> LoopSpan:
        """The bars a try covers (its `LoopPass`'s span)."""
        raise NotImplementedError

    def pass_number(self) -> int:
        """The number the next try's `LoopPass` gets."""
        return len(self.takes) + 1

    def clean_bot(self) -> bool:
        """Whether the demo bot dances this try cleanly: after its first try it has learned."""
        return bool(self.takes)

    def passed_try(self, take: LoopPass) -> None:
        """Hear a judged try (after its sound, with the break begun)."""

    def after_break(self) -> None:
        """The break is over: by default, the next try."""
        self._start_pass()

    def watch_step(self, song: float) -> bool:
        """A try's frame before it is judged; True if it was not a try's frame (watching)."""
        return False

    def handle_key(self, key: int) -> bool:
        """The subclass's own keys."""
        return False

    # -- the loop -----------------------------------------------------------------------------

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

    def _start_pass(self) -> None:
        """Start a try: the stretch's audio at the speed, the run and its judging."""
        if self.run is not None:
            self.run.close()
        start, end = self.pass_span()
        audio = self.stretched_audio(start, end, self.speed)
        self.judging = LiveJudging(self.setup.judges(), list(self.pass_windows()))
        self.try_start, self.poses = start, []
        self.run = SongRun(self, self.setup, self.judging, audio, start, self.speed,
                           clean_bot=self.clean_bot())  # fmt: skip
        self.break_until = None

    def _end_pass(self) -> None:
        """Judge the try: its `LoopPass` (by the difficulty's pass rule), its sound, the break."""
        assert self.judging is not None and self.run is not None
        events = tuple(self.judging.players[self.player].processor.events)
        take = LoopPass(self.pass_number(), self.pass_bars(), self.speed, self.setup.mirror,
                        events, tuple(self.poses), self.try_start, self.run.clock.position,
                        self.rule)  # fmt: skip
        self.takes.append(take)
        self.ctx.sfx.play("perfect" if take.passed else "miss")
        self.run.close()
        self.break_until = self.ctx.now() + self.break_s
        self.passed_try(take)

    def update(self) -> None:
        """Step the try (keeping the player's poses for the replay), judge it when its
        windows are done, and go on once the break is over."""
        assert self.run is not None and self.judging is not None
        if self.break_until is not None:
            if self.ctx.now() >= self.break_until:
                self.after_break()
            return
        song = self.run.step()
        if self.watch_step(song):
            return
        self.keep_latest_pose()
        if self.judging.done:
            self._end_pass()

    def keep_latest_pose(self) -> None:
        """Keep the player's newest pose of this try, for the instant replay."""
        assert self.judging is not None
        latest = self.judging.players[self.player].latest
        if latest is not None and (not self.poses or self.poses[-1] is not latest):
            self.poses.append(latest)

    # -- keys ---------------------------------------------------------------------------------

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type != pygame.KEYDOWN:
            return False
        return self.shared_key(event.key) or self.handle_key(event.key)

    def shared_key(self, key: int) -> bool:
        """The keys every looped screen has: leave, P pause, R replay, Y see yourself, V."""
        if key in self.leave_keys:
            self.ctx.pop()
        elif key == pygame.K_p:
            self.ctx.push("pause", self._start_pass, *self.quit_to)
        elif key == pygame.K_r and self.last_take is not None:  # instant replay
            self.ctx.push("replay", self.setup, self.last_take, self.player)
        elif key == pygame.K_y:
            toggle_see_yourself(self.ctx)
        elif key in TOGGLE_KEYS and self.run is not None and self.run.spotlight is not None:
            self.ctx.whole_group = not self.ctx.whole_group  # your member / the whole group
        else:
            return False
        return True

    @property
    def rule(self) -> PassRule:
        """The difficulty's pass rule, that every try here is judged by."""
        return pass_rule(self.setup.difficulty)

    def draw_try_summary(
        self, surface: pygame.Surface, shown: int, last: LoopPass | None, noun: str
    ) -> None:
        """At the top of the player's panel: "Try N" (or "Pass N", `shown` judged so far),
        how close `last` came, its missed moves marked and the worst one's coaching; before
        the first try, what a try of this stretch needs."""
        moves = len(self.pass_windows()) if last is None else 0  # only the rule's text asks
        draw_pass_summary(surface, TRY_SUMMARY_AT, shown, last, PLAYER_RECT.right - 24, noun,
                          self.coaching(last), self.rule, moves)  # fmt: skip

    def draw_count_in(self, surface: pygame.Surface, start_s: float, what: str = "") -> None:
        """ "5, 6, 7, 8" over the timeline on the four beats before the stretch starts at
        song time `start_s`, and under it `what` (default: "your turn at 0.5x")."""
        if self.run is None or self.break_until is not None:
            return
        beats_left = (start_s - self.run.clock.position) / self.setup.level.grid.seconds_per_beat
        if 0.0 < beats_left <= 4.0:
            words = "   ".join(COUNT_WORDS[: min(3, int(4.0 - beats_left)) + 1])
            what = what or f"your turn at {speed_text(self.speed)}"
            draw_banner(surface, LOOPED_TIMELINE_RECT, words, theme.GOLD, what)

    def coaching(self, take: LoopPass | None) -> str | None:
        """What to change in `take`'s worst missed move (None: nothing missed)."""
        if take is None:
            return None
        specs = self.setup.level.angle_specs
        return take.verdict.coaching(specs, self.setup.player_mirrored)

    def shared_hints(self) -> list[KeyHint]:
        """The keys every looped screen has, after its own: R (once there is a try to
        replay), V on a group level, Y, P and Esc."""
        hints = [KeyHint("R", "replay your try")] if self.takes else []
        if self.run is not None and self.run.spotlight is not None:
            hints.append(KeyHint("V", "your member" if self.ctx.whole_group else "whole group"))
        see = self.ctx.settings.see_yourself
        hints += [KeyHint("Y", "see yourself", see), KeyHint("P", "pause"),
                  KeyHint("Esc", self.esc_label)]  # fmt: skip
        return hints
