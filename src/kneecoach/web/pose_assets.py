"""The pose model the camera pages run in the browser: MediaPipe's pose solution
(``@mediapipe/pose``, Apache-2.0), its WebAssembly and its lite and full landmark models,
served by the app from ``static/pose/`` so that nothing is fetched from anywhere else when a
runner uses the camera (and the service worker keeps them for offline).

The files are not in the repository: ``make run`` and ``make test`` fetch them once, with
``python -m kneecoach.web.pose_assets``, from the npm registry with npm's own client
(``npm pack`` of one exact version), check the tarball against the sha512 pinned here
before anything of it is used, and unpack only the files listed here into the git-ignored
folder. When they are missing (no npm, no network at install) the app runs as before and
the camera pages say why the camera is not offered.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@mediapipe/pose"
VERSION = "0.5.1675469404"
SHA512 = "DFZsNWTsSphRIZppnUCuunzBiHP2FdJXR9ehc7mMi4KG+oPaOH0Em3d6kr7Py+TSyTXC1doH88KcF28k2sBxsQ=="
"""The registry's integrity value for that version's tarball (base64 of its sha512)."""
LICENCE = "Apache-2.0"
FILES = (
    "pose.js",
    "pose_web.binarypb",
    "pose_solution_packed_assets_loader.js",
    "pose_solution_packed_assets.data",
    "pose_solution_simd_wasm_bin.js",
    "pose_solution_simd_wasm_bin.wasm",
    "pose_solution_simd_wasm_bin.data",
    "pose_solution_wasm_bin.js",
    "pose_solution_wasm_bin.wasm",
    "pose_landmark_lite.tflite",
    "pose_landmark_full.tflite",
)
"""What the browser loads (the heavy model is left out: too slow for a phone)."""
MODELS = {"lite": "pose_landmark_lite.tflite", "full": "pose_landmark_full.tflite"}
FOLDER = Path(__file__).parent / "static" / "pose"
STAMP = "VERSION"
"""Written last, holding the version: the folder is complete only when it is there."""


class AssetsRefused(Exception):
    """The fetched tarball is not the pinned one, or lacks a file the browser needs."""


def available(folder: Path | None = None) -> bool:
    """Whether the pinned version's files are all in ``folder`` (the served one)."""
    folder = folder or FOLDER
    stamp = folder / STAMP
    return (
        stamp.is_file()
        and stamp.read_text().strip() == VERSION
        and all((folder / name).is_file() for name in FILES)
    )


def missing_reason(folder: Path | None = None) -> str | None:
    """Why the camera is not offered, in words for the page; None when it can be."""
    if available(folder):
        return None
    return (
        "The camera cannot be used here yet: this kneecoach does not have the pose model "
        "that reads your movement. Whoever set this kneecoach up can add it."
    )


def integrity(data: bytes) -> str:
    """The npm integrity value of ``data``: base64 of its sha512."""
    return base64.b64encode(hashlib.sha512(data).digest()).decode()


def unpack(tarball: bytes, folder: Path | None = None, expected: str = SHA512) -> None:
    """Check ``tarball`` against the pinned sha512, then unpack the listed files into
    ``folder`` (replacing what was there) and write the stamp last."""
    folder = folder or FOLDER
    if integrity(tarball) != expected:
        raise AssetsRefused(f"{PACKAGE}@{VERSION}: the tarball's sha512 is not the pinned one")
    found: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            name = member.name.removeprefix("package/")
            if member.isfile() and name in FILES:
                read = archive.extractfile(member)
                if read is not None:
                    found[name] = read.read()
    lacking = sorted(set(FILES) - set(found))
    if lacking:
        raise AssetsRefused(f"{PACKAGE}@{VERSION} lacks {', '.join(lacking)}")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, data in found.items():
        (folder / name).write_bytes(data)
    (folder / STAMP).write_text(VERSION + "\n")


def fetch(folder: Path | None = None, npm: str = "npm") -> None:
    """Fetch the pinned tarball with ``npm pack`` and unpack it (see :func:`unpack`)."""
    with tempfile.TemporaryDirectory() as where:
        subprocess.run(
            [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", where, "--silent"],
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=600,
        )
        tarballs = list(Path(where).glob("*.tgz"))
        if len(tarballs) != 1:
            raise AssetsRefused(f"npm pack gave {len(tarballs)} tarballs, not one")
        unpack(tarballs[0].read_bytes(), folder)


def main() -> int:
    """Install the pose model if it is missing; a failure is said, never fatal: the app
    then runs without the camera."""
    if available():
        return 0
    print(f"Installing the camera's pose model ({PACKAGE}@{VERSION}, {LICENCE}) ...")
    try:
        fetch()
    except (OSError, subprocess.SubprocessError, AssetsRefused) as error:
        print(f"kneecoach: the camera's pose model was not installed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
