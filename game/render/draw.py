"""Small drawing helpers shared by every scene: text, panels, buttons, progress bars."""

from __future__ import annotations

import pygame

from game.render import theme
from game.render.theme import Color


def text(
    surface: pygame.Surface,
    message: str,
    pos: tuple[float, float],
    size: int = 28,
    color: Color = theme.TEXT,
    anchor: str = "topleft",
    shadow: bool = False,
) -> pygame.Rect:
    """Draw `message` with its `anchor` (a pygame.Rect attribute) at `pos`."""
    image = theme.font(size).render(message, True, color)
    rect = image.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
    if shadow:
        shade = theme.font(size).render(message, True, (0, 0, 0))
        surface.blit(shade, rect.move(2, 3))
    surface.blit(image, rect)
    return rect


def fit(message: str, size: int, width: int) -> str:
    """`message`, cut with an ellipsis to fit `width` pixels at font `size`."""
    font = theme.font(size)
    if font.size(message)[0] <= width:
        return message
    while message and font.size(message + "...")[0] > width:
        message = message[:-1]
    return message.rstrip() + "..."


def wrap(text: str, size: int, width: int, lines: int = 2) -> list[str]:
    """`text` in at most `lines` lines of `width` pixels, broken between words; the last
    cut with an ellipsis if it still does not fit."""
    font = theme.font(size)
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines - 1:
        take = len(words)
        while take > 1 and font.size(" ".join(words[:take]))[0] > width:
            take -= 1
        out.append(" ".join(words[:take]))
        words = words[take:]
    if words:
        out.append(fit(" ".join(words), size, width))
    return out


def tag(
    surface: pygame.Surface,
    message: str,
    pos: tuple[int, int],
    size: int = 24,
    color: Color = theme.TEXT,
    anchor: str = "topleft",
) -> pygame.Rect:
    """A small label on a dark pill, readable over a video."""
    image = theme.font(size).render(message, True, color)
    rect = image.get_rect(**{anchor: pos}).inflate(16, 8)
    pill = pygame.Surface(rect.size, pygame.SRCALPHA)
    pygame.draw.rect(pill, (10, 6, 24, 190), pill.get_rect(), border_radius=rect.height // 2)
    surface.blit(pill, rect)
    surface.blit(image, image.get_rect(center=rect.center))
    return rect


def panel(surface: pygame.Surface, rect: pygame.Rect, color: Color = theme.PANEL) -> None:
    pygame.draw.rect(surface, color, rect, border_radius=14)
    pygame.draw.rect(surface, theme.PANEL_EDGE, rect, width=2, border_radius=14)


def button(
    surface: pygame.Surface, rect: pygame.Rect, label: str, focused: bool, size: int = 30
) -> None:
    fill = theme.mix(theme.PANEL, theme.ACCENT, 0.85) if focused else theme.PANEL
    pygame.draw.rect(surface, fill, rect, border_radius=12)
    edge = theme.TEXT if focused else theme.PANEL_EDGE
    pygame.draw.rect(surface, edge, rect, width=2, border_radius=12)
    text(surface, label, rect.center, size, theme.TEXT, anchor="center")


def bar(
    surface: pygame.Surface, rect: pygame.Rect, fraction: float, color: Color = theme.ACCENT
) -> None:
    pygame.draw.rect(surface, theme.PANEL, rect, border_radius=rect.height // 2)
    filled = rect.copy()
    filled.width = max(rect.height, round(rect.width * max(0.0, min(1.0, fraction))))
    if fraction > 0:
        pygame.draw.rect(surface, color, filled, border_radius=rect.height // 2)


def vertical_gradient(size: tuple[int, int], top: Color, bottom: Color) -> pygame.Surface:
    surface = pygame.Surface(size)
    for y in range(size[1]):
        pygame.draw.line(
            surface, theme.mix(top, bottom, y / max(1, size[1] - 1)), (0, y), (size[0], y)
        )
    return surface


_BACKDROPS: dict[tuple[int, int], pygame.Surface] = {}


def backdrop(size: tuple[int, int]) -> pygame.Surface:
    """The shared gradient backdrop of every scene (built once per size)."""
    if size not in _BACKDROPS:
        _BACKDROPS[size] = vertical_gradient(size, (26, 16, 48), (10, 8, 22))
    return _BACKDROPS[size]


def outlined_text(
    surface: pygame.Surface,
    message: str,
    pos: tuple[float, float],
    size: int = 28,
    color: Color = theme.TEXT,
    anchor: str = "topleft",
    alpha: int = 255,
) -> pygame.Rect:
    """Text with a dark outline all round: readable over any video."""
    image = theme.font(size).render(message, True, color)
    edge = theme.font(size).render(message, True, (8, 4, 16))
    rect = image.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
    if alpha < 255:
        image.set_alpha(alpha)
        edge.set_alpha(alpha)
    step = max(2, size // 22)
    for dx, dy in ((-step, 0), (step, 0), (0, -step), (0, step), (step, step), (-step, step)):
        surface.blit(edge, rect.move(dx, dy))
    surface.blit(image, rect)
    return rect.inflate(2 * step, 2 * step)


def plate(
    surface: pygame.Surface, rect: pygame.Rect, edge: Color | None = None, alpha: int = 200
) -> None:
    """A dark rounded backing plate (with a coloured rim) for text over a video."""
    layer = pygame.Surface(rect.size, pygame.SRCALPHA)
    radius = min(rect.height // 2, 16)
    pygame.draw.rect(layer, (10, 6, 24, alpha), layer.get_rect(), border_radius=radius)
    if edge is not None:
        pygame.draw.rect(layer, (*edge, alpha), layer.get_rect(), width=3, border_radius=radius)
    surface.blit(layer, rect)


def check_mark(
    surface: pygame.Surface, center: tuple[int, int], size: int, color: Color = theme.TEXT
) -> pygame.Rect:
    """A tick drawn with lines (the bundled font has no check glyph)."""
    x, y = center
    points = [
        (x - size * 0.45, y),
        (x - size * 0.12, y + size * 0.35),
        (x + size * 0.5, y - size * 0.4),
    ]
    width = max(3, size // 5)
    pygame.draw.lines(surface, (8, 4, 16), False, points, width + 4)
    pygame.draw.lines(surface, color, False, points, width)
    for point in points:
        pygame.draw.circle(surface, color, point, width / 2)
    return pygame.Rect(x - size // 2, y - size // 2, size, size)
