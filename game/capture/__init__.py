"""Frame sources: webcam, video file, recorded track, bot."""
