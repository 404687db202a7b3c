"""The row of key hints under a practice screen (learn, practice, the A-B loop): each key
drawn as a key cap beside what it does, the row centred in its own strip, off the bodies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pygame

from game.render import draw, theme

SIZES = (22, 20, 18)  # the font sizes tried, largest first, until the row fits
CAP_PAD = 7  # room either side of a key's name inside its cap
GAP_IN = 6  # between a cap and its action
GAP_OUT = 22  # between one hint and the next


@dataclass(frozen=True)
class KeyHint:
    """`keys` (as printed on the cap, e.g. "L" or "Left/Right") does `action`; `on` lights
    it, for a toggle that is switched on."""

    keys: str
    action: str
    on: bool = False


def _width(hints: Sequence[KeyHint], size: int) -> int:
    font = theme.font(size)
    caps = sum(font.size(h.keys)[0] + 2 * CAP_PAD + GAP_IN + font.size(h.action)[0] for h in hints)
    return caps + GAP_OUT * (len(hints) - 1)


def draw_key_hints(
    surface: pygame.Surface, rect: pygame.Rect, hints: Sequence[KeyHint]
) -> pygame.Rect:
    """The hints in one row centred in `rect`, at the largest size in SIZES that fits (the
    smallest otherwise); returns the area drawn."""
    if not hints:
        return pygame.Rect(rect.center, (0, 0))
    size = next((s for s in SIZES if _width(hints, s) <= rect.width - 24), SIZES[-1])
    font = theme.font(size)
    total = _width(hints, size)
    x = rect.centerx - total // 2
    cap_h = min(rect.height - 4, font.get_height() + 8)
    for hint in hints:
        cap = pygame.Rect(x, 0, font.size(hint.keys)[0] + 2 * CAP_PAD, cap_h)
        cap.centery = rect.centery
        face = theme.GOLD if hint.on else theme.TEXT
        pygame.draw.rect(surface, (8, 4, 16), cap.move(0, 2), border_radius=6)  # its shadow
        pygame.draw.rect(surface, face, cap, border_radius=6)
        draw.text(surface, hint.keys, cap.center, size, theme.BACKGROUND, "center")
        label = draw.text(surface, hint.action, (cap.right + GAP_IN, rect.centery), size,
                          theme.GOLD if hint.on else theme.TEXT, "midleft")  # fmt: skip
        x = label.right + GAP_OUT
    return pygame.Rect(rect.centerx - total // 2, rect.y, total, rect.height)
