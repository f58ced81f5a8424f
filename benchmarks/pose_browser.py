"""The camera in the browser: frames per second of the pose model plus kneecoach's rules, in
headless Debian chromium on this machine, with the lite and the full model, against the
peer that bounds it: the camera's 30 frames a second.

The app is served on 127.0.0.1 as `kneecoach serve` serves it; chromium's fake camera shows
a photograph of people (tests/web/test_browser_camera.py says where it comes from); the
knee-alignment page starts the camera and the model the app serves (static/pose/). For each
model, after a warm-up, the frames the model read in KNEECOACH_BENCH_POSE_SECONDS (default
10) are counted, and the rules (joint angles and the rep counter, pose-rules.js) are timed
on the frames it gave. Chromium renders WebGL in software here (SwiftShader: no GPU), so a
phone with a GPU does better; the verdict says whether this machine keeps up with 30 fps,
and whether it reaches the 15 fps at which the rep counter makes no error (pose_counting).
"""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.web.test_browser import _sign_up  # noqa: E402
from tests.web.test_browser_camera import CAMERA_FLAGS, CHROMIUM, fake_camera_file  # noqa: E402

from kneecoach.config import load_settings  # noqa: E402
from kneecoach.web import pose_assets  # noqa: E402
from kneecoach.web.app import create_app  # noqa: E402

SECONDS = float(os.environ.get("KNEECOACH_BENCH_POSE_SECONDS", "10"))
WARM_UP = 3.0
CAMERA_FPS = 30.0
COUNTER_FPS = 15.0


def _serve(data_dir: Path) -> tuple[str, object]:
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = load_settings(
        {"KNEECOACH_DATA_DIR": str(data_dir), "KNEECOACH_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    )
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def measure(page, server: str, model: str) -> tuple[float, float, int]:
    """Frames a second through the model and the rules, the rules' time per frame (ms), and
    how many frames had a person in them."""
    page.goto(server + "/knee-alignment")
    page.evaluate("() => { window.seen = []; kneecoachCamera.listen((f) => window.seen.push(f)); }")
    page.select_option("#cameramodel", model)
    page.click("#startcamera")
    page.wait_for_function("() => kneecoachCamera.running", timeout=180_000)
    page.wait_for_timeout(WARM_UP * 1000)
    start = page.evaluate("() => [kneecoachCamera.stats.frames, performance.now()]")
    page.wait_for_timeout(SECONDS * 1000)
    end = page.evaluate("() => [kneecoachCamera.stats.frames, performance.now()]")
    fps = (end[0] - start[0]) / ((end[1] - start[1]) / 1000)
    rules_ms = page.evaluate(
        """() => {
          const frames = window.seen.filter((f) => Object.keys(f.points).length > 0);
          const movement = {joint: "knee", rest: 10, peak: 100, enter_share: 0.7,
            leave_share: 0.3, max_gap_seconds: 1.5, min_visibility: 0.5, away_seconds: 2,
            too_fast_share: 0.75, too_slow_share: 1.5};
          const counter = new kneecoachPoseRules.Counter(movement, "left");
          const rounds = 200, t0 = performance.now();
          for (let r = 0; r < rounds; r++) {
            frames.forEach((f, i) => counter.feed({...f, at: r * 1000 + i / 30}));
          }
          return frames.length ? (performance.now() - t0) / (rounds * frames.length) : NaN;
        }"""
    )
    found = page.evaluate(
        "() => window.seen.filter((f) => Object.keys(f.points).length > 0).length"
    )
    page.evaluate("() => kneecoachCamera.stop()")
    return fps, rules_ms, found


def main() -> None:
    print("\nCamera in the browser: pose model + rules, frames a second (headless chromium)")
    if not pose_assets.available() or not CHROMIUM.exists():
        print("skipped: the pose model or chromium is not installed (make bench installs them)")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as where:
        server, running = _serve(Path(where))
        flags = [*CAMERA_FLAGS, f"--use-file-for-fake-video-capture={fake_camera_file()}"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=flags)
            context = browser.new_context(permissions=["camera"])
            page = context.new_page()
            _sign_up(server, page)
            heads = f"{'model':<6} {'fps':>6} {'of 30 fps':>10} {'rules/frame':>12} {'frames':>7}"
            print(heads + "  verdict")
            for model in ("lite", "full"):
                fps, rules_ms, found = measure(page, server, model)
                verdict = (
                    "keeps up with the camera"
                    if fps >= CAMERA_FPS
                    else "counts without error (>= 15 fps)"
                    if fps >= COUNTER_FPS
                    else "BELOW the counter's 15 fps"
                )
                print(
                    f"{model:<6} {fps:>6.1f} {fps / CAMERA_FPS:>9.2f}x {rules_ms * 1000:>9.1f}us"
                    f" {found:>7}  {verdict}"
                )
            browser.close()
        running.should_exit = True  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
