"""A contact sheet of a group video (a few moments, each dancer boxed with their number) and
the member strips (a row per member: their crop every few seconds, numbered)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from game.capture.group.boxes import pose_box
from game.capture.group.result import GroupTracks, numbering_frame
from game.capture.video import iter_video

Progress = Callable[[float], None]
PANEL_HEIGHT = 480
PANELS = 4
COLORS = [  # RGB, one per dancer number (repeating)
    (230, 25, 75), (60, 180, 75), (255, 225, 25), (0, 130, 200), (245, 130, 48),
    (145, 30, 180), (70, 240, 240), (240, 50, 230), (210, 245, 60),
]  # fmt: skip


def sheet_frames(group: GroupTracks, panels: int = PANELS) -> list[int]:
    """Frame indices to show: the numbering moment first, then moments spread over the clip."""
    n = len(group.times)
    if n == 0:
        return []
    first = numbering_frame(group.seen())
    rest = np.linspace(0, n - 1, panels + 1)[1:].round().astype(int)
    picked = [first] + [int(i) for i in rest if abs(int(i) - first) > n / (2 * panels)]
    return picked[:panels]


def _panel(image: np.ndarray, group: GroupTracks, frame: int) -> np.ndarray:
    scale = PANEL_HEIGHT / image.shape[0]
    panel = cv2.resize(image, (round(image.shape[1] * scale), PANEL_HEIGHT))
    pixels = PANEL_HEIGHT  # landmarks are in height units
    for d in range(group.count):
        vis = group.visibility[d, frame]
        box = pose_box(group.landmarks[d, frame] * pixels, vis) if vis.max() > 0 else None
        if box is None:
            continue
        color = COLORS[d % len(COLORS)]
        x0, y0, x1, y1 = (round(v) for v in box)
        cv2.rectangle(panel, (x0, y0), (x1, y1), color, 2)
        label = str(d + 1)
        (w, h), _ = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, 1.2, 3)
        tx, ty = max(0, (x0 + x1) // 2 - w // 2), max(h + 6, y0 - 6)
        cv2.rectangle(panel, (tx - 4, ty - h - 6), (tx + w + 4, ty + 6), color, -1)
        cv2.putText(panel, label, (tx, ty), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (0, 0, 0), 3)
    _stamp(panel, f"{group.times[frame]:.1f} s", 0.7, 2)
    return panel


def _stamp(image: np.ndarray, text: str, size: float, thickness: int) -> None:
    """`text` in white on a black plate at the image's bottom left: readable on any floor."""
    (w, h), base = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, size, thickness)
    bottom = image.shape[0] - 1
    cv2.rectangle(image, (0, bottom - h - base - 8), (w + 12, bottom), (0, 0, 0), -1)
    cv2.putText(image, text, (6, bottom - base - 3), cv2.FONT_HERSHEY_SIMPLEX, size,
                (255, 255, 255), thickness, cv2.LINE_AA)  # fmt: skip


def write_contact_sheet(
    video: Path, group: GroupTracks, out: Path, on_progress: Progress | None = None
) -> Path:
    """Write a PNG of a few moments with numbered boxes on the dancers; returns `out`."""
    wanted = sheet_frames(group)
    times = {group.times[i]: i for i in wanted}
    panels: dict[int, np.ndarray] = {}
    last = max(times) if times else 0.0
    for captured in iter_video(video, end=last + 0.05):
        if on_progress and last > 0:
            on_progress(captured.time / last)
        for t, i in times.items():
            if i not in panels and abs(captured.time - t) < 1e-3:
                panels[i] = _panel(captured.image, group, i)
        if len(panels) == len(times):
            break
    row = [panels[i] for i in wanted if i in panels]
    if not row:
        row = [np.zeros((PANEL_HEIGHT, PANEL_HEIGHT, 3), np.uint8)]
    gap = np.full((PANEL_HEIGHT, 8, 3), 255, np.uint8)
    strip = np.concatenate([p for panel in row for p in (panel, gap)][:-1], axis=1)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(out), cv2.cvtColor(strip, cv2.COLOR_RGB2BGR)):
        raise OSError(f"could not write {out}")
    return out


TILE_HEIGHT = 180
TILE_WIDTH = 108
HEADER_WIDTH = 170
MAX_TILES = 30


def strip_times(duration: float) -> np.ndarray:
    """When the member strips show each member: every few seconds (more apart in a long
    video, at most MAX_TILES a member), from half a step in."""
    step = max(2.0, float(np.ceil(duration / MAX_TILES)))
    return np.arange(step / 2, max(duration, step / 2 + 1e-6), step)


