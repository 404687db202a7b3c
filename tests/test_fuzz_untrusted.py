"""Random mutations of a bundled level (level.toml text, pose.npz bytes, arrays and .npy
headers) and of settings and progress files never raise anything but the loader's own
error, within a time and a memory bound; nor do `import` option values (refused in one
line before any work unless valid), `play --record` targets (a pipe, a device, a folder, a
missing folder: one line; an existing take untouched until a new one replaces it) and save
files of odd kinds (a pipe, a device, a folder, a BOM, empty, huge, random bytes). The
fuzzer (tests/fuzz_untrusted.py) runs in a subprocess whose address space is capped, so a
runaway allocation cannot hurt the machine, and stops any case that hangs.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FUZZER = Path(__file__).resolve().parent / "fuzz_untrusted.py"
EXAMPLES = 150  # mutations per target: 600 in all, about 5 s on a quiet machine
ODD_EXAMPLES = 100  # cases per odd-kind target (the 22 recording cases are all run)
TARGETS = ("level.toml", "pose.npz", "settings.json", "progress.json")
ODD_TARGETS = {"import options": ODD_EXAMPLES, "record target": 22, "odd save file": ODD_EXAMPLES}


def test_random_mutations_only_ever_give_the_loaders_own_errors(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(FUZZER), "--examples", str(EXAMPLES), "--odd-examples",
         str(ODD_EXAMPLES), "--memory-mb", "1024"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, (result.stdout[-4000:], result.stderr[-4000:])
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(json.dumps(report, indent=1))  # shown with -s: what ran and how it ended
    assert report["failures"] == {}
    assert all(report["mutations"][target] >= EXAMPLES for target in TARGETS)
    assert all(report["mutations"][target] >= n for target, n in ODD_TARGETS.items())
    outcomes = report["outcomes"]
    for loadable in ("level.toml: loaded", "level.toml: refused", "pose.npz: loaded",
                     "pose.npz: refused", "settings.json: kept", "settings.json: set aside",
                     "progress.json: kept", "progress.json: set aside",
                     "import options: refused", "import options: accepted",
                     "record target: existing: untouched", "record target: existing: replaced",
                     "record target: fifo: refused", "record target: device link: refused",
                     "odd save file: settings.json: left alone",
                     "odd save file: settings.json: read",
                     "odd save file: progress.json: left alone",
                     "odd save file: progress.json: set aside"):  # fmt: skip
        assert outcomes.get(loadable, 0) > 0, f"no mutation ended as {loadable}: {outcomes}"
    assert report["seconds"] < 150  # a hang bound; each mutation must also finish in 3 s
    assert report["memory_cap_mb"] is not None
    assert report["peak_rss_mb"] - report["rss_before_mb"] < 600
