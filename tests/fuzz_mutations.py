"""Random mutations of real level files and save files, as hypothesis strategies, and
the functions that apply them (used by tests/fuzz_untrusted.py)."""

from __future__ import annotations

import contextlib
import io
import json
import math
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "levels" / "hello-sunshine"

# ------------------------------------------------------------------ values and text

TOML_KEYS = ["title", "artist", "credit", "audio", "bpm", "offset", "beats_per_window",
             "duration", "difficulty", "mirror", "angle_set", "video"]  # fmt: skip
JOINTS = ["left_elbow", "right_knee", "nose", "torso_lean", "left\\u0000", "x" * 300]
HOSTILE_PATHS = ['"/etc/passwd"', '"../../../../etc/passwd"', '"song.ogg/.."', '"."', '""',
                 '"C:\\\\Windows\\\\win.ini"', '"sub/../song.ogg"', '"level.toml"',
                 '"pose.npz"', '"/dev/zero"', '"link.ogg"', '"..\\\\..\\\\x"']  # fmt: skip
HOSTILE_NUMBERS = ["1e-300", "1e-320", "5e-324", "1e308", "-1e308", "-0.0", "nan", "inf",
                   "-inf", "0", "1e-9", "1" + "0" * 400, "9223372036854775807", "0.25",
                   "20", "400", "3600", "3600.0001"]  # fmt: skip


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


toml_values = st.one_of(
    st.floats().map(repr),  # nan, inf and -0.0 are TOML too
    st.sampled_from(HOSTILE_NUMBERS),
    st.integers(-(10**30), 10**30).map(str),
    st.text(max_size=40).map(toml_string),
    st.integers(0, 300_000).map(lambda n: toml_string("x" * n)),
    st.sampled_from(HOSTILE_PATHS),
    st.integers(1, 5000).map(lambda n: "[" * n + "]" * n),
    st.integers(1, 2000).map(lambda n: "{a=" * n + "1" + "}" * n),
    st.sampled_from(["true", "false", "[]", "{}", "[1, 2]", "{left_elbow = 1e400}",
                     "1979-05-27T07:32:00Z", '"easy"', '"extended"', '"directions"']),
)  # fmt: skip


def _set_key(text: str, key: str, value: str) -> str:
    line = re.compile(rf"^{key} = .*$", re.MULTILINE)
    return (
        line.sub(lambda _: f"{key} = {value}", text, count=1)
        if line.search(text)
        else (f"{key} = {value}\n{text}")
    )


toml_mutations = st.one_of(
    st.tuples(st.just("set"), st.sampled_from(TOML_KEYS), toml_values),
    st.tuples(st.just("tolerance"), st.sampled_from(JOINTS), toml_values),
    st.tuples(st.just("insert"), st.integers(0, 400), st.text(max_size=20)),
    st.tuples(st.just("delete"), st.integers(0, 400), st.integers(1, 80)),
    st.tuples(st.just("bytes"), st.integers(0, 400), st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("repeat"), st.integers(2, 300), st.just("")),
    st.tuples(st.just("link"), st.sampled_from(["song.ogg", "level.toml", "link.ogg"]),
              st.sampled_from(["/etc/passwd", "../../outside", "song.ogg", "/dev/zero"])),
)  # fmt: skip


def make_links(mutations: list[tuple[Any, Any, Any]], folder: Path) -> None:
    """Turn files of the level into symbolic links (outside, to a device, into a loop). Call
    it after every file is written: the fuzzer must never write through a link (one to
    /etc/passwd once overwrote it)."""
    for kind, name, target in mutations:
        if kind == "link":
            link = folder / name
            link.unlink(missing_ok=True)
            link.symlink_to(target)


def mutate_toml(text: str, mutations: list[tuple[Any, Any, Any]]) -> bytes:
    """The level.toml text with the mutations applied (links are made by `make_links`)."""
    data = text.encode()
    for kind, a, b in mutations:
        text = data.decode("utf-8", "surrogateescape")
        if kind == "set":
            text = _set_key(text, a, b)
        elif kind == "tolerance":
            text += (
                f'\n[tolerances]\n"{a}" = {b}\n'
                if "[tolerances]" not in text
                else (f'"{a}" = {b}\n')
            )
        elif kind == "insert":
            text = text[:a] + b + text[a:]
        elif kind == "delete":
            text = text[:a] + text[a + b :]
        elif kind == "repeat":  # past the 64 KB limit, but not without bound
            text = (text * a)[:200_000]
        data = text.encode("utf-8", "surrogateescape")
        if kind == "bytes":
            data = data[:a] + b + data[a + len(b) :]
    return data


