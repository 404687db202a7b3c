"""What the game reads every frame (PoseInput), what feeds the pose pipeline (FrameSource)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from game.errors import UserError
from game.pose.frame import PoseFrame


class CaptureError(UserError):
    """A camera or video that cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class CapturedFrame:
    """One RGB image (H, W, 3) uint8 with its capture time in seconds: the wall clock's for
    a live source (camera, paced video), the video's own timestamp for an unpaced one."""

    image: np.ndarray
    time: float


class PoseInput(Protocol):
    """Live poses for the game, one list per person in capture order (the left of the image
    first); `game.session.screen_order` turns them into player slots."""

    players: int

    def poll(self, now: float) -> list[list[PoseFrame]]:
        """Per player, every new pose since the last poll, in capture order.

        `frame.time` is the capture time on the game's wall clock.
        """
        ...

    def latest_image(self) -> np.ndarray | None:
        """The newest camera/video RGB image (not mirrored), or None (no image source)."""
        ...

    def problem(self) -> str | None:
        """A one-line description of a failure (e.g. the camera stopped), else None."""
        ...

    @property
    def ended(self) -> bool:
        """True once a finite input (a video) has delivered its last pose."""
        ...

    def pause(self) -> None:
        """Hold a video's own clock while the song is paused (a live camera goes on)."""
        ...

    def resume(self) -> None: ...

    def close(self) -> None: ...


class PoseOnlyInput:
    """Defaults for inputs that make poses without a camera image (bot, recorded track)."""

    @property
    def ended(self) -> bool:
        return False

    def latest_image(self) -> np.ndarray | None:
        return None

    def problem(self) -> str | None:
        return None

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def close(self) -> None:
        pass


class FrameSource(Protocol):
    """Images for the pose pipeline.

    Live sources (webcam, paced video) hand out the newest image not yet seen (older
    ones are dropped); unpaced sources hand out every image in order.
    """

    name: str

    def next_frame(self, timeout: float) -> CapturedFrame | None:
        """The next image, or None if none arrived within `timeout` seconds."""
        ...

    @property
    def ended(self) -> bool:
        """True once a finite source has handed out its last image."""
        ...

    def problem(self) -> str | None: ...

    def pause(self) -> None:
        """Hold a paced video while the song is paused (a live camera goes on)."""
        ...

    def resume(self) -> None: ...

    def close(self) -> None: ...
