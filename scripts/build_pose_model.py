"""Build game/pose/models/blazepose_full.task, the pose model the game ships (run once).

The BlazePose models (Apache-2.0, Google) came inside the mediapipe wheels up to 0.10.21;
later releases ship no model and only the Tasks API, which loads a `.task` bundle: a zip of
`pose_detector.tflite` and `pose_landmarks_detector.tflite`, each with TFLite metadata that
says how its image input is normalised (mean 127.5 / std 127.5 for the detector, 0 / 255 for
the landmark model). This script adds that metadata and zips the two, byte for byte the same
on every run (fixed zip timestamps).

Run it where mediapipe 0.10.21 is installed (CPython 3.9-3.12), for example:

    python3.12 -m venv /tmp/mp && /tmp/mp/bin/pip install mediapipe==0.10.21
    /tmp/mp/bin/python scripts/build_pose_model.py
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "game" / "pose" / "models" / "blazepose_full.task"
# bundle member: (file under mediapipe/modules, input mean, input std, output tensors)
PARTS = {
    "pose_detector.tflite": ("pose_detection/pose_detection.tflite", 127.5, 127.5, 2),
    "pose_landmarks_detector.tflite": ("pose_landmark/pose_landmark_full.tflite", 0.0, 255.0, 5),
}
EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed zip timestamps: the same bytes on every run


def with_metadata(model: bytes, mean: float, std: float, outputs: int) -> bytes:
    """The TFLite model with metadata for a normalised image input and its outputs."""
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_image_input([mean], [std])
    for i in range(outputs):
        writer.add_feature_output(name=f"output_{i}")
    return bytes(writer.populate()[0])


def build(modules: Path, out: Path) -> str:
    """Write the bundle to `out`; its SHA-256."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as bundle:
        for name, (source, mean, std, outputs) in PARTS.items():
            model = (modules / source).read_bytes()
            bundle.writestr(zipfile.ZipInfo(name, EPOCH), with_metadata(model, mean, std, outputs))
    partial.replace(out)
    return hashlib.sha256(out.read_bytes()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=Path, help="mediapipe/modules of mediapipe 0.10.21")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    modules = args.modules
    if modules is None:
        import mediapipe

        modules = Path(mediapipe.__file__).parent / "modules"
    if not (modules / PARTS["pose_detector.tflite"][0]).is_file():
        print(f"no BlazePose models under {modules}: install mediapipe==0.10.21", file=sys.stderr)
        return 2
    digest = build(modules, args.out)
    print(f"{args.out}: {args.out.stat().st_size} bytes, sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
