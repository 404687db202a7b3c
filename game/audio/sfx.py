"""Short sound effects synthesised with numpy: judgement ticks and countdown beeps."""

from __future__ import annotations

import numpy as np

from game.scoring.rules import Judgement

SAMPLE_RATE = 44100


def tone(freq: float, seconds: float, volume: float = 0.3, sweep: float = 1.0) -> np.ndarray:
    """A plucked sine (fast attack, exponential decay), optionally sweeping in pitch."""
    t = np.arange(int(seconds * SAMPLE_RATE)) / SAMPLE_RATE
    freqs = freq * sweep ** (t / seconds)
    phase = 2 * np.pi * np.cumsum(freqs) / SAMPLE_RATE
    envelope = np.minimum(1.0, t / 0.004) * np.exp(-t * 7.0 / seconds)
    wave = np.sin(phase) + 0.3 * np.sin(2 * phase)
    return (volume * envelope * wave / 1.3).astype(np.float32)


EFFECTS: dict[str, np.ndarray] = {  # a judgement's is named by its tier (scoring.rules.TIERS)
    "perfect": np.concatenate([tone(1046.5, 0.07), tone(1568.0, 0.16)]),
    "good": tone(784.0, 0.16),
    "miss": tone(196.0, 0.22, volume=0.25, sweep=0.6),
    "count": tone(880.0, 0.12),
    "go": tone(1318.5, 0.3),
    "select": tone(660.0, 0.06, volume=0.2),
}


class SoundEffects:
    """Plays the effects through pygame.mixer; silent when there is no mixer."""

    def __init__(self, volume: float = 0.6) -> None:
        import pygame

        self._sounds = {}
        if not pygame.mixer.get_init():
            return
        _, _, channels = pygame.mixer.get_init()
        for name, wave in EFFECTS.items():
            pcm = (np.clip(wave, -1, 1) * 32767).astype(np.int16)
            if channels == 2:
                pcm = np.repeat(pcm[:, None], 2, axis=1)
            sound = pygame.sndarray.make_sound(np.ascontiguousarray(pcm))
            sound.set_volume(volume)
            self._sounds[name] = sound

    def play_judgement(self, judgement: Judgement) -> None:
        """The sound of a window just judged: its tier's."""
        self.play(judgement.tier.sound)

    def play(self, name: str) -> None:
        sound = self._sounds.get(name)
        if sound is not None:
            sound.play()
