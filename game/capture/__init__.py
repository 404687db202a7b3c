"""Frame sources (webcam, video file, recorded track, bot) and the pose pipeline.

The game reads a `PoseInput` (see `game.capture.base`): `open_webcam_input`,
`open_video_input` (game.capture.open), `RecordedPoseInput` (game.capture.recorded) and
`BotPoseInput` (game.capture.bot) all implement it. `track_video` (game.capture.track)
turns a whole video into a PoseTrack; `game.capture.cache` keeps each video's tracks (a
single dancer's, or a group's) so it is tracked once.
"""
