"""The camera's pose model is installed by a pinned, integrity-checked step: one exact
version of `@mediapipe/pose` from the npm registry, its tarball checked against the sha512
pinned in code before anything of it is used; only the files the browser loads are unpacked,
the stamp last; a failed install leaves the app running without the camera."""

from __future__ import annotations

import io
import tarfile

import pytest

from kneecoach.web import pose_assets

pytestmark = pytest.mark.own_dates


def tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


EVERY_FILE = {name: name.encode() * 3 for name in pose_assets.FILES}


def test_the_integrity_is_npms_base64_sha512():
    assert pose_assets.integrity(b"") == (
        "z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=="
    )
    assert pose_assets.SHA512.endswith("==") and len(pose_assets.SHA512) == 88


def test_a_tarball_that_is_not_the_pinned_one_is_refused_and_nothing_is_unpacked(tmp_path):
    folder = tmp_path / "pose"
    with pytest.raises(pose_assets.AssetsRefused, match="sha512 is not the pinned one"):
        pose_assets.unpack(tarball(EVERY_FILE), folder)
    assert not folder.exists() and not pose_assets.available(folder)


def test_the_pinned_tarball_is_unpacked_with_only_the_listed_files_and_the_stamp_last(tmp_path):
    folder = tmp_path / "pose"
    data = tarball(EVERY_FILE | {"pose_landmark_heavy.tflite": b"too big for a phone"})
    pose_assets.unpack(data, folder, expected=pose_assets.integrity(data))
    assert pose_assets.available(folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*pose_assets.FILES, pose_assets.STAMP]
    )
    assert (folder / "pose.js").read_bytes() == b"pose.js" * 3
    assert pose_assets.missing_reason(folder) is None


def test_a_tarball_without_a_file_the_browser_needs_is_refused(tmp_path):
    lacking = {k: v for k, v in EVERY_FILE.items() if k != "pose_landmark_lite.tflite"}
    data = tarball(lacking)
    with pytest.raises(pose_assets.AssetsRefused, match=r"lacks pose_landmark_lite\.tflite"):
        pose_assets.unpack(data, tmp_path / "pose", expected=pose_assets.integrity(data))
    assert not pose_assets.available(tmp_path / "pose")


def test_a_folder_of_another_version_is_not_taken_as_installed(tmp_path):
    folder = tmp_path / "pose"
    data = tarball(EVERY_FILE)
    pose_assets.unpack(data, folder, expected=pose_assets.integrity(data))
    (folder / pose_assets.STAMP).write_text("0.4.0\n")
    assert not pose_assets.available(folder)
    reason = pose_assets.missing_reason(folder) or ""
    assert "The camera cannot be used here yet" in reason
    # a page names no terminal command or tool
    assert "make " not in reason and "`" not in reason and "npm" not in reason


def test_a_failed_install_is_said_and_leaves_the_app_without_the_camera(monkeypatch, capsys):
    monkeypatch.setattr(pose_assets, "available", lambda folder=None: False)

    def no_npm(folder=None, npm="npm"):
        raise FileNotFoundError("npm")

    monkeypatch.setattr(pose_assets, "fetch", no_npm)
    assert pose_assets.main() == 1
    assert "pose model was not installed" in capsys.readouterr().err


def test_the_browser_loads_only_files_the_install_keeps():
    assert set(pose_assets.MODELS.values()) <= set(pose_assets.FILES)
    assert "pose.js" in pose_assets.FILES
    assert not any("heavy" in name for name in pose_assets.FILES)
