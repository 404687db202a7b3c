"""The calibration study: the game's judge on real covers and on wrong dances."""
