"""Level select: every level with its details and best score; difficulty, mirror and
players are chosen here. Levels are listed from their manifests; only the selected one is
loaded whole (its pose tracks), and a level found broken then says why."""

from __future__ import annotations

import os
import textwrap
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import pygame

from game.level.library import LevelEntry
from game.level.manifest import LevelError
from game.level.model import Level, LevelMeta
from game.play_setup import PlaySetup
from game.render import draw, theme
from game.render.avatar import draw_avatar
from game.render.viewport import Viewport
from game.scenes.hand import HandPointer
from game.scenes.stack import Scene
from game.scoring.rules import DIFFICULTIES
from game.scoring.score import GRADE_COLORS
from game.timing.axis import clock_label

if TYPE_CHECKING:
    from game.scenes.context import SceneContext

LIST_RECT = pygame.Rect(24, 90, 560, 560)
ROW_HEIGHT = 78
VISIBLE_ROWS = 7
DETAIL_RECT = pygame.Rect(604, 90, 652, 560)
KEPT_LOADED = 4  # levels kept loaded (the ones last selected): going back is instant


NO_ARTIST = "artist unknown"  # a level.toml without one (an imported video's, often)


def row_info(meta: LevelMeta, learned: tuple[int, int] | None) -> str:
    """A row's second line: artist, tempo, length and, once begun, learn mode's progress."""
    info = f"{meta.artist or NO_ARTIST}  ·  {meta.bpm:.0f} BPM  ·  {clock_label(meta.length_s)}"
    return info + (f"  ·  learned {learned[0]}/{learned[1]}" if learned else "")


def short_problem(problem: str, folder: Path) -> str:
    """A level's problem with the level's own folder left out of the file it names."""
    return problem.replace(f"{folder}{os.sep}", "").replace(f"{folder}: ", "")


KEYS_HINT = "Enter: dance   L: learn   Left/Right: judging   M: mirror   2: players   Esc: back"
BROKEN_HINT = "Up/Down: choose another level   Esc: back"  # a broken level cannot be danced


