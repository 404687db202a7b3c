"""Import options the fuzz test (tests/fuzz_odd_kinds.py) found going past the checks: each is
now one line naming the option, before any audio is decoded or any dancer tracked; and the
command line's own errors (a word for a number, two options that clash) are one line too."""

from __future__ import annotations

from pathlib import Path

import pytest
from synthetic import silent_video

from game.cli import main

FOUND = {
    "title with a tab": (["--title", "tab\there"], "--title 'tab\\there': must be printable"),
    "title empty": (["--title", " "], "--title ' ': must not be empty"),
    "title too long": (["--title", "x" * 201], "must be at most 200 characters"),
    "artist with a control": (["--artist", "a\x1cb"], "--artist 'a\\x1cb': must be printable"),
    "offset past the song": (["--bpm", "120", "--offset", "5"], "--offset 5: the first beat"),
    "start late, end past it": (["--start", "1.5", "--end", "9"], "only 2.00 s long"),
    "dancer 0": (["--dancer", "0"], "--dancer 0: dancers are numbered 1 to 99"),
    "out is a file": (["--force", "--out", "{tmp}/a-file"], "exists and is not a level folder"),
    "sheet in no folder": (["--dancers", "--sheet", "{tmp}/no/x.png"], "does not exist"),
    "sheet is a folder": (["--dancers", "--sheet", "{tmp}"], "is a folder"),
    "a word for a number": (["--end", "abc"], "import: argument --end: invalid float value"),
    "options that clash": (["--dancers", "--dancer", "2"], "not allowed with argument"),
    "a number that is --": (["--start=--"], "argument --start: expected a value, not '--'"),
    "a title that is --": (["--title=--"], "argument --title: expected a value, not '--'"),
}  # fmt: skip


class WorkStarted(Exception):
    pass


@pytest.mark.parametrize(("extra", "says"), FOUND.values(), ids=FOUND.keys())
def test_bad_options_are_one_line_before_any_work(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    extra: list[str],
    says: str,
) -> None:
    import game.authoring.importer as importer
    import game.commands.import_group as import_group

    def work(*args: object, **kwargs: object) -> None:
        raise WorkStarted

    monkeypatch.setattr(importer, "decode_audio", work)
    monkeypatch.setattr(import_group, "track_dancers", work)
    video = silent_video(tmp_path / "clip.mp4")
    (tmp_path / "a-file").write_text("not a level")
    extra = [arg.replace("{tmp}", str(tmp_path)) for arg in extra]
    assert exit_code(["import", str(video), "--quiet", *extra]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("cover-dance: ") and says in line, line


def exit_code(argv: list[str]) -> int | str | None:
    """What `cover-dance ARGV` exits with (argparse exits by SystemExit)."""
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code
