"""KNEECOACH_AKPS_EVERY_DAYS reaches every face: Today, the weekly review, the AKPS page,
the clinic and the API say the same due date."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.services.outcomes import record_akps
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from tests.conftest import TODAY, fresh_database
from tests.web.conftest import PASSWORD, csrf, post_open_form
from tests.web.test_api import _token
from tests.web.test_clinic import _join

TAKEN = TODAY - dt.timedelta(days=10)
DUE = TAKEN + dt.timedelta(days=14)
"""Not due yet every 14 days; the weekly default would have made it due 3 days ago."""


@pytest.fixture
def fortnightly(request, tmp_path):
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
            "KNEECOACH_DATABASE_URL": fresh_database("sqlite", request, tmp_path),
            "KNEECOACH_AKPS_EVERY_DAYS": "14",
        }
    )
    return create_app(settings, clock=FixedClock(TODAY))


def test_today_the_review_the_akps_page_and_the_clinic_agree_on_a_fortnightly_akps(fortnightly):
    clinician = TestClient(fortnightly, follow_redirects=False)
    post_open_form(clinician, "/setup", name="ana", password=PASSWORD)
    invited = clinician.post(
        "/clinic/invite", data={"csrf": csrf(clinician.get("/onboarding").text)}
    )
    invite = re.search(r"/invite/([A-Za-z0-9_\-]+)", invited.text).group(1)
    ben = _join(fortnightly, invite, "ben")
    runtime = fortnightly.state.web.runtime
    record_akps(runtime.runner(runtime.storage.user_id("ben")), [1] * 13, TAKEN)

    today = ben.get("/today").text
    assert "Roll down" in today and "The Kujala AKPS is due" not in today
    review = ben.post("/review", data={"csrf": csrf(today), "no_red_flags": "1"}).text
    assert "Weekly review" in review and "The AKPS is due" not in review
    assert f"The next one is due on {DUE:%A %d %B}" in ben.get("/akps").text
    assert f'<td data-label="AKPS due">{DUE:%d %b}</td>' in clinician.get("/clinic").text

    ben_api = TestClient(fortnightly, headers={"Authorization": f"Bearer {_token(ben)}"})
    assert ben_api.get("/api/v1/akps").json()["due_on"] == DUE.isoformat()
    assert ben_api.get("/api/v1/review").json()["akps"]["due_on"] == DUE.isoformat()
    clinic_api = TestClient(fortnightly, headers={"Authorization": f"Bearer {_token(clinician)}"})
    [row] = clinic_api.get("/api/v1/runners").json()
    assert row["akps_due_on"] == DUE.isoformat()
