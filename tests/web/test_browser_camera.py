"""The camera in Debian's chromium (issue 18), with a fake camera: the pose model the app
serves (static/pose/, installed by `make test`) finds a real person in a real photograph,
the player counts a split-squat set's reps and keeps the count, the knee-alignment test keeps
an FPPA, all with the network cut once the page has loaded, and no request carries image
data (every request's body is recorded and checked).

The fake camera shows `bus.jpg`, a street photograph of people standing and walking, which
the `ultralytics` package ships on PyPI (AGPL-3.0) in its wheel: fetched once by pip, the
wheel checked against its pinned sha256, the photograph taken out of it and written as an
MJPEG file that chromium plays as the camera. A still photograph cannot squat: the reps and
the squats are generated landmarks (kneecoach's own figures, tests/pose_sequences.py) fed
through the same entry point as the model's frames, `kneecoachCamera.frame`, while the model
is held (as a pause holds it).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from kneecoach import definitions
from kneecoach.web import pose_assets
from tests import pose_sequences as seq
from tests.web.live import FLAGS, launched_chromium
from tests.web.test_browser import _shot_path, _sign_up, server, untick

__all__ = ["server"]

pytestmark = pytest.mark.browser

ROOT = Path(__file__).parents[2]
MEDIA = ROOT / ".test-media"
WHEEL = (
    "ultralytics",
    "8.4.190",
    "bd309728efa168af64d39040136828edd2dbcb4aeceb4510bdff4f3ca0ea01b8",
)
PHOTO = "ultralytics/assets/bus.jpg"
CAMERA_FLAGS = [
    *(flag for flag in FLAGS if flag != "--disable-gpu"),
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
]
IMAGE_MARKS = (
    b"\xff\xd8\xff",
    b"\x89PNG",
    b"data:image",
    b"base64",
    b"RIFF",
    b"GIF8",
    b"\x1aE\xdf\xa3",
)
"""JPEG, PNG, a data address, base64, WebP/AVI, GIF and WebM/Matroska: none may be sent."""


def person_photo() -> Path:
    """The photograph of people from the ultralytics wheel (pinned, its sha256 checked)."""
    name, version, sha256 = WHEEL
    photo = MEDIA / "bus.jpg"
    if photo.exists():
        return photo
    MEDIA.mkdir(exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            f"{name}=={version}",
            "-d",
            str(MEDIA),
        ],
        check=True,
        timeout=300,
    )
    wheel = next(MEDIA.glob(f"{name}-{version}-*.whl"))
    if hashlib.sha256(wheel.read_bytes()).hexdigest() != sha256:
        raise AssertionError(f"{wheel.name} is not the pinned wheel")
    with zipfile.ZipFile(wheel) as archive:
        photo.write_bytes(archive.read(PHOTO))
    return photo


def fake_camera_file() -> Path:
    """The photograph as an MJPEG file (the same frame again and again)."""
    clip = MEDIA / "person.mjpeg"
    if not clip.exists():
        clip.write_bytes(person_photo().read_bytes() * 30)
    return clip


@pytest.fixture(scope="module")
def camera_chromium():
    if not pose_assets.available():
        pytest.fail("the pose model is not installed: 'make test' installs it (npm)")
    flags = [*CAMERA_FLAGS, f"--use-file-for-fake-video-capture={fake_camera_file()}"]
    with launched_chromium(flags) as browser:
        yield browser


@pytest.fixture
def page(camera_chromium):
    context = camera_chromium.new_context(
        viewport={"width": 390, "height": 844}, permissions=["camera"]
    )
    yield context.new_page()
    context.close()


@pytest.fixture
def bodies(page):
    """Every request the browser makes (the pages, the service worker): address and body."""
    seen: list[tuple[str, bytes]] = []
    page.context.on("request", lambda r: seen.append((r.url, r.post_data_buffer or b"")))
    return seen


def no_image_left(server, bodies):
    assert bodies, "no request was recorded"
    for url, body in bodies:
        assert url.startswith(server), url  # nothing goes anywhere but the app
        assert not any(mark in body for mark in IMAGE_MARKS), url
        assert len(body) < 20_000, url


def ready_for_offline(page):
    """The page in the service worker's hands, with the pose model kept for offline."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    page.wait_for_function("() => document.documentElement.dataset.pose === 'kept'", timeout=60_000)


def frames_at(recording, start: float) -> list[dict[str, object]]:
    """A generated recording's frames, in the page's time from ``start`` (seconds)."""
    return [
        {
            "at": start + f.at,
            "points": {name: list(point) for name, point in f.points.items()},
            "visibility": dict(f.visibility),
        }
        for f in recording.frames
    ]


def feed(page, frames) -> None:
    page.evaluate("(frames) => frames.forEach((f) => kneecoachCamera.frame(f))", frames)


def now(page) -> float:
    return page.evaluate("() => performance.now() / 1000")


