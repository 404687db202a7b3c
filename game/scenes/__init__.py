"""Scenes and the scene stack."""
