"""A level's song and video, checked by decoding a little of each: a rhythm level whose music
cannot be played teaches nothing, so it is refused before it is danced (one line naming the
file). Decoding goes through PyAV, as the game's video and audio readers do."""

from __future__ import annotations

from pathlib import Path

import av

from game.level.untrusted import one_line

MAX_PACKETS = 64  # packets read while looking for the first decoded frame


def first_frame_problem(path: Path, kind: str) -> str | None:
    """Why no `kind` ("audio" or "video") frame can be decoded from the start of `path`,
    or None if one can."""
    try:
        with av.open(str(path)) as container:
            streams = container.streams.audio if kind == "audio" else container.streams.video
            if not streams:
                return f"has no {kind} stream"
            for count, packet in enumerate(container.demux(streams[0])):
                if packet.size and packet.decode():
                    return None
                if count >= MAX_PACKETS:
                    break
            return f"no {kind} could be decoded from its start"
    except Exception as exc:  # an untrusted file: FFmpeg, OSError, MemoryError... all refuse
        reason = getattr(exc, "strerror", None) or one_line(str(exc)) or type(exc).__name__
        return f"cannot be decoded as {kind} ({reason})"


def media_problems(folder: Path, audio: str, video: str | None) -> list[str]:
    """One line per file of the level (its song, its video if any) that cannot be decoded,
    each naming the file and the level.toml field that names it."""
    lines = []
    for field, name, kind in (("audio", audio, "audio"), ("video", video, "video")):
        if name and (problem := first_frame_problem(folder / name, kind)) is not None:
            lines.append(f"{folder / name}: {field}: {problem}")
    return lines
