"""Drawn people for the group tracker's tests: a figure in a top, trousers and hair of given
colours, painted on an image, with the BlazePose landmarks of what was drawn."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from game.capture.group.boxes import pose_box
from game.capture.group.tracker import Observation
from game.pose.skeleton import INDEX, NUM_LANDMARKS

SKIN = (224, 172, 140)
SHOES = (40, 40, 40)


@dataclass(frozen=True)
class Outfit:
    top: tuple[int, int, int]
    trousers: tuple[int, int, int]
    hair: tuple[int, int, int] = (30, 25, 20)


def figure_points(cx: float, feet: float, tall: float, swing: float = 0.0) -> np.ndarray:
    """(33, 3) pixel landmarks of a standing figure `tall` pixels high, feet at y = `feet`;
    `swing` (-1..1) moves the arms and legs as in a walk."""
    u = tall / 8.0  # a head's height
    top = feet - tall
    at = {
        "nose": (0.0, 0.75), "left_eye": (0.12, 0.6), "right_eye": (-0.12, 0.6),
        "left_eye_inner": (0.06, 0.6), "right_eye_inner": (-0.06, 0.6),
        "left_eye_outer": (0.17, 0.6), "right_eye_outer": (-0.17, 0.6),
        "left_ear": (0.3, 0.65), "right_ear": (-0.3, 0.65),
        "mouth_left": (0.08, 0.85), "mouth_right": (-0.08, 0.85),
        "left_shoulder": (0.75, 1.5), "right_shoulder": (-0.75, 1.5),
        "left_elbow": (0.85 + 0.2 * swing, 2.7), "right_elbow": (-0.85 - 0.2 * swing, 2.7),
        "left_wrist": (0.9 + 0.4 * swing, 3.8), "right_wrist": (-0.9 - 0.4 * swing, 3.8),
        "left_hip": (0.45, 4.0), "right_hip": (-0.45, 4.0),
        "left_knee": (0.5 + 0.4 * swing, 5.9), "right_knee": (-0.5 - 0.4 * swing, 5.9),
        "left_ankle": (0.5 + 0.7 * swing, 7.7), "right_ankle": (-0.5 - 0.7 * swing, 7.7),
    }  # fmt: skip
    points = np.zeros((NUM_LANDMARKS, 3))
    for name, (dx, dy) in at.items():
        points[INDEX[name], :2] = cx + dx * u, top + dy * u
    for side in ("left", "right"):
        wrist, ankle = points[INDEX[f"{side}_wrist"]], points[INDEX[f"{side}_ankle"]]
        for finger in ("pinky", "index", "thumb"):
            points[INDEX[f"{side}_{finger}"]] = wrist + np.array([0, 0.3 * u, 0])
        points[INDEX[f"{side}_heel"]] = ankle + np.array([0, 0.2 * u, 0])
        points[INDEX[f"{side}_foot_index"]] = ankle + np.array([0, 0.3 * u, 0])
    return points


def _p(points: np.ndarray, name: str) -> tuple[int, int]:
    x, y = points[INDEX[name], :2]
    return round(x), round(y)


def draw_figure(image: np.ndarray, points: np.ndarray, outfit: Outfit) -> None:
    """Paint the figure of `points` (from `figure_points`) on the RGB `image`."""
    u = float(np.linalg.norm(points[INDEX["left_shoulder"], :2]
                             - points[INDEX["right_shoulder"], :2])) / 1.5  # fmt: skip
    limb = max(2, round(0.45 * u))
    for side in ("left", "right"):
        cv2.line(image, _p(points, f"{side}_hip"), _p(points, f"{side}_knee"), outfit.trousers,
                 limb + 2)  # fmt: skip
        cv2.line(image, _p(points, f"{side}_knee"), _p(points, f"{side}_ankle"),
                 outfit.trousers, limb)  # fmt: skip
        cv2.circle(image, _p(points, f"{side}_ankle"), max(2, limb // 2 + 1), SHOES, -1)
    body = np.array([_p(points, n) for n in ("left_shoulder", "right_shoulder", "right_hip",
                                             "left_hip")], np.int32)  # fmt: skip
    cv2.fillPoly(image, [body], outfit.top)
    for side in ("left", "right"):
        cv2.line(image, _p(points, f"{side}_shoulder"), _p(points, f"{side}_elbow"), outfit.top,
                 limb)  # fmt: skip
        cv2.line(image, _p(points, f"{side}_elbow"), _p(points, f"{side}_wrist"), SKIN,
                 max(2, limb - 2))  # fmt: skip
    nose = _p(points, "nose")
    radius = max(3, round(0.5 * u))
    cv2.circle(image, (nose[0], nose[1] - radius // 3), radius, SKIN, -1)
    cv2.ellipse(image, (nose[0], nose[1] - radius // 2), (radius + 1, radius), 0, 180, 360,
                outfit.hair, -1)  # fmt: skip


def observation(image: np.ndarray, points: np.ndarray) -> Observation:
    """What the pose model would report for a drawn figure: its landmarks, all seen, and the
    look read from the image (as the runner reads it)."""
    from game.capture.group.appearance import color_feature

    visibility = np.ones(NUM_LANDMARKS)
    box = pose_box(points, visibility)
    assert box is not None
    return Observation(points, visibility, box, color_feature(image, points, visibility))


def background(height: int, width: int) -> np.ndarray:
    image = np.full((height, width, 3), (150, 150, 155), np.uint8)
    image[int(height * 0.85) :] = (120, 100, 80)  # the floor
    return image


def group_video(path, tracks, outfits: list[Outfit], size=(640, 360), fps: float = 15.0):
    """An mp4 of drawn figures dancing `tracks` (landmarks in height units), each in its
    outfit, the first drawn in front; as long as the first track."""
    width, height = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    for t in np.arange(0.0, float(tracks[0].times[-1]), 1.0 / fps):
        image = background(height, width)
        for track, outfit in reversed(list(zip(tracks, outfits, strict=True))):
            draw_figure(image, track.frame_at(t).landmarks.astype(np.float64) * height, outfit)
        writer.write(cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
    writer.release()
    return path
