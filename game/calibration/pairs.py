"""The real clips of ../shared/realdata as cover pairs, each placed as the game would.

- true pairs: two different people (or takes) dancing one routine; the cover is placed
  where `cover-dance score` puts it at normal (the shared music's offset, or the movement's;
  mirrored when that scores higher; mruchus take B is danced slower and gets a tempo warp);
- group members: two dancers of one group clip dancing in unison, each tracked by the group
  tracker (`import --dancers`, cached): one music, no offset, as filmed;
- copies: a clip against its own re-encoded copy (must judge near perfect);
- unrelated pairs: a dance against a different routine, started with the song, as a player
  doing the wrong dance would; it is judged mirrored or not, whichever suits it better.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import permutations
from pathlib import Path

from game.audio.beats import ENVELOPE_RATE
from game.cover.align import Aligner, audio_offset
from game.cover.inputs import Reference, Subject, load_cover, load_reference
from game.pose.frame import PoseTrack
from game.scoring.alignment import retime
from game.scoring.judge import Judge

ROUTINES: dict[str, tuple[str, ...]] = {
    "renegade": ("renegade_a", "renegade_b", "renegade_d"),
    "funfun": ("funfun_reference", "funfun_user"),
    "mruchus": ("mruchus_nat2", "mruchus_nat3"),
    "justidol easy": ("justidol_easy",),
    "justidol hard": ("justidol_hard",),
    "group3 studio": ("group3_studio",),
    "group3 office": ("group3_office",),
    "group2 wall": ("group2_wall",),
}
GROUP_CLIPS: tuple[str, ...] = ("group3_studio", "group3_office", "group2_wall")
COPIES: tuple[tuple[str, str], ...] = (("renegade_a", "renegade_c"), ("renegade_c", "renegade_a"))
# Not known to be different routines (three dancers each, and they match closely): left out.
UNSURE: frozenset[frozenset[str]] = frozenset({frozenset({"group3 studio", "group3 office"})})

Stage = Callable[[str, float], None]


@dataclass(frozen=True)
class Pair:
    reference: Reference
    cover: PoseTrack  # in reference time, mirrored when that fits better
    kind: str  # "true", "members" (of one group clip), "copy" or "unrelated"
    placed: str  # how the cover was placed

    @property
    def name(self) -> str:
        return f"{self.reference_name or self.reference.path.stem} <- {self.cover_name}"

    cover_name: str = ""
    reference_name: str = ""  # when the reference is not the clip's main dancer


def pair_names() -> list[tuple[str, str, str]]:
    """(reference clip, cover clip, kind) of every pair of the study."""
    pairs = [(a, b, "true") for clips in ROUTINES.values() for a, b in permutations(clips, 2)]
    pairs += [(a, b, "copy") for a, b in COPIES]
    firsts = {routine: clips[0] for routine, clips in ROUTINES.items()}
    for x, y in permutations(firsts, 2):
        if frozenset({x, y}) not in UNSURE:
            pairs.append((firsts[x], firsts[y], "unrelated"))
    return pairs


class ClipStore:
    """Loads each clip once (poses come from the pose cache)."""

    def __init__(self, folder: Path, stage: Stage | None = None) -> None:
        self.folder = folder
        self.stage = stage
        self._references: dict[str, Reference] = {}
        self._covers: dict[str, Subject] = {}

    def reference(self, name: str) -> Reference:
        if name not in self._references:
            self._references[name] = load_reference(self.folder / f"{name}.mp4", self.stage)
        return self._references[name]

    def cover(self, name: str) -> Subject:
        if name not in self._covers:
            self._covers[name] = load_cover(self.folder / f"{name}.mp4", self.stage)
        return self._covers[name]


def place(reference: Reference, cover: Subject, kind: str) -> tuple[PoseTrack, str]:
    """The cover's track in reference time, placed as the module docstring says."""
    judges = {
        m: Judge(reference.track, reference.grid, reference.specs, reference.tolerances, mirror=m)
        for m in (False, True)
    }
    if kind == "unrelated":
        scores = {m: sum(e.similarity for e in judges[m].judge_track(cover.track)) for m in judges}
        mirrored = scores[True] > scores[False]
        track = cover.track.mirrored() if mirrored else cover.track
        return track, "with the song" + (", mirrored" if mirrored else "")
    audio = audio_offset(reference.envelope, cover.envelope, ENVELOPE_RATE)
    alignment = Aligner(reference.track, judges).best(cover.track, audio)
    track = retime(cover.track, alignment.warp)
    how = f"{alignment.method} {alignment.offset_s:+.2f} s"
    if abs(alignment.tempo - 1.0) > 0.02:
        how += f", tempo {alignment.tempo:.2f}x"
    if alignment.mirrored:
        track, how = track.mirrored(), how + ", mirrored"
    return track, how


def load_pairs(folder: Path, stage: Stage | None = None, groups: bool = True) -> list[Pair]:
    """Every pair of the study, from the clips in `folder` (with the group clips' members
    against each other unless `groups` is False: tracking them takes minutes, once)."""
    store = ClipStore(folder, stage)
    pairs = []
    names = pair_names()
    for i, (a, b, kind) in enumerate(names):
        if stage:
            stage(f"placing {a} <- {b}", i / len(names))
        reference = store.reference(a)
        track, how = place(reference, store.cover(b), kind)
        pairs.append(Pair(reference, track, kind, how, cover_name=b))
    if groups:
        pairs += [p for clip in GROUP_CLIPS for p in member_pairs(store, clip)]
    return pairs


def member_pairs(store: ClipStore, clip: str) -> list[Pair]:
    """Each dancer of a group clip against each other one: true pairs on one music."""
    from game.capture.cache import cached_group_tracks
    from game.capture.request import TrackRequest

    def progress(fraction: float) -> None:
        if store.stage:
            store.stage(f"tracking the dancers of {clip}", fraction)

    request = TrackRequest.of(store.folder / f"{clip}.mp4")
    group, _ = cached_group_tracks(request, on_progress=progress)
    reference = store.reference(clip)
    return [
        Pair(
            replace(reference, track=group.track(a)),
            group.track(b),
            "members",
            "same clip, as filmed",
            cover_name=f"dancer {b}",
            reference_name=f"{clip} dancer {a}",
        )
        for a, b in permutations(range(1, group.count + 1), 2)
    ]
