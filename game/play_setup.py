"""What the player chose to dance: the level, difficulty, mirror, players and (on a group
level) each player's member; and the judges that follow from it. Pure: no pygame."""

from __future__ import annotations

from dataclasses import dataclass

from game.level.model import Level
from game.scoring.judge import Judge
from game.scoring.rules import DEFAULT_DIFFICULTY, DIFFICULTIES


@dataclass(frozen=True)
class PlaySetup:
    """What the player chose in level select (and, for a group level, the member pick)."""

    level: Level
    difficulty: str = DEFAULT_DIFFICULTY
    mirror: bool = True  # the coach is shown mirrored; the player dances the original moves
    players: int = 1
    parts: tuple[int, ...] = ()
    """A group level: the member (0-based) each player dances, P1 first; empty: the level's
    own part (member 1) for everyone."""

    def level_for(self, player: int) -> Level:
        """The level with `player`'s part as its pose."""
        if not self.parts:
            return self.level
        return self.level.with_member(self.parts[player])

    def part_name(self, player: int) -> str | None:
        """The name of the member `player` dances, for a group level."""
        level = self.level_for(player)
        return level.members[level.member].name if level.members else None

    @property
    def player_mirrored(self) -> bool:
        """The player dances the mirror image of the level's moves: the coach is shown as
        filmed, and a player facing it copies it like a mirror (the one left/right rule of
        judging, coaching words and the demo's bots)."""
        return not self.mirror

    @property
    def duet(self) -> bool:
        """Players dancing different members' parts."""
        return len(set(self.parts[: self.players])) > 1

    def judge(self, player: int = 0) -> Judge:
        level = self.level_for(player)
        return Judge(
            level.pose,
            level.grid,
            level.angle_specs,
            level.tolerances,
            DIFFICULTIES[self.difficulty],
            mirror=self.player_mirrored,
        )

    def judges(self) -> list[Judge]:
        """One judge per player, each against their own part."""
        return [self.judge(player) for player in range(self.players)]
