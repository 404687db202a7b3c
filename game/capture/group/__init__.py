"""Several dancers in one video: find each, keep who is who, and follow one of them.

The pure parts (boxes, assignment, appearance, the tracker's bookkeeping, the result) use
numpy and scipy only; `runner` drives the MediaPipe models over a video.
"""
