"""Authoring tools that build levels (bundled demo songs: synthesizer, moves, choreography).

The running game never imports this package; `cover-dance build-levels` does.
"""
