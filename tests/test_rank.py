"""`cover-dance rank`: an audition of the real clips. The funfun reference against its real
cover (twice: the file and a link to it in another folder, a tie), a wrong dance, a file of
random bytes and a video with nobody in it. Clips are tracked at score's 15 fps, so the
session pose cache (filled by test_cover_score) serves them."""

from __future__ import annotations

import csv
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest
from synthetic import silent_video

from game.cli import main
from game.cover.leaderboard import leaderboard
from game.cover.rank_task import CoverRow, RankSettings, score_row

pytestmark = [pytest.mark.realdata, pytest.mark.mediapipe]

ROW_KEYS = {"rank", "cover", "score", "grade", "accuracy", "offset_s", "mirrored", "error"}


@pytest.fixture(scope="module")
def audition(pose_cache: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One local rank with two workers and every output; its paths and its JSON."""
    from conftest import REALDATA

    if not (REALDATA / "funfun_reference.mp4").is_file():
        pytest.skip(f"real dance clips not found in {REALDATA}")
    folder = tmp_path_factory.mktemp("audition")
    (folder / "copy").mkdir()
    (folder / "copy" / "funfun_user.mp4").symlink_to(REALDATA / "funfun_user.mp4")
    (folder / "broken.mp4").write_bytes(np.random.default_rng(1).bytes(40_000))
    silent_video(folder / "nobody.mp4")
    real = [REALDATA / "funfun_user.mp4", folder / "copy" / "funfun_user.mp4"]
    covers = [*real, REALDATA / "justidol_easy.mp4", folder / "broken.mp4", folder / "nobody.mp4"]
    out = {"json": folder / "board.json", "csv": folder / "board.csv", "page": folder / "page.html"}
    argv = ["rank", str(REALDATA / "funfun_reference.mp4"), *map(str, covers), "--workers", "2",
            "--json", str(out["json"]), "--csv", str(out["csv"]), "--report", str(out["page"]),
            "--quiet"]  # fmt: skip
    assert main(argv) == 0
    return {**out, "covers": covers, "reference": REALDATA / "funfun_reference.mp4",
            "data": json.loads(out["json"].read_text()), "folder": folder}  # fmt: skip


def test_real_covers_rank_above_a_wrong_dance_and_bad_files_get_a_reason(audition: dict) -> None:
    rows = audition["data"]["rows"]
    user, copy, wrong, broken, nobody = map(str, audition["covers"])
    assert audition["data"]["reference"] == str(audition["reference"])
    assert all(set(r) >= ROW_KEYS for r in rows)
    assert [r["cover"] for r in rows] == [*sorted([user, copy]), wrong, broken, nobody]
    assert [r["rank"] for r in rows] == [1, 2, 3, None, None]
    assert rows[0]["score"] == rows[1]["score"] > rows[2]["score"]  # the tie: by path
    assert rows[2]["grade"] == "D" and rows[0]["error"] is None
    for row, why in ((rows[3], "not a video file"), (rows[4], "no dancer found")):
        assert row["score"] is None and row["grade"] is None
        assert why in row["error"] and "\n" not in row["error"]
        assert row["error"].startswith(row["cover"])


def test_a_rank_row_equals_what_score_says_of_that_cover(audition: dict, tmp_path: Path) -> None:
    out = tmp_path / "score.json"
    cover = audition["covers"][0]
    assert main(["score", str(audition["reference"]), str(cover), "--json", str(out),
                 "--quiet"]) == 0  # fmt: skip
    alone = json.loads(out.read_text())
    row = next(r for r in audition["data"]["rows"] if r["cover"] == str(cover))
    for key in ("score", "grade", "accuracy", "offset_s", "mirrored"):
        assert row[key] == alone[key], key


def test_the_csv_and_the_page_hold_the_same_leaderboard(audition: dict) -> None:
    with audition["csv"].open(newline="") as handle:
        table = list(csv.DictReader(handle))
    rows = audition["data"]["rows"]
    assert [t["cover"] for t in table] == [r["cover"] for r in rows]
    assert [t["rank"] for t in table] == ["1", "2", "3", "", ""]
    page = audition["page"].read_text()
    assert page.count('src="data:image/jpeg;base64,') == 3 and "http" not in page
    for position in (1, 2, 3):
        report = audition["folder"] / "page_files" / f"cover-{position}.html"
        assert f'href="page_files/cover-{position}.html"' in page
        assert "Cover score" in report.read_text()
    assert not (audition["folder"] / "page_files" / "cover-4.html").exists()
    assert "not a video file" in page and "no dancer found" in page


def test_a_rerun_with_one_new_cover_tracks_only_that_one(audition: dict, tmp_path: Path) -> None:
    """Pose tracks are cached by content: the covers of the first run are read back (their
    cache entries are not rewritten); the new cover is tracked and cached."""
    poses = Path(os.environ["COVER_DANCE_CACHE"]) / "poses"
    before = {p.name: p.stat().st_mtime_ns for p in poses.glob("*.npz")}
    known = [n for n in before if n.startswith(("funfun_user-", "nobody-"))]
    assert len(known) >= 2
    newcomer = silent_video(tmp_path / "newcomer.mp4")
    covers = [audition["covers"][0], audition["covers"][4], newcomer]
    argv = ["rank", str(audition["reference"]), *map(str, covers), "--workers", "1", "--quiet"]
    assert main(argv) == 0
    after = {p.name: p.stat().st_mtime_ns for p in poses.glob("*.npz")}
    assert {n: after[n] for n in known} == {n: before[n] for n in known}
    assert len([n for n in after.keys() - before.keys() if n.startswith("newcomer-")]) == 1


def test_a_cover_past_its_time_limit_gets_a_row_saying_so(audition: dict) -> None:
    from game.cover.inputs import load_reference

    reference = load_reference(audition["reference"])
    cover = str(audition["covers"][0])
    row = score_row(reference, cover, RankSettings(timeout_s=0.01))
    assert row.score is None and row.error == f"{cover}: timed out after 0.01 s"
    assert score_row(reference, cover, RankSettings()).score == audition["data"]["rows"][0]["score"]


def test_ray_tasks_give_the_rows_the_local_processes_give(audition: dict, tmp_path: Path) -> None:
    """One local Ray instance of two CPUs (slow to start: one test)."""
    ray = pytest.importorskip("ray", reason='Ray is not installed (pip install -e ".[cluster]")')
    covers = [str(audition["covers"][i]) for i in (0, 2, 3)]  # a cover, a wrong dance, junk
    out = tmp_path / "ray.json"
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        argv = ["rank", str(audition["reference"]), *covers, "--engine", "ray",
                "--json", str(out), "--quiet"]  # fmt: skip
        assert main(argv) == 0
    finally:
        ray.shutdown()
    rows = json.loads(out.read_text())["rows"]
    assert [r.pop("rank") for r in rows] == [1, 2, None]
    local = [r for r in audition["data"]["rows"] if r["cover"] in covers]
    assert rows == [{k: v for k, v in r.items() if k != "rank"} for r in local]


def test_failed_covers_rank_last_and_ties_go_by_path() -> None:
    rows = [CoverRow("b.mp4", score=50.0), CoverRow("z.mp4", error="z.mp4: broken"),
            CoverRow("a.mp4", score=50.0), CoverRow("c.mp4", score=70.0),
            CoverRow("m.mp4", error="m.mp4: no dancer found")]  # fmt: skip
    board = leaderboard(rows)
    assert [(p.rank, p.row.cover) for p in board] == [
        (1, "c.mp4"), (2, "a.mp4"), (3, "b.mp4"), (None, "m.mp4"), (None, "z.mp4"),
    ]  # fmt: skip


def test_the_printed_board_and_the_page_say_what_each_column_means() -> None:
    from game.cover.leaderboard import COLUMNS_EXPLAINED, table_lines
    from game.cover.leaderboard_html import render_page

    board = leaderboard([CoverRow("a.mp4", 60.0, "B", 70.0, -0.5, False, "left_shin")])
    lines = table_lines(board)
    assert lines[-1] == COLUMNS_EXPLAINED and "accuracy:" in lines[-1] and "offset:" in lines[-1]
    assert "later than the reference" in render_page("ref.mp4", "normal", board, {})
    failed_only = table_lines(leaderboard([CoverRow("z.mp4", error="z.mp4: broken")]))
    assert COLUMNS_EXPLAINED not in failed_only  # nothing scored: nothing to explain


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["c.mp4", "--workers", "0"], "--workers 0: must be 1 or more"),
        (["c.mp4", "--timeout", "-1"], "--timeout -1.0: must be a positive number of seconds"),
        (["c.mp4", "--address", "h:1"], "--address: only with --engine ray"),
        ([], "no covers: give COVER files or --dir DIR"),
        (["--dir", "missing"], "--dir missing: not a folder"),
    ],
)
def test_bad_options_get_one_line_before_any_tracking(
    options: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["rank", str(tmp_path / "never-read.mp4"), *options]) == 2
    assert capsys.readouterr().err.strip() == f"cover-dance: {message}"


def test_without_ray_the_engine_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "ray", None)  # import ray fails
    assert main(["rank", str(tmp_path / "ref.mp4"), "c.mp4", "--engine", "ray"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == 'cover-dance: --engine ray: Ray is not installed; pip install -e ".[cluster]" ' \
        '(or: pip install "ray>=2.9")'  # fmt: skip


def test_dir_adds_its_videos_and_tracks_in_name_order_each_cover_once(tmp_path: Path) -> None:
    from game.commands.rank import cover_list

    for name in ("b.mp4", "a.MOV", "notes.txt", "c.npz"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "sub.mp4").mkdir()
    given = tmp_path / "b.mp4"
    assert cover_list([given], [tmp_path]) == [
        str(given),
        *(str(tmp_path / n) for n in ("a.MOV", "c.npz")),
    ]


def test_both_engines_take_a_task_as_stuck_by_one_rule() -> None:
    """Past its time limit and GRACE_S from its start (Ray, which sees only when a task was
    sent, allows for its worker's start-up too); neither engine keeps a rule of its own."""
    import game.cover.rank_local as local
    import game.cover.rank_ray as ray_engine
    from game.cover import rank_task
    from game.cover.rank_task import GRACE_S, stuck_after

    assert stuck_after(None) is None and stuck_after(0.0) is None
    assert stuck_after(5.0) == 5.0 + GRACE_S
    assert stuck_after(5.0, ray_engine.START_UP_S) == 5.0 + GRACE_S + ray_engine.START_UP_S
    for engine in (local, ray_engine):
        assert "GRACE_S" not in vars(engine)
        assert engine.POLL_S is rank_task.POLL_S and engine.OnRow is rank_task.OnRow


def test_a_stuck_cover_ends_its_worker_and_a_dying_one_is_tried_twice() -> None:
    """The local engine's pool (pebble): a task past its limit has its worker ended and gets
    a row saying it timed out; a cover whose worker dies is sent again once, then gets a row
    saying so; the covers after them are still scored, by fresh workers."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, wait

    from pebble import ProcessPool
    from rank_fakes import fake_score

    from game.cover.rank_local import DIED, _Audition

    covers = ["stuck.mp4", "crash.mp4", "fine.mp4"]
    rows: list[CoverRow] = []
    pool = ProcessPool(max_workers=1, context=multiprocessing.get_context("spawn"))
    audition = _Audition(pool, covers, RankSettings(timeout_s=0.5), rows.append)
    audition.limit, audition.score = 3.0, fake_score  # not GRACE_S: a quick test
    audition.reference = "reference"  # type: ignore[assignment]
    started = time.monotonic()
    try:
        audition.score_waiting()
        while audition.tasks:
            done, _ = wait(audition.tasks, timeout=1.0, return_when=FIRST_COMPLETED)
            for future in done:
                audition.finished(future)
    finally:
        pool.stop()
        pool.join()
    assert time.monotonic() - started < 60
    assert {r.cover: r.error for r in rows} == {
        "stuck.mp4": "stuck.mp4: timed out after 0.5 s",
        "crash.mp4": f"crash.mp4: {DIED}",
        "fine.mp4": None,
    }
    assert next(r for r in rows if r.cover == "fine.mp4").score == 50.0
