"""A contact sheet of a group video: a few moments, each dancer boxed with their number."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from game.capture.group.boxes import pose_box
from game.capture.group.result import GroupTracks, numbering_frame
from game.capture.video import iter_video

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
    stamp = f"{group.times[frame]:.1f} s"
    cv2.putText(panel, stamp, (8, PANEL_HEIGHT - 10), cv2.FONT_HERSHEY_SIMPLEX, 0.7,
                (255, 255, 255), 2)  # fmt: skip
    return panel


def write_contact_sheet(video: Path, group: GroupTracks, out: Path) -> Path:
    """Write a PNG of a few moments with numbered boxes on the dancers; returns `out`."""
    wanted = sheet_frames(group)
    times = {group.times[i]: i for i in wanted}
    panels: dict[int, np.ndarray] = {}
    last = max(times) if times else 0.0
    for captured in iter_video(video, end=last + 0.05):
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
