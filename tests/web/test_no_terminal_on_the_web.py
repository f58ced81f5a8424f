"""The web app never tells a person to run a terminal command: a runner on a phone has none.
Every page of a runner, of a runner paused by pain and of a clinician is read for
"kneecoach <command>" with each command the terminal has."""

from __future__ import annotations

import re
from html import unescape

from starlette.routing import Route

from kneecoach.cli.main import COMMANDS
from tests.web.conftest import csrf
from tests.web.test_clinic import _invite, _join

SLOW_NOT_HTML = {"/sheet.pdf", "/export/sheet.pdf"}
"""Addresses that draw a PDF, not a page: left out for time (no text of theirs is HTML)."""


def _pages_without_ids(app) -> list[str]:
    """Every address the app answers GET at without an id in it: the runner's pages, the
    settings, the clinic's own, the visitor's. Read from the app itself, so a new page is
    read here the day it is added."""
    return sorted(
        route.path
        for route in app.routes
        if isinstance(route, Route)
        and "GET" in (route.methods or ())
        and "{" not in route.path
        and route.path not in SLOW_NOT_HTML
    )


NAMES_A_COMMAND = re.compile(
    r"\bkneecoach\s+(" + "|".join(re.escape(name) for name in COMMANDS) + r")\b"
)


def _commands_named(client, pages: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in pages:
        shown = client.get(path)
        assert shown.status_code < 500, path
        if not shown.headers.get("content-type", "").startswith("text/html"):
            continue
        text = unescape(re.sub(r"<[^>]+>", " ", shown.text))
        named = [m.group(0) for m in NAMES_A_COMMAND.finditer(" ".join(text.split()))]
        if named:
            found[path] = named
    return found


def test_no_page_names_a_terminal_command_to_a_runner_a_paused_runner_or_a_clinician(app, owner):
    assert {"screen", "session", "serve"} <= set(COMMANDS)  # what the pattern looks for
    assert {"/today", "/knee-alignment", "/race", "/clinic", "/login"} <= set(
        _pages_without_ids(app)
    )
    ben = _join(app, _invite(owner), "ben")
    ben.post("/log", data={"csrf": csrf(ben.get("/today").text), "pain": "8", "effort": "5"})
    runner_id = re.search(r"/clinic/runners/(\d+)", owner.get("/clinic").text).group(1)
    found = {
        **{f"ana {p}": n for p, n in _commands_named(owner, _pages_without_ids(app)).items()},
        **{f"ben {p}": n for p, n in _commands_named(ben, _pages_without_ids(app)).items()},
        **{
            f"clinic {p}": n
            for p, n in _commands_named(
                owner, [f"/clinic/runners/{runner_id}", f"/clinic/runners/{runner_id}/hand-over"]
            ).items()
        },
    }
    assert found == {}


def test_a_paused_runner_asking_for_the_program_sheet_is_told_why_on_a_page(owner):
    owner.post("/log", data={"csrf": csrf(owner.get("/today").text), "pain": "8", "effort": "5"})
    for path in ("/sheet", "/sheet.pdf"):
        shown = owner.get(path)
        assert shown.status_code == 409, path
        assert shown.headers["content-type"].startswith("text/html")
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", shown.text)).split())
        assert "No program sheet" in text and "while the program is paused" in text, path