# ------------------------------------------------------------------ pose archives

POSE = dict(np.load(BUNDLED / "pose.npz", allow_pickle=False))
POSE_BYTES = (BUNDLED / "pose.npz").read_bytes()
ARRAY_NAMES = ["times", "landmarks", "visibility", "aspect", "extra"]

array_mutations = st.one_of(
    st.tuples(st.just("scale"), st.sampled_from(ARRAY_NAMES),
              st.sampled_from([1e38, -1e38, 1e300, 0.0, -1.0, 1e-30, 1e6])),
    st.tuples(st.just("poke"), st.sampled_from(ARRAY_NAMES),
              st.sampled_from([math.nan, math.inf, -math.inf, 1e38, -5.0, 2.0])),
    st.tuples(st.just("slice"), st.sampled_from(ARRAY_NAMES), st.integers(0, 3000)),
    st.tuples(st.just("reshape"), st.sampled_from(ARRAY_NAMES),
              st.sampled_from([(-1,), (2, -1), (-1, 1), (1, -1, 1)])),
    st.tuples(st.just("dtype"), st.sampled_from(ARRAY_NAMES),
              st.sampled_from(["int8", "int64", "complex64", "U3", "bool", "float16", "O",
                               "V4", "datetime64[s]"])),
    st.tuples(st.just("drop"), st.sampled_from(ARRAY_NAMES), st.just(0)),
    st.tuples(st.just("replace"), st.sampled_from(ARRAY_NAMES),
              st.sampled_from([np.array([1.0, 2.0]), np.array("wide"), np.zeros((0,)),
                               np.array(np.inf), np.zeros((3, 0, 3)), np.array([[1.0]])])),
)  # fmt: skip


