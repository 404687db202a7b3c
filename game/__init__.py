"""Cover Dance Trainer: a gamified K-pop cover dance trainer."""

__version__ = "0.1.0"
