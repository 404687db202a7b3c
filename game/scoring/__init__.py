"""Comparators, judge and score processor (pure numpy)."""
