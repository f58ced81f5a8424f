"""The README shows the phone screenshots that tests/web/test_phone_screens.py takes: each
is there, a PNG of the phone's screen (390×844), and small."""

from __future__ import annotations

from pathlib import Path

from tests.web.test_phone_screens import DOCS, PHONE

README = Path(__file__).parents[2] / "README.md"


def test_the_readme_shows_the_phone_screenshots_the_tests_take():
    text = README.read_text()
    for name in ("phone-player", "phone-today", "phone-dashboard"):
        assert f"(docs/screenshots/{name}.png)" in text, name
        data = (DOCS / f"{name}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == (PHONE["width"], PHONE["height"]), name
        assert len(data) < 250_000, f"{name}.png is {len(data)} bytes: keep it small"
