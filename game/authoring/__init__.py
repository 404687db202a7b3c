"""Authoring tools that make levels: the video importer (`cover-dance import`, with the span
cutter `clip.py`) and the bundled demo songs (synthesizer, moves, choreography).

The running game never imports this package; `cover-dance import` and `build-levels` do.
"""
