"""The instant replay frames the player as the coach is framed, so a level filmed waist-up
does not show the coach large and the player tiny."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from synthetic import dancer_track

from game.pose.skeleton import INDEX
from game.render.viewport import dancer_box
from game.scenes.replay import take_box
from game.scoring.loop_pass import LoopPass
from game.timing.loop import LoopSpan


def test_a_stray_joint_guess_does_not_shrink_the_player_in_the_replay() -> None:
    track = dancer_track(duration=8.0)
    poses = [track.frame(i) for i in range(len(track))]
    knee = INDEX["left_knee"]
    stray = poses[40].landmarks.copy()
    stray[knee] = (stray[knee, 0], 6.0, 0.0)  # a knee guessed far below the frame, once
    poses[40] = replace(poses[40], landmarks=stray)
    take = LoopPass(1, LoopSpan(1, 2), 1.0, True, (), tuple(poses), 0.0, 8.0)
    box, coach = take_box(take), dancer_box(track)
    assert box is not None and coach is not None
    assert abs(box[3] - coach[3]) < 0.1 * coach[3]  # the same framing as the coach's
    assert take_box(replace(take, poses=())) is None
    assert np.isfinite(box).all()
