"""Referral by outcomes on every web face (evidence.md §11): an AKPS worse by the MCID sends
the runner to a clinician on the AKPS pages and flags them on their clinician's dashboard; a
retake the same day replaces the day's result and is never compared with it."""

from __future__ import annotations

import datetime as dt
import html
import re

from fastapi.testclient import TestClient

from kneecoach.services.outcomes import record_akps
from tests.conftest import TODAY
from tests.web.conftest import csrf
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join

BEST = {f"item{n}": "1" for n in range(1, 14)}
WORSE = {f"item{n}": "2" for n in range(1, 14)}


def _text(page: str) -> str:
    """A page's words as a reader sees them: no tags, one space between words."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _score(client, answers) -> str:
    token = csrf(client.get("/akps").text)
    return _text(client.post("/akps", data={"csrf": token, **answers}).text)


def test_an_akps_worse_by_the_mcid_sends_the_runner_to_a_clinician_on_every_face(app, owner):
    ben = _join(app, _invite(owner), "ben")
    runtime = app.state.web.runtime
    record_akps(
        runtime.runner(runtime.storage.user_id("ben")), [1] * 13, TODAY - dt.timedelta(days=7)
    )

    scored = _score(ben, WORSE)
    assert "a clinician should take a look. [Crossley 2004; kneecoach default]" in scored
    page = _text(ben.get("/akps").text)
    assert "See a clinician" in page
    assert "a clinician should take a look. [Crossley 2004; kneecoach default]" in page

    dashboard = _text(owner.get("/clinic").text)
    assert "a clinician should take a look" in dashboard
    clinic = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    [row] = clinic.get("/api/v1/runners").json()
    assert any("a clinician should take a look" in w["text"] for w in row["warnings"])
    runner_api = TestClient(app, headers={"Authorization": f"Bearer {_token(ben)}"})
    assert runner_api.get("/api/v1/akps").json()["see_clinician"] is True


def test_a_retake_the_same_day_replaces_the_first_on_the_page_and_is_not_compared(owner):
    _score(owner, BEST)
    retake = _score(owner, WORSE)
    assert "It replaces the 100/100 taken earlier that day" in retake
    assert "should take a look" not in retake and "points worse" not in retake
    page = _text(owner.get("/akps").text)
    assert "See a clinician" not in page
    assert "Your last score: 100/100" not in page
