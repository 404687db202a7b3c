"""OGG Vorbis encoding of any length (what pygame.mixer.music plays).

libsndfile hands each `write` call's samples to libvorbis in one go, and libvorbis
overflows the stack on long calls (about 48 s of stereo at 44.1 kHz crashes the process
with a segmentation fault: python-soundfile #396/#426, libsndfile #1095), so songs are
written in blocks. Every page gets the same stream serial, so the same samples always
encode to the same bytes.
"""

from __future__ import annotations

import io
import zlib

import numpy as np
import soundfile as sf

from game.errors import UserError

ENCODE_BLOCK = 65536  # frames per libsndfile write call (1.5 s at 44.1 kHz)
OGG_SERIAL = 0x43445431  # fixed Ogg stream serial ("CDT1"), for reproducible files
DEFAULT_QUALITY = 0.4


class OggEncodeError(UserError):
    """The encoder refused the samples (the message is one line, without a file name)."""


def ogg_vorbis_bytes(samples: np.ndarray, rate: int, quality: float = DEFAULT_QUALITY) -> bytes:
    """Encode (frames, channels) or (frames,) float samples in -1..1 as OGG Vorbis;
    `quality` 0 (small) .. 1 (best)."""
    data = samples if samples.ndim == 2 else samples[:, None]
    buffer = io.BytesIO()
    try:
        with sf.SoundFile(
            buffer, "w", int(rate), data.shape[1], format="OGG", subtype="VORBIS",
            compression_level=1.0 - quality,
        ) as out:  # fmt: skip
            for start in range(0, data.shape[0], ENCODE_BLOCK):
                block = np.clip(data[start : start + ENCODE_BLOCK], -1.0, 1.0)
                out.write(np.ascontiguousarray(block, dtype=np.float32))
    except (RuntimeError, ValueError, TypeError) as exc:  # libsndfile's errors among them
        raise OggEncodeError(f"the song could not be encoded as OGG Vorbis ({exc})") from None
    return fix_ogg_serial(buffer.getvalue())


_BIT_REVERSED = bytes(int(f"{i:08b}"[::-1], 2) for i in range(256))


def _ogg_crc(page: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04C11DB7, MSB first, no init or final xor), computed
    with zlib's reflected CRC-32 on bit-reversed bytes."""
    raw = zlib.crc32(page.translate(_BIT_REVERSED), 0xFFFFFFFF) ^ 0xFFFFFFFF
    return int(f"{raw:032b}"[::-1], 2)


def fix_ogg_serial(data: bytes, serial: int = OGG_SERIAL) -> bytes:
    """Give every Ogg page the same stream serial (libsndfile picks a random one), so
    the same samples always encode to the same bytes."""
    out = bytearray(data)
    pos = 0
    while pos + 27 <= len(out) and out[pos : pos + 4] == b"OggS":
        segments = out[pos + 26]
        size = 27 + segments + sum(out[pos + 27 : pos + 27 + segments])
        out[pos + 14 : pos + 18] = serial.to_bytes(4, "little")
        out[pos + 22 : pos + 26] = b"\0\0\0\0"
        out[pos + 22 : pos + 26] = _ogg_crc(bytes(out[pos : pos + size])).to_bytes(4, "little")
        pos += size
    return bytes(out)
