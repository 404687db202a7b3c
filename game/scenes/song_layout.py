"""Where a song's parts go on the 1280x720 screen (play, practice and get ready share them)."""

from __future__ import annotations

import pygame

COACH_RECT = pygame.Rect(24, 64, 540, 500)
PLAYER_RECT = pygame.Rect(584, 64, 672, 500)
TIMELINE_RECT = pygame.Rect(24, 580, 1232, 120)
FREE_STRIP = 64  # kept free at the top of the player panel when there are no counters