def mutate_arrays(mutations: list[tuple[str, str, Any]]) -> bytes:
    arrays = {k: v.copy() for k, v in POSE.items()}
    arrays["extra"] = np.arange(4.0)
    rng = np.random.default_rng(len(mutations))
    for kind, name, arg in mutations:
        array = arrays.get(name)
        if array is None and kind != "replace":
            continue
        # a step that does not apply to what earlier steps made (a string array) is skipped
        with np.errstate(all="ignore"), contextlib.suppress(ValueError, TypeError, RuntimeError):
            if kind == "scale":
                arrays[name] = array * arg
            elif kind == "poke" and array.size:
                flat = array.astype(np.float64).reshape(-1)
                flat[rng.integers(0, flat.size, 1 + flat.size // 1000)] = arg
                arrays[name] = flat.reshape(array.shape)
            elif kind == "slice":
                arrays[name] = array[:arg] if array.ndim else array
            elif kind == "reshape" and array.size:
                shape = arg if (array.size % 2 == 0 or 2 not in arg) else (-1,)
                arrays[name] = array.reshape(shape)
            elif kind == "dtype":
                arrays[name] = array.astype(arg)
            elif kind == "drop":
                del arrays[name]
            elif kind == "replace":
                arrays[name] = arg
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # may pickle an object array: the loader must refuse it
    return buffer.getvalue()


def rewrite_header(member: str, shape: tuple[int, ...], descr: str) -> bytes:
    """The bundled archive with one array's .npy header declaring another shape/dtype."""
    source = zipfile.ZipFile(BUNDLED / "pose.npz")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == f"{member}.npy":
                header = io.BytesIO()
                np.lib.format.write_array_header_1_0(
                    header, {"descr": descr, "fortran_order": False, "shape": shape}
                )
                start = data.index(b"\n", 10) + 1  # end of the original header
                data = header.getvalue() + data[start:]
            out.writestr(info.filename, data)
    return buffer.getvalue()


byte_mutations = st.lists(
    st.tuples(st.integers(0, len(POSE_BYTES) - 1), st.binary(min_size=1, max_size=8)),
    min_size=1, max_size=6,
)  # fmt: skip
header_mutations = st.tuples(
    st.sampled_from(["times", "landmarks", "visibility", "aspect"]),
    st.lists(st.integers(0, 10**12), max_size=4).map(tuple),
    st.sampled_from(["<f8", "<f4", ">f8", "|u1", "<c16", "|O", "<U8", "|V16", "|b1"]),
)
pose_mutations = st.one_of(
    st.tuples(st.just("arrays"), st.lists(array_mutations, min_size=1, max_size=3)),
    st.tuples(st.just("bytes"), byte_mutations),
    st.tuples(st.just("truncate"), st.integers(0, len(POSE_BYTES))),
    st.tuples(st.just("header"), header_mutations),
)


def pose_file(mutation: tuple[str, Any]) -> bytes:
    kind, arg = mutation
    if kind == "arrays":
        return mutate_arrays(arg)
    if kind == "truncate":
        return POSE_BYTES[:arg]
    if kind == "header":
        return rewrite_header(*arg)
    data = bytearray(POSE_BYTES)
    for at, chunk in arg:
        data[at : at + len(chunk)] = chunk
    return bytes(data)


# ------------------------------------------------------------------ save files

json_leaves = st.one_of(
    st.none(), st.booleans(), st.floats(), st.integers(-(10**25), 10**25),
    st.text(max_size=20), st.integers(0, 3_000_000).map(lambda n: "S" * n),
)  # fmt: skip
json_values = st.recursive(
    json_leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
TOKENS = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1" + "0" * 5000,
          '"\\u0000"', "[" * 100_000, "{" * 50_000, '"' + "x" * 2_000_000 + '"', "0.1",
          "null", "{}"]  # fmt: skip
SAVE_FIELDS = ["score", "grade", "accuracy", "players", "difficulty", "date", "version",
               "camera", "camera_width", "volume", "camera_latency_ms", "fullscreen"]  # fmt: skip
field_values = st.one_of(
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1" + "0" * 400,
                     "-1", "0", "1.5", '"' + "S" * 2_000_000 + '"', '"\\u0000"', "null",
                     "[]", "{}", "true", "99999999999", '"expert"', "1e-320"]),
    st.text(max_size=30).map(json.dumps), st.floats().map(json.dumps),
    st.integers().map(str),
)  # fmt: skip
save_mutations = st.one_of(
    st.tuples(st.just("field"), st.sampled_from(SAVE_FIELDS), field_values),
    st.tuples(st.just("value"), st.lists(st.integers(0, 6), max_size=5), json_values),
    st.tuples(st.just("token"), st.integers(0, 500), st.sampled_from(TOKENS)),
    st.tuples(st.just("delete"), st.integers(0, 500), st.integers(1, 50)),
    st.tuples(st.just("bytes"), st.integers(0, 500), st.binary(min_size=1, max_size=6)),
)


def base_progress() -> dict[str, Any]:
    play = {"score": 88.5, "grade": "B", "accuracy": 80.0, "difficulty": "easy",
            "players": 1, "date": "2025-01-01T10:00:00+00:00"}  # fmt: skip
    return {"version": 1, "levels": {"x": {"history": [play, dict(play, score=91.0)]}}}


def _replace_at(value: Any, path: list[int], new: Any) -> Any:
    if not path or not isinstance(value, dict | list) or not value:
        return new
    keys = list(value) if isinstance(value, dict) else list(range(len(value)))
    key = keys[path[0] % len(keys)]
    value[key] = _replace_at(value[key], path[1:], new)
    return value


def mutate_save(base: Any, mutation: tuple[str, Any, Any]) -> bytes:
    kind, a, b = mutation
    if kind == "value":
        return json.dumps(_replace_at(base, a, b)).encode()  # writes NaN and Infinity too
    data = json.dumps(base, indent=1).encode()
    if kind == "field":  # one field of a play or a setting, as raw JSON text
        field = re.compile(rf'"{a}": [^,}}\n]+'.encode())
        return field.sub(lambda _: f'"{a}": {b}'.encode(), data, count=1)
    if kind == "token":
        return data[:a] + b.encode() + data[a:]
    if kind == "delete":
        return data[:a] + data[a + b :]
    return data[:a] + b + data[a + len(b) :]
