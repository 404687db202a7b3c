"""Synthetic pose tracks for the pure core: a stick dancer whose limbs swing in time."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from game.pose.frame import PoseTrack
from game.pose.skeleton import INDEX, NUM_LANDMARKS

REST = {
    "nose": (0.50, 0.15), "left_eye": (0.52, 0.13), "right_eye": (0.48, 0.13),
    "left_ear": (0.54, 0.14), "right_ear": (0.46, 0.14),
    "left_shoulder": (0.58, 0.28), "right_shoulder": (0.42, 0.28),
    "left_hip": (0.55, 0.55), "right_hip": (0.45, 0.55),
    "left_knee": (0.56, 0.72), "right_knee": (0.44, 0.72),
    "left_ankle": (0.56, 0.90), "right_ankle": (0.44, 0.90),
    "left_foot_index": (0.58, 0.93), "right_foot_index": (0.42, 0.93),
}  # fmt: skip
UPPER_ARM, FOREARM, HAND = 0.13, 0.12, 0.04


def _limb(start: np.ndarray, angle: np.ndarray, length: float) -> np.ndarray:
    """Points `length` from `start` (T, 2) in direction `angle` (T,) radians (0 = down)."""
    return start + length * np.stack([np.sin(angle), np.cos(angle)], axis=-1)


def dancer_track(
    duration: float = 20.0, fps: float = 30.0, bpm: float = 120.0, seed: int = 0
) -> PoseTrack:
    """A full-body dancer: arms and legs swing with the beat, all landmarks visible."""
    rng = np.random.default_rng(seed)
    times = np.arange(0.0, duration, 1.0 / fps)
    phase = 2 * np.pi * times * bpm / 60.0 / 2  # one swing every two beats
    drift = rng.uniform(0.3, 1.0, size=4)
    landmarks = np.zeros((len(times), NUM_LANDMARKS, 3), np.float32)
    for name, (x, y) in REST.items():
        landmarks[:, INDEX[name], :2] = (x, y)
    for side, sign, k in (("left", 1, 0), ("right", -1, 1)):
        shoulder = landmarks[:, INDEX[f"{side}_shoulder"], :2]
        upper = sign * (0.3 + 2.4 * (1 + np.sin(phase + k + drift[k])) / 2)
        elbow = _limb(shoulder, upper, UPPER_ARM)
        fore = upper + sign * (0.2 + 1.8 * (1 + np.sin(2 * phase + 2 * k + drift[k + 2])) / 2)
        wrist = _limb(elbow, fore, FOREARM)
        landmarks[:, INDEX[f"{side}_elbow"], :2] = elbow
        landmarks[:, INDEX[f"{side}_wrist"], :2] = wrist
        for finger in ("index", "pinky", "thumb"):
            landmarks[:, INDEX[f"{side}_{finger}"], :2] = _limb(wrist, fore, HAND)
        hip = landmarks[:, INDEX[f"{side}_hip"], :2]
        thigh = sign * 0.35 * (1 + np.sin(phase + k * np.pi)) / 2
        knee = _limb(hip, thigh, 0.17)
        ankle = _limb(knee, thigh - sign * 0.3 * (1 + np.sin(phase + k * np.pi)) / 2, 0.18)
        landmarks[:, INDEX[f"{side}_knee"], :2] = knee
        landmarks[:, INDEX[f"{side}_ankle"], :2] = ankle
        landmarks[:, INDEX[f"{side}_heel"], :2] = ankle + np.array([0.0, 0.02])
        landmarks[:, INDEX[f"{side}_foot_index"], :2] = ankle + np.array([sign * 0.03, 0.03])
    visibility = np.ones((len(times), NUM_LANDMARKS), np.float32)
    return PoseTrack(times, landmarks, visibility, 1.0)


def freeze_arms(track: PoseTrack, start: float, end: float) -> PoseTrack:
    """The same track with both arms held still (at their pose at `start`) in [start, end)."""
    landmarks = track.landmarks.copy()
    inside = (track.times >= start) & (track.times < end)
    held = track.index_at(start)
    arm_points = [i for name, i in INDEX.items() if any(p in name for p in (
        "elbow", "wrist", "index", "pinky", "thumb"))]  # fmt: skip
    landmarks[np.ix_(inside, arm_points)] = landmarks[held, arm_points]
    return PoseTrack(track.times, landmarks, track.visibility, track.aspect)


def vanish(track: PoseTrack, start: float, end: float) -> PoseTrack:
    """The same track with the player gone (no frames at all) in [start, end)."""
    keep = (track.times < start) | (track.times >= end)
    return PoseTrack(track.times[keep], track.landmarks[keep], track.visibility[keep], track.aspect)


def silent_video(path: Path, seconds: float = 2.0) -> Path:
    """A 64x64 15 fps H.264 video of changing grey, no sound and nobody in it."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(15))
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for i in range(int(seconds * 15)):
            image = np.full((64, 64, 3), (i * 8) % 255, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def tiny_song_bytes(seconds: float = 0.5) -> bytes:
    """A short, real OGG Vorbis song (a quiet tone): what a level's `audio` must decode to."""
    import io

    import soundfile as sf

    rate = 22050
    tone = 0.1 * np.sin(2 * np.pi * 440 * np.arange(int(rate * seconds)) / rate)
    buffer = io.BytesIO()
    sf.write(buffer, tone.astype(np.float32), rate, format="OGG", subtype="VORBIS")
    return buffer.getvalue()
