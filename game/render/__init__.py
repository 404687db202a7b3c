"""Drawing: skeletons, avatar, HUD and charts (read-only, no state)."""
