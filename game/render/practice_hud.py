"""The practice screen's own read-outs: the speed ladder (0.5x, 0.75x, 1x) with CLEARED at
its end, the pass counter with the last pass's result, and the count-in and verdict."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from game.render import draw, theme
from game.scoring.loop_pass import PASS_RULES, LoopPass, PassRule
from game.scoring.rules import DEFAULT_DIFFICULTY, WindowJudgement

MISS_GROW = 3  # a missed move's dot is this much bigger than a hit's
WORST_RING = 3  # the gold ring round the worst missed move
MIN_DOT_STEP = 6.0  # px between dots; a try with more moves than fit so is drawn as a strip


def draw_speed_ladder(
    surface: pygame.Surface,
    topright: tuple[int, int],
    speeds: Sequence[float],
    current: float,
    passed: set[float],
    cleared: bool,
) -> pygame.Rect:
    """Rungs left to right, joined by arrows: the current speed lit, passed ones ticked,
    and CLEARED (a tick, not a button) once 1x is passed."""
    font = theme.font(26)
    tick_room = 14  # a ticked rung is wider: its tick stays clear of the label
    widths = [font.size(f"{s:g}x")[0] + 40 + (tick_room if s in passed else 0) for s in speeds]
    gap = 26
    total = sum(widths) + gap * (len(speeds) - 1) + (150 if cleared else 0)
    x, y = topright[0] - total, topright[1]
    area = pygame.Rect(x, y, total, 38)
    for k, (speed, width) in enumerate(zip(speeds, widths, strict=True)):
        rung = pygame.Rect(x, y, width, 38)
        now = speed == current and not cleared
        fill = (
            theme.ACCENT
            if now
            else theme.mix(theme.PANEL, theme.GOOD_TINT, 0.35 if speed in passed else 0.0)
        )
        pygame.draw.rect(surface, fill, rung, border_radius=19)
        pygame.draw.rect(
            surface, theme.TEXT if now else theme.PANEL_EDGE, rung, 2, border_radius=19
        )
        label_x = rung.centerx + (tick_room // 2 + 4 if speed in passed else 0)
        draw.text(surface, f"{speed:g}x", (label_x, rung.centery), 26, theme.TEXT, "center")
        if speed in passed:
            draw.check_mark(surface, (rung.x + 17, rung.centery), 16, theme.GOOD_TINT)
        x = rung.right
        if k < len(speeds) - 1:
            mid = rung.centery
            pygame.draw.line(surface, theme.MUTED, (x + 5, mid), (x + gap - 6, mid), 2)
            pygame.draw.polygon(
                surface,
                theme.MUTED,
                [(x + gap - 4, mid), (x + gap - 11, mid - 5), (x + gap - 11, mid + 5)],
            )
            x += gap
    if cleared:
        draw.check_mark(surface, (x + 26, y + 19), 26, theme.GOLD)
        draw.text(surface, "CLEARED", (x + 44, y + 19), 30, theme.GOLD, "midleft")
    return area


def draw_pass_summary(
    surface: pygame.Surface,
    topleft: tuple[int, int],
    passes: int,
    last: LoopPass | None,
    right: int,
    noun: str = "pass",
    coaching: str | None = None,
    rule: PassRule = PASS_RULES[DEFAULT_DIFFICULTY],
    moves: int = 0,
) -> None:
    """ "Pass N" (or "Try N"), and the last one: its speed and how close it came in moves
    ("6 of 8 moves GOOD or better: one more to pass"); on a row below, one dot per window
    (a strip on a long try), the missed ones marked, ending before x = `right`; under it the
    coaching for the worst missed move. Before the first, the rule for a try of `moves`
    windows."""
    x, y = topleft
    draw.text(surface, f"{noun.capitalize()} {passes + 1}", (x, y), 30, theme.TEXT)
    if last is None:
        draw.text(surface, pass_rule_text(rule, moves), (x + 100, y + 6), 22, theme.MUTED)
        return
    verdict = last.verdict
    color = theme.GOOD_TINT if verdict.passed else theme.WRONG
    text = f"last {noun} at {last.speed:g}x: {verdict.text()}"
    rect = pygame.Rect(x + 100, y + 6, 0, 0)
    for line in draw.wrap(text, 22, right - rect.x):  # both reasons, on two lines if need be
        rect = rect.union(draw.text(surface, line, (rect.x, rect.bottom), 22, color))
    draw_window_dots(surface, (rect.x, rect.bottom + 15), right, last.events, verdict.worst)
    if coaching and not verdict.passed:
        worst = draw.fit(f"worst move: {coaching}", 20, right - rect.x)
        draw.text(surface, worst, (rect.x, rect.bottom + 31), 20, theme.TEXT)


def pass_rule_text(rule: PassRule, moves: int = 0) -> str:
    """The rule for a try of `moves` windows in words: `5 of 10 moves GOOD or better
    passes, at most 3 missed in a row` (the run left out where it cannot fail a try: `3 of
    4 moves GOOD or better passes`; without `moves`: `50% of the moves ...`)."""
    run = rule.max_run(moves)
    need = f"{rule.needed(moves)} of {moves}" if moves else f"{round(rule.share * 100)}% of the"
    text = f"{need} moves GOOD or better passes"
    if moves and moves - rule.needed(moves) <= run:
        return text  # no more misses are allowed than a run may have
    return f"{text}, at most {run} missed in a row"


def draw_window_dots(
    surface: pygame.Surface,
    midleft: tuple[int, int],
    right: int,
    events: Sequence[WindowJudgement],
    worst: WindowJudgement | None = None,
) -> None:
    """One dot per window in its verdict's colour, from `midleft` to `right` at most: 22 px
    apart, closer (and smaller) when a long step has more than fit. A missed move stands
    out: a bigger dot with a dark rim and a white cross, the worst one ringed gold."""
    if not events:
        return
    x, y = midleft
    reach = MISS_GROW + WORST_RING  # how far past a dot's radius the worst miss's ring goes
    step = min(22.0, (right - x - reach) / len(events))
    if step < MIN_DOT_STEP:  # a long try (a whole song): a strip, a column a move
        _draw_window_strip(surface, (x + reach, y), right, events, worst)
        return
    radius = max(1, min(7, round(step * 0.32)))
    for k, event in enumerate(events):
        center = (round(x + reach + radius + k * step), y)
        if event.judgement.tier.hit:
            pygame.draw.circle(surface, event.judgement.tier.color, center, radius)
            continue
        if event is worst:
            pygame.draw.circle(surface, theme.GOLD, center, radius + reach, WORST_RING)
        big = radius + MISS_GROW
        pygame.draw.circle(surface, (8, 4, 16), center, big + 1)
        pygame.draw.circle(surface, event.judgement.tier.color, center, big)
        arm = max(1, round(big * 0.5))
        width = max(1, big // 3)
        cx, cy = center
        pygame.draw.line(surface, theme.TEXT, (cx - arm, cy - arm), (cx + arm, cy + arm), width)
        pygame.draw.line(surface, theme.TEXT, (cx - arm, cy + arm), (cx + arm, cy - arm), width)


def _draw_window_strip(
    surface: pygame.Surface,
    midleft: tuple[int, int],
    right: int,
    events: Sequence[WindowJudgement],
    worst: WindowJudgement | None,
) -> None:
    """Every window as a column of its verdict's colour, side by side from `midleft` to
    `right` (where missed moves bunch up shows), the worst missed one marked by a gold
    notch above it."""
    x, y = midleft
    step = (right - x) / len(events)
    for k, event in enumerate(events):
        left, end = round(x + k * step), round(x + (k + 1) * step)
        column = pygame.Rect(left, y - 6, max(1, end - left), 12)
        pygame.draw.rect(surface, event.judgement.tier.color, column)
        if event is worst:
            tip = column.midtop
            notch = [(tip[0] - 5, tip[1] - 7), (tip[0] + 5, tip[1] - 7), (tip[0], tip[1] - 1)]
            pygame.draw.polygon(surface, theme.GOLD, notch)


def draw_banner(
    surface: pygame.Surface, rect: pygame.Rect, message: str, color: theme.Color, sub: str = ""
) -> None:
    """A big word on a plate (the count-in, or a pass's verdict)."""
    draw.plate(surface, rect, color, 225)
    if sub:
        draw.outlined_text(surface, message, (rect.centerx, rect.centery - 12), 64, color, "center")
        draw.text(surface, sub, (rect.centerx, rect.bottom - 12), 24, theme.TEXT, "midbottom")
    else:
        draw.outlined_text(surface, message, rect.center, 72, color, "center")
