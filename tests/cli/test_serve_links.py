"""``kneecoach serve --port N`` without KNEECOACH_PUBLIC_URL: the links the app writes
(invitations, calendar feeds) name the port it listens on, and it says where they point;
with the setting, the setting wins whatever the port."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest

from kneecoach.bootstrap import build
from kneecoach.config import load_settings, served_at
from kneecoach.services.ports import FixedClock
from tests.conftest import TODAY
from tests.web.conftest import PASSWORD, csrf, post_open_form
from tests.web.test_throttle_two_processes import _free_port, _wait_until_up


def test_links_name_the_served_port_when_no_public_address_is_set():
    settings = load_settings({"KNEECOACH_DATA_DIR": "/nowhere"})
    assert served_at(settings, "127.0.0.1", 8123).public_url == "http://127.0.0.1:8123"
    assert served_at(settings, "knee.local", 80).public_url == "http://knee.local:80"


def test_a_server_on_every_address_is_linked_by_the_loopback_address():
    settings = load_settings({"KNEECOACH_DATA_DIR": "/nowhere"})
    for anywhere in ("0.0.0.0", "::"):
        assert served_at(settings, anywhere, 8123).public_url == "http://127.0.0.1:8123"
    assert served_at(settings, "::1", 8123).public_url == "http://[::1]:8123"


def test_a_public_address_that_is_set_wins_over_the_port():
    settings = load_settings(
        {"KNEECOACH_DATA_DIR": "/nowhere", "KNEECOACH_PUBLIC_URL": "https://knee.example.org"}
    )
    assert served_at(settings, "0.0.0.0", 8123).public_url == "https://knee.example.org"


@pytest.fixture
def served(tmp_path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """`kneecoach serve --port N` as a person starts it, with an owner (ana) in its database
    and no KNEECOACH_PUBLIC_URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNEECOACH_")}
    env.update(KNEECOACH_DATA_DIR=str(tmp_path / "data"), KNEECOACH_TODAY=TODAY.isoformat())
    runtime = build(load_settings(env), clock=FixedClock(TODAY))
    runtime.accounts.create_owner("ana", PASSWORD, runtime.clock.now())
    runtime.engine.dispose()
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kneecoach", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)  # type: ignore[arg-type]
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_an_invitation_made_on_a_served_port_links_to_that_port(served):
    base, process = served
    with httpx.Client(base_url=base, follow_redirects=False, timeout=30) as ana:
        assert post_open_form(ana, "/login", name="ana", password=PASSWORD).status_code == 303
        made = ana.post("/clinic/invite", data={"csrf": csrf(ana.get("/clinic").text)})
        page = made.text
    links = re.findall(r'value="([^"]*/invite/[^"]+)"', page)
    assert links and all(link.startswith(f"{base}/invite/") for link in links)
    process.terminate()
    said, _ = process.communicate(timeout=15)
    assert f"point at {base}" in " ".join(said.split())