class LevelSelectScene(Scene):
    name = "level_select"

    def __init__(self, ctx: SceneContext) -> None:
        super().__init__(ctx)
        self.levels: list[LevelEntry] = []
        self.listed_stamp: tuple[int, ...] = ()  # the level folders when last listed
        self.problems: list[str] = []
        self.loaded: OrderedDict[Path, Level] = OrderedDict()  # the last few selected
        self.broken: dict[Path, str] = {}  # found broken when selected: its first problem
        self.index = 0
        self.difficulty = ctx.settings.difficulty
        self.mirror: bool | None = None  # None: the level's own default
        self.players = ctx.default_players
        self.opened_at = ctx.now()
        self.pointer = HandPointer()
        self.previewing: Path | None = None

    def enter(self) -> None:
        self._list()

    def _list(self) -> None:
        """Read the level list afresh, keeping the selected level selected if it is there."""
        chosen = self.levels[self.index].path if self.levels else None
        self.listed_stamp = self.ctx.levels_stamp()
        self.levels, self.problems = self.ctx.list_levels()
        self.loaded.clear()  # listed afresh: a level may have changed since
        self.broken.clear()
        paths = [entry.path for entry in self.levels]
        self.index = paths.index(chosen) if chosen in paths else self.index
        self.index = min(self.index, max(0, len(self.levels) - 1))

    def resume(self) -> None:
        self.previewing = None  # back from a song: its taste plays again
        if self.ctx.levels_stamp() != self.listed_stamp:  # a level imported meanwhile
            self._list()

    def leave(self) -> None:
        self.ctx.audio.stop()

    def update(self) -> None:
        self._hand()
        self._preview()

    def _hand(self) -> None:
        """A hand held on a row selects it; held on the selected row, starts the song."""
        first = self._first_row()
        rows = [
            self._row_rect(row) for row in range(first, min(len(self.levels), first + VISIBLE_ROWS))
        ]
        chosen = self.pointer.update(self.ctx.inputs.hand(), self.ctx.now(), rows)
        if chosen is not None:
            if first + chosen == self.index:
                self._start()
            self.index = first + chosen

    def _preview(self) -> None:
        """Play a taste of the selected song (from its first chorus-ish bar)."""
        level = self.level
        if level is None or level.audio_path == self.previewing:
            return
        self.previewing = level.audio_path
        start = level.grid.beat_to_time(16) if level.grid.end_time > 20 else 0.0
        try:
            self.ctx.audio.load(level.audio_path)
            self.ctx.audio.set_volume(0.5 * self.ctx.settings.volume)
            self.ctx.audio.play(start)
        except (pygame.error, OSError):
            pass  # no preview; the song itself says what is wrong when it is played

    @property
    def entry(self) -> LevelEntry | None:
        """The selected level as listed (its manifest)."""
        return self.levels[self.index] if self.levels else None

    @property
    def level(self) -> Level | None:
        """The selected level, loaded whole; None if none is selected or it is broken."""
        entry = self.entry
        if entry is None or entry.path in self.broken:
            return None
        if (level := self.loaded.get(entry.path)) is None:
            try:
                level = entry.load()
            except LevelError as exc:
                self.broken[entry.path] = exc.problems[0]
                self.problems.append(exc.problems[0])
                return None
            self.loaded[entry.path] = level
            while len(self.loaded) > KEPT_LOADED:
                self.loaded.popitem(last=False)
        self.loaded.move_to_end(entry.path)
        return level

    @property
    def load_problem(self) -> str | None:
        """Why the selected level cannot be played (its first problem), or None."""
        entry = self.entry
        return None if entry is None or self.level is not None else self.broken[entry.path]

    def setup(self) -> PlaySetup | None:
        level = self.level
        if level is None:
            return None
        mirror = level.meta.mirror if self.mirror is None else self.mirror
        return PlaySetup(level, self.difficulty, mirror, self.players)

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.KEYDOWN:
            return self._key(event.key)
        if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            row = self._row_at(event.pos)
            if row is None:
                return False
            if row == self.index:
                self._start()
            self.index = row
            return True
        if event.type == pygame.MOUSEWHEEL and self.levels:
            self.index = max(0, min(len(self.levels) - 1, self.index - event.y))
            return True
        return False

    def _key(self, key: int) -> bool:
        names = list(DIFFICULTIES)
        if key == pygame.K_ESCAPE:
            self.ctx.pop()
        elif key in (pygame.K_UP, pygame.K_w) and self.levels:
            self.index = (self.index - 1) % len(self.levels)
        elif key in (pygame.K_DOWN, pygame.K_s) and self.levels:
            self.index = (self.index + 1) % len(self.levels)
        elif key in (pygame.K_LEFT, pygame.K_RIGHT, pygame.K_d):
            step = -1 if key == pygame.K_LEFT else 1
            self.difficulty = names[(names.index(self.difficulty) + step) % len(names)]
        elif key == pygame.K_m and (setup := self.setup()) is not None:
            self.mirror = not setup.mirror
        elif key == pygame.K_2:
            self.players = 2 if self.players == 1 else 1
        elif key == pygame.K_l and (setup := self.setup()) is not None:
            self.ctx.audio.stop()
            learner = replace(setup, players=1)  # a group level: your member first
            self.ctx.push(*(("member_pick", learner, "learn") if setup.level.members
                            else ("learn", learner)))  # fmt: skip
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE):
            self._start()
        else:
            return False
        return True

    def _row_at(self, pos: tuple[int, int]) -> int | None:
        if not LIST_RECT.collidepoint(pos):
            return None
        row = self._first_row() + (pos[1] - LIST_RECT.y - 10) // ROW_HEIGHT
        return row if 0 <= row < len(self.levels) else None

    def _first_row(self) -> int:
        return max(0, min(self.index - VISIBLE_ROWS // 2, len(self.levels) - VISIBLE_ROWS))

    def _start(self) -> None:
        setup = self.setup()
        if setup is None:
            return
        self.ctx.sfx.play("select")
        self.ctx.audio.stop()
        if setup.difficulty != self.ctx.settings.difficulty:
            self.ctx.save_settings(self.ctx.settings.with_(difficulty=setup.difficulty))
        next_scene = "member_pick" if setup.level.members else "get_ready"
        self.ctx.push(next_scene, setup)

    def draw(self, surface: pygame.Surface) -> None:
        surface.blit(draw.backdrop(surface.get_size()), (0, 0))
        draw.text(surface, "Choose a song", (24, 24), 52, theme.TEXT)
        draw.text(surface, self.ctx.inputs.plan.label, (1256, 34), 26, theme.MUTED, "topright")
        draw.panel(surface, LIST_RECT)
        if not self.levels:
            draw.text(surface, "No levels found", LIST_RECT.center, 36, theme.MUTED, "center")
        first = self._first_row()
        for row, entry in enumerate(self.levels[first : first + VISIBLE_ROWS], start=first):
            self._draw_row(surface, row, entry)
        if (setup := self.setup()) is not None:
            self._draw_detail(surface, setup)
        elif (problem := self.load_problem) is not None:
            self._draw_broken(surface, problem)
        self.pointer.draw(surface)
        hint = BROKEN_HINT if setup is None and self.load_problem is not None else KEYS_HINT
        draw.text(surface, hint, (640, 690), 26, theme.MUTED, "center")
        if self.ctx.notice:
            draw.text(surface, self.ctx.notice, (640, 662), 24, theme.GOLD, "center")
        elif broken := sum(1 for e in self.levels if not e.ok or e.path in self.broken):
            count = "1 level cannot" if broken == 1 else f"{broken} levels cannot"
            line = f"{count} be played (BROKEN in the list): `cover-dance levels --check` says why"
            draw.text(surface, line, (640, 662), 24, theme.GOLD, "center")

    def _row_rect(self, row: int) -> pygame.Rect:
        return pygame.Rect(
            LIST_RECT.x + 10,
            LIST_RECT.y + 10 + (row - self._first_row()) * ROW_HEIGHT,
            LIST_RECT.width - 20,
            ROW_HEIGHT - 8,
        )

    def _draw_row(self, surface: pygame.Surface, row: int, entry: LevelEntry) -> None:
        rect = self._row_rect(row)
        selected = row == self.index
        fill = theme.mix(theme.PANEL, theme.ACCENT, 0.45 if selected else 0.0)
        pygame.draw.rect(surface, fill, rect, border_radius=12)
        if selected:
            pygame.draw.rect(surface, theme.TEXT, rect, 2, 12)
        title = draw.fit(entry.title, 34, rect.width - 32)
        draw.text(surface, title, (rect.x + 16, rect.y + 10), 34, theme.TEXT)
        problem = entry.problems[0] if entry.problems else self.broken.get(entry.path)
        if problem is not None or entry.meta is None:
            info = "BROKEN: " + short_problem(problem or "cannot be read", entry.path)
            draw.text(surface, draw.fit(info, 22, rect.width - 32), (rect.x + 16, rect.y + 42),
                      22, theme.GOLD)  # fmt: skip
            return
        info = row_info(entry.meta, self.ctx.learned(entry))
        draw.text(surface, info, (rect.x + 16, rect.y + 42), 22, theme.MUTED)
        best = self.ctx.best(entry)
        if best is not None:
            score, grade = best
            draw.text(
                surface,
                grade,
                (rect.right - 16, rect.y + 8),
                48,
                GRADE_COLORS.get(grade, theme.TEXT),
                "topright",
            )
            draw.text(
                surface, f"{score:.1f}", (rect.right - 70, rect.y + 20), 26, theme.TEXT, "topright"
            )

    def _draw_broken(self, surface: pygame.Surface, problem: str) -> None:
        """The selected level's problem, wrapped in the detail panel."""
        draw.panel(surface, DETAIL_RECT)
        x, y = DETAIL_RECT.x + 24, DETAIL_RECT.y + 24
        draw.text(surface, "This level cannot be played", (x, y), 36, theme.GOLD)
        draw.text(surface, "Fix it or choose another:", (x, y + 48), 24, theme.MUTED)
        # a path wraps after a "/", not inside a folder's name
        lines = textwrap.wrap(problem.replace("/", "/ "), 50, break_on_hyphens=False)
        for i, line in enumerate(lines[:13]):
            draw.text(surface, line.replace("/ ", "/"), (x, y + 90 + i * 30), 24, theme.TEXT)

    def _draw_detail(self, surface: pygame.Surface, setup: PlaySetup) -> None:
        draw.panel(surface, DETAIL_RECT)
        level = setup.level
        preview = pygame.Rect(DETAIL_RECT.x + 20, DETAIL_RECT.y + 20, 250, 330)
        pygame.draw.rect(surface, theme.mix(theme.PANEL, theme.BACKGROUND, 0.6), preview, 0, 12)
        t = (self.ctx.now() - self.opened_at) % max(1.0, level.grid.end_time) + level.meta.offset
        frame = level.pose.frame_at(t)
        view = Viewport.for_track(preview.inflate(-20, -20), level.pose, setup.mirror)
        draw_avatar(surface, frame.landmarks, frame.visibility, view)
        x = preview.right + 24
        y = preview.y
        width = DETAIL_RECT.right - 20 - x  # right of the preview, inside the panel
        draw.text(surface, draw.fit(level.title, 40, width), (x, y), 40, theme.TEXT)
        lines = [
            ("Artist", level.meta.artist or NO_ARTIST),
            ("Tempo", f"{level.meta.bpm:.0f} BPM"),
            ("Length", clock_label(level.meta.length_s)),
            ("Rated", f"{level.meta.rating} moves"),
            ("Moves", f"every {level.meta.beats_per_window:g} beats"),
            ("Judged", f"{len(level.angle_specs)} joint angles"),
        ]
        if level.members:
            lines.insert(0, ("Group", f"{len(level.members)} members"))
        best = self.ctx.best(level)
        lines.append(("Best", f"{best[0]:.1f} ({best[1]})" if best else "not played yet"))
        learned = self.ctx.learned(level)
        lines.append(("Learn", f"{learned[0]}/{learned[1]} sections (L)" if learned
                      else "not started: press L"))  # fmt: skip
        step = min(36, (DETAIL_RECT.y + 360 - (y + 52)) // len(lines))  # clear of the options
        for i, (label, value) in enumerate(lines):
            draw.text(surface, label, (x, y + 52 + i * step), 26, theme.MUTED)
            value = draw.fit(value, 26, width - 100)
            draw.text(surface, value, (x + 100, y + 52 + i * step), 26, theme.TEXT)
        options = [
            ("Judging", setup.difficulty.upper(), "Left / Right"),
            ("Mirror", "ON (coach flipped)" if setup.mirror else "OFF", "M"),
            ("Players", str(setup.players), "2"),
        ]
        for i, (label, value, key) in enumerate(options):
            row = pygame.Rect(
                DETAIL_RECT.x + 20, DETAIL_RECT.y + 370 + i * 58, DETAIL_RECT.width - 40, 50
            )
            pygame.draw.rect(surface, theme.mix(theme.PANEL, theme.BACKGROUND, 0.5), row, 0, 10)
            draw.text(surface, label, (row.x + 16, row.centery), 28, theme.MUTED, "midleft")
            draw.text(surface, value, (row.x + 200, row.centery), 30, theme.ACCENT_2, "midleft")
            draw.text(surface, key, (row.right - 16, row.centery), 22, theme.MUTED, "midright")
