"""The web app served for a real browser, and Debian's chromium to drive it: one way to do
each for every browser test module, so that a change to how a server is started or a
chromium launched is made once."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from kneecoach.config import Settings

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """A port nothing listens on now, asked before the app is built: the app's settings
    carry its public address."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def served_settings(folder: Path, port: int, database_url: str = "", **more: str) -> Settings:
    """The settings of an app served at ``port`` with its data in ``folder`` (its database a
    SQLite file there unless ``database_url`` says otherwise); ``more`` adds settings by their
    KNEECOACH_ names."""
    from kneecoach.config import load_settings

    return load_settings(
        {
            "KNEECOACH_DATA_DIR": str(folder / "data"),
            "KNEECOACH_DATABASE_URL": database_url or f"sqlite:///{folder / 'kneecoach.db'}",
            "KNEECOACH_PUBLIC_URL": f"http://127.0.0.1:{port}",
            **more,
        }
    )


@contextmanager
def served(app: Any, port: int) -> Iterator[str]:
    """The app served by uvicorn in a thread of this process until the block ends; yields its
    address once it answers."""
    import uvicorn

    running = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(100):
        if running.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=5)


@contextmanager
def launched_chromium(flags: Sequence[str] = FLAGS) -> Iterator[Any]:
    """Debian's chromium, headless, started with these flags, until the block ends. A missing
    chromium fails the test rather than skipping it: ``make test`` installs it."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing: 'make test' installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=list(flags))
        try:
            yield browser
        finally:
            browser.close()


def signed_in_page(
    chromium: Any, site: str, viewport: dict[str, int], name: str = "ana", **options: Any
) -> Any:
    """A new browser context at ``viewport`` (and ``options``, such as a colour scheme) with
    ``name`` (password: the tests' one) signed in through the login form, on the page they
    land on."""
    from tests.web.conftest import PASSWORD

    page = chromium.new_context(viewport=viewport, **options).new_page()
    page.goto(site + "/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page
