"""A recorded cover used as the camera, lined up with the level's song by its own music.

The same search `cover-dance score` starts from: the onset envelopes of the song and of
the video's sound, cross-correlated (`game.cover.align.audio_offset`); a peak weaker than
AUDIO_TRUST, or a video without sound, plays from the song's start and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.cover.align import AUDIO_TRUST, audio_offset, lateness
from game.cover.inputs import music_envelope

FROM_THE_START = "played from the song's start (set its place with --input-offset S)"


@dataclass(frozen=True)
class VideoSync:
    """Where a video sits against the song: video time = song time + `offset_s`."""

    video: Path
    offset_s: float
    notice: str  # one line for the player, e.g. "cover.mp4 starts 0.81 s early: ..."
    found: bool  # lined up (by its music or by hand), not just played from the start


def starts(name: str, offset_s: float) -> str:
    """`cover.mp4 starts 0.81 s early` (offset -0.81: its music comes 0.81 s before the
    song's), or `cover.mp4 is in step with the song` under a frame, as `score` says it."""
    when = lateness(offset_s)
    return f"{name} is in step with the song" if when == "in step" else f"{name} starts {when}"


def sync_video(song: Path, video: Path, given: float | None = None) -> VideoSync:
    """The offset of `video` against the level's `song`: `given` (by hand), else from the
    two recordings' music, else 0 with a notice saying why."""
    from game.audio.beats import ENVELOPE_RATE
    from game.audio.extract import has_audio

    video = Path(video)
    name = video.name
    if given is not None:
        return VideoSync(video, given, f"{starts(name, given)}: lined up by --input-offset", True)
    if not has_audio(video):
        return VideoSync(video, 0.0, f"{name} has no sound to line it up by: {FROM_THE_START}",
                         False)  # fmt: skip
    found = audio_offset(music_envelope(song), music_envelope(video), ENVELOPE_RATE)
    if found is None or found.strength < AUDIO_TRUST:
        clue = "" if found is None else f" (correlation {found.strength:.2f})"
        notice = f"{name}: its music does not clearly match the song's{clue}: {FROM_THE_START}"
        return VideoSync(video, 0.0, notice, False)
    notice = f"{starts(name, found.seconds)}: lined up by its music"
    return VideoSync(video, found.seconds, notice, True)
