"""Beat grid and song clock (pure)."""