def test_the_pose_model_finds_a_real_person_in_the_fake_camera_with_plausible_angles(server, page):
    from playwright.sync_api import expect

    _sign_up(server, page)
    page.goto(server + "/knee-alignment")
    page.evaluate("() => { window.seen = []; kneecoachCamera.listen((f) => window.seen.push(f)); }")
    page.get_by_role("button", name="Start the camera").click()
    expect(page.locator("#camerastate")).to_have_text(
        "Camera on: the test is measured on this device.", timeout=120_000
    )
    page.wait_for_function(
        "() => window.seen.some((f) => Object.keys(f.points).length >= 8)", timeout=60_000
    )
    found = page.evaluate(
        "() => { const f = window.seen.filter((f) => Object.keys(f.points).length >= 8).pop();"
        " return {frame: f,"
        " angles: ['left', 'right'].map((s) => kneecoachPoseRules.jointAngles(f, s, 0)),"
        " fppa: ['left', 'right'].map((s) => kneecoachPoseRules.fppaOf(f, s, 0))}; }"
    )
    points = found["frame"]["points"]
    for side in ("left", "right"):
        hip, knee, ankle = (points[f"{side}_{part}"] for part in ("hip", "knee", "ankle"))
        shoulder = points[f"{side}_shoulder"]
        assert shoulder[1] < hip[1] < knee[1] < ankle[1]  # upright: top to bottom in the picture
    for angles in found["angles"]:
        assert 0 <= angles["knee"] < 70  # standing or walking, not folded
        assert 0 <= angles["hip"] < 70
    assert all(abs(angle) < 45 for angle in found["fppa"])
    page.screenshot(path=str(_shot_path("camera-person-found-390x844")))


def test_a_split_squat_set_counted_by_the_camera_is_kept_with_the_network_cut(server, page, bodies):
    from playwright.sync_api import expect

    _sign_up(server, page)
    page.goto(server + "/session")
    ready_for_offline(page)
    page.context.set_offline(True)
    untick(page.get_by_label("Spoken cues"))
    untick(page.get_by_label("Beeps"))
    expect(page.locator("#privacy")).to_contain_text("no picture is kept or sent")
    page.get_by_label("Use the camera to count reps").check()
    expect(page.locator("#camerastate")).to_have_text(
        "Camera on: reps are counted on this device.", timeout=120_000
    )
    page.evaluate("() => kneecoachCamera.hold()")
    page.get_by_role("button", name="Start").click()
    for _ in range(40):  # on to the split squat's first set
        if page.locator("#exercise").text_content() == "Bulgarian split squat":
            break
        page.get_by_role("button", name="Skip").click()
    expect(page.locator("#exercise")).to_have_text("Bulgarian split squat")
    page.wait_for_function("() => !document.getElementById('cameracount').hidden", timeout=30_000)
    # the set's reps under way (the count is live from the first rep's beat, not in the
    # get-ready before it)
    page.wait_for_function(
        "() => /^\\d+\\/\\d+$/.test(document.getElementById('big').textContent)", timeout=30_000
    )
    exercise = definitions.catalogue().get("bulgarian-split-squat")
    recording = seq.set_recording(
        exercise,
        "body-weight",
        reps=3,
        fps=30,
        seed=4,
        partial_after=1,
        noise=0.004,
        drop=0.1,
        miss=0.05,
        frame_jitter=0.5,
    )
    feed(page, frames_at(recording, now(page)))
    expect(page.locator("#counted")).to_have_text("3")
    expect(page.locator("#tempo")).to_contain_text("Rep 3: in time")
    page.get_by_role("button", name="One rep more").click()
    page.get_by_role("button", name="One rep fewer").click()  # the runner corrects, and back
    expect(page.locator("#counted")).to_have_text("3")
    page.screenshot(path=str(_shot_path("camera-counting-390x844")))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(_shot_path("camera-counting-1280x900")))
    page.set_viewport_size({"width": 390, "height": 844})

    answers = []
    page.on("response", lambda r: answers.append(r) if r.url.endswith("/session/sets") else None)
    page.get_by_role("button", name="Skip").click()  # the set ends: its count is reported
    expect(page.locator("#outbox")).to_contain_text("waiting to be sent", timeout=10_000)
    page.context.set_offline(False)
    page.wait_for_function(
        "() => document.getElementById('outbox').dataset.waiting === '0'", timeout=30_000
    )
    kept = [a.json()["set"] for a in answers if a.status == 200]
    split = [s for s in kept if s and s["exercise"] == "bulgarian-split-squat"]
    assert split and split[-1]["reps"] == 3
    no_image_left(server, bodies)


def test_the_knee_alignment_test_keeps_an_fppa_measured_with_the_network_cut(server, page, bodies):
    from playwright.sync_api import expect

    _sign_up(server, page)
    page.goto(server + "/knee-alignment")
    ready_for_offline(page)
    page.context.set_offline(True)
    page.get_by_label("Leg tested").select_option("left")
    page.get_by_role("button", name="Start the camera").click()
    expect(page.locator("#camerastate")).to_have_text(
        "Camera on: the test is measured on this device.", timeout=120_000
    )
    page.evaluate("() => kneecoachCamera.hold()")
    drawn = (11.0, 13.0, 15.0)
    for number, fppa in enumerate(drawn, start=1):
        page.get_by_role("button", name=f"Record squat {number}").click()
        trial = seq.squat_trial(fppa, side="left", fps=30, seed=number, noise=0.004, drop=0.1)
        feed(page, frames_at(trial, now(page)))
        page.get_by_role("button", name=f"End squat {number}").click()
        expect(page.locator("#trials li")).to_have_count(number)
    page.get_by_role("button", name="Keep the test").click()
    expect(page.locator("#result")).to_contain_text("Kept on this device")
    page.context.set_offline(False)
    expect(page.locator("#result")).to_contain_text("does not diagnose", timeout=30_000)
    mean = float(page.locator("#result").get_attribute("data-mean"))
    assert abs(mean - sum(drawn) / 3) < 2
    expect(page.locator("#result")).to_contain_text("moderately")
    page.screenshot(path=str(_shot_path("knee-alignment-kept-390x844")), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(_shot_path("knee-alignment-kept-1280x900")), full_page=True)
    page.goto(server + "/progress")
    expect(page.get_by_role("heading", name="Knee alignment test")).to_be_visible()
    page.screenshot(path=str(_shot_path("progress-alignment-1280x900")), full_page=True)
    no_image_left(server, bodies)
