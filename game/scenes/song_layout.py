"""Where a song's parts go on the 1280x720 screen (play, practice and get ready share them)."""

from __future__ import annotations

import pygame

COACH_RECT = pygame.Rect(24, 64, 540, 500)
PLAYER_RECT = pygame.Rect(584, 64, 672, 500)
TIMELINE_RECT = pygame.Rect(24, 580, 1232, 120)
# Learn, practice and the A-B loop: a shorter timeline, and under it a strip for the key hints
# (off the bodies in the panels above).
LOOPED_TIMELINE_RECT = pygame.Rect(24, 574, 1232, 98)
KEYS_RECT = pygame.Rect(24, 678, 1232, 36)
FREE_STRIP = 120  # kept free at the top of the player panel without counters: the try summary
