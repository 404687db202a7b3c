"""Audio: mixer wrapper, time-stretched practice audio, sound effects."""