def _tile(image: np.ndarray, group: GroupTracks, dancer: int, frame: int) -> np.ndarray:
    """Dancer `dancer` (0-based) cut out of `image` at `frame`, numbered; grey if unseen."""
    tile = np.full((TILE_HEIGHT, TILE_WIDTH, 3), 60, np.uint8)
    vis = group.visibility[dancer, frame]
    pixels = image.shape[0]  # landmarks are in height units
    box = pose_box(group.landmarks[dancer, frame] * pixels, vis) if vis.max() > 0 else None
    color = COLORS[dancer % len(COLORS)]
    if box is None:
        cv2.putText(tile, "not in", (18, 80), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (200, 200, 200), 1)
        cv2.putText(tile, "view", (28, 104), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (200, 200, 200), 1)
    else:
        tall = 1.1 * (box[3] - box[1])
        wide = tall * TILE_WIDTH / TILE_HEIGHT
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        scale = TILE_HEIGHT / tall
        shift = np.array(
            [[scale, 0, -(cx - wide / 2) * scale], [0, scale, -(cy - tall / 2) * scale]]
        )
        tile = cv2.warpAffine(image, shift.astype(np.float32), (TILE_WIDTH, TILE_HEIGHT),
                              flags=cv2.INTER_AREA, borderValue=(60, 60, 60))  # fmt: skip
        left = max(0, round((box[0] - (cx - wide / 2)) * scale) - 4)  # neighbours dimmed
        right = min(TILE_WIDTH, round((box[2] - (cx - wide / 2)) * scale) + 4)
        tile[:, :left] //= 3
        tile[:, right:] //= 3
    cv2.rectangle(tile, (0, 0), (TILE_WIDTH - 1, TILE_HEIGHT - 1), color, 3)
    cv2.rectangle(tile, (0, 0), (30, 28), color, -1)
    cv2.putText(tile, str(dancer + 1), (6, 22), cv2.FONT_HERSHEY_SIMPLEX, 0.75, (0, 0, 0), 2)
    _stamp(tile, f"{group.times[frame]:.0f} s", 0.5, 1)
    return tile


def _header(dancer: int, lines: list[str]) -> np.ndarray:
    header = np.full((TILE_HEIGHT, HEADER_WIDTH, 3), 255, np.uint8)
    color = COLORS[dancer % len(COLORS)]
    cv2.rectangle(header, (0, 0), (HEADER_WIDTH - 1, 44), color, -1)
    cv2.putText(header, f"dancer {dancer + 1}", (8, 32), cv2.FONT_HERSHEY_SIMPLEX, 0.9,
                (0, 0, 0), 2)  # fmt: skip
    for k, line in enumerate(lines):
        cv2.putText(header, line, (8, 72 + 24 * k), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1)
    return header


def write_member_strips(
    video: Path,
    group: GroupTracks,
    out: Path,
    notes: list[list[str]] | None = None,
    on_progress: Progress | None = None,
) -> Path:
    """Write a PNG with a row per member: their crop every few seconds over the whole clip,
    numbered, so a swap of two members shows as a row that changes person. `notes` are a
    few short lines per member for the row's header."""
    if len(group.times) == 0 or group.count == 0:
        raise OSError("no dancer to show")
    wanted = [int(np.argmin(np.abs(group.times - t))) for t in strip_times(float(group.times[-1]))]
    wanted = sorted(set(wanted))
    tiles: dict[int, list[np.ndarray]] = {}
    targets = {float(group.times[i]): i for i in wanted}
    last = float(group.times[wanted[-1]])
    for captured in iter_video(video, end=last + 0.05):
        if on_progress and last > 0:
            on_progress(captured.time / last)
        for t, i in targets.items():
            if i not in tiles and abs(captured.time - t) < 1e-3:
                tiles[i] = [_tile(captured.image, group, d, i) for d in range(group.count)]
        if len(tiles) == len(targets):
            break
    shown = [i for i in wanted if i in tiles]
    gap = np.full((TILE_HEIGHT, 4, 3), 255, np.uint8)
    rows = []
    for d in range(group.count):
        row = [_header(d, notes[d] if notes else [])]
        for i in shown:
            row += [gap, tiles[i][d]]
        rows.append(np.concatenate(row, axis=1))
        rows.append(np.full((6, rows[-1].shape[1], 3), 255, np.uint8))
    sheet = np.concatenate(rows[:-1], axis=0)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(out), cv2.cvtColor(sheet, cv2.COLOR_RGB2BGR)):
        raise OSError(f"could not write {out}")
    return out
