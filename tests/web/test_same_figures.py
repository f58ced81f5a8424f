"""One core, two faces: the command line's `--json` and the API give the same figures for
progress, the weekly review and the AKPS, read from the same record."""

from __future__ import annotations

import datetime as dt
import json
import sys

import pytest
from fastapi.testclient import TestClient

from kneecoach.cli.main import run
from tests.web.conftest import csrf
from tests.web.test_api import _token


@pytest.fixture
def terminal(app, isolated_env, monkeypatch, capsys):
    """`kneecoach ARGS --json` as the owner 'ana', on the web app's database."""
    monkeypatch.setenv("KNEECOACH_DATABASE_URL", app.state.settings.database_url)
    monkeypatch.setenv("KNEECOACH_USER", "ana")

    def invoke(*args: str):
        monkeypatch.setattr(sys, "argv", ["kneecoach", *args, "--json"])
        capsys.readouterr()
        try:
            run()
        except SystemExit as exit:
            assert not exit.code, capsys.readouterr().err
        return json.loads(capsys.readouterr().out)

    return invoke


def test_the_terminal_and_the_api_give_the_same_progress_review_and_akps(owner, app, terminal):
    token = csrf(owner.get("/today").text)
    owner.post("/log", data={"csrf": token, "pain": "6", "effort": "5"})
    owner.post("/akps", data={"csrf": token, **{f"item{n}": "1" for n in range(1, 14)}})
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})

    progress = terminal("progress")
    assert any(e["decisions"] for e in progress["exercises"])
    assert api.get("/api/v1/progress").json() == progress
    assert api.get("/api/v1/akps").json() == terminal("akps", "--history")
    review = terminal("review", "--no-red-flags")
    assert review["pain"]["during"] == 6.0
    assert api.get("/api/v1/review").json() == review


def test_the_terminal_and_the_api_agree_when_the_akps_calls_for_a_clinician(owner, app, terminal):
    from tests.conftest import TODAY

    earlier = (TODAY - dt.timedelta(days=7)).isoformat()
    terminal("akps", "--answers", ",".join(["1"] * 13), "--date", earlier)
    token = csrf(owner.get("/akps").text)
    owner.post("/akps", data={"csrf": token, **{f"item{n}": "2" for n in range(1, 14)}})
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    shown = api.get("/api/v1/akps").json()
    assert shown == terminal("akps", "--history")
    assert shown["see_clinician"] is True and shown["sources"]
