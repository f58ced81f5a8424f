"""Every read or change of a runner's record by someone else is in the audit log, once:
who, what, when (the injected clock), from where; the runner's own reads leave nothing;
another clinician's attempt is refused as 'not found' and recorded too. The runner sees
who looked; the owner exports the log over a period."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from kneecoach.services.accounts import _hasher
from kneecoach.services.ports import FixedClock
from kneecoach.storage.tables import audit_log
from tests.conftest import TODAY
from tests.web.conftest import BOTH_DATABASES, PASSWORD, csrf, post_open_form
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join

DATABASES = BOTH_DATABASES

NOON = FixedClock(TODAY).now()


def _entries(app) -> list[dict]:
    with app.state.web.runtime.engine.connect() as c:
        rows = c.execute(sa.select(audit_log).order_by(audit_log.c.id))
        return [dict(row._mapping) for row in rows]


def _user_id(app, name: str) -> int:
    return app.state.web.runtime.storage.user_id(name)


@pytest.fixture
def clinic(app, owner):
    """The owner ana follows runner ben, who has a profile; both signed in."""
    ben = _join(app, _invite(owner), "ben")
    return owner, ben, _user_id(app, "ben")


def _api(app, client) -> TestClient:
    return TestClient(app, headers={"Authorization": f"Bearer {_token(client)}"})


PAGE_VISITS = [
    ("GET", "/clinic/runners/{id}", None, "viewed progress"),
    ("GET", "/clinic", None, "viewed on the clinic list"),
    (
        "POST",
        "/clinic/runners/{id}/prescribe",
        {"exercise": "fire-hydrant", "variant": "kneeling", "sets": "3", "amount": "12"},
        "changed prescription of Fire hydrant",
    ),
    (
        "POST",
        "/clinic/runners/{id}/pin",
        {"exercise": "roll-down", "pinned": "1"},
        "pinned Roll down",
    ),
]


@pytest.mark.parametrize(("method", "path", "form", "action"), PAGE_VISITS)
def test_a_clinician_on_a_runners_page_leaves_exactly_one_entry(
    app, clinic, method, path, form, action
):
    owner, _, ben = clinic
    token = csrf(owner.get("/settings").text)
    before = len(_entries(app))
    if method == "GET":
        answer = owner.get(path.format(id=ben))
    else:
        answer = owner.post(path.format(id=ben), data={"csrf": token, **form})
    assert answer.status_code in (200, 303), answer.text
    added = _entries(app)[before:]
    assert len(added) == 1, added
    entry = added[0]
    assert entry["action"] == action
    assert (entry["actor_id"], entry["actor_name"], entry["runner_id"]) == (
        _user_id(app, "ana"),
        "ana",
        ben,
    )
    assert entry["address"] == "testclient" and entry["allowed"]
    assert entry["at"].replace(tzinfo=dt.UTC) == NOON


API_CALLS = [
    ("GET", "/runners/{id}", None, "viewed progress"),
    ("GET", "/runners/{id}/history", None, "viewed history"),
    ("GET", "/runners", None, "viewed on the clinic list"),
    (
        "POST",
        "/runners/{id}/prescriptions",
        {"exercise": "fire-hydrant", "variant": "kneeling", "sets": 3, "amount": 12},
        "changed prescription of Fire hydrant",
    ),
    (
        "POST",
        "/runners/{id}/pins",
        {"exercise": "roll-down", "pinned": False},
        "unpinned Roll down",
    ),
]


@pytest.mark.parametrize(("method", "path", "body", "action"), API_CALLS)
def test_a_clinicians_token_on_a_runners_record_leaves_exactly_one_entry(
    app, clinic, method, path, body, action
):
    owner, _, ben = clinic
    api = _api(app, owner)
    before = len(_entries(app))
    answer = api.request(method, "/api/v1" + path.format(id=ben), json=body)
    assert answer.status_code in (200, 201), answer.text
    added = _entries(app)[before:]
    assert [(e["action"], e["runner_id"], e["actor_name"]) for e in added] == [(action, ben, "ana")]


def test_a_refused_change_is_not_recorded_as_made(app, clinic):
    owner, _, ben = clinic
    before = len(_entries(app))
    bad = {"exercise": "fire-hydrant", "variant": "no-such-variant", "sets": 3, "amount": 12}
    answer = _api(app, owner).post(f"/api/v1/runners/{ben}/prescriptions", json=bad)
    assert answer.status_code == 422
    assert _entries(app)[before:] == []


def test_the_runners_own_reads_leave_no_entry(app, clinic):
    _, ben_client, _ = clinic
    api = _api(app, ben_client)
    before = _entries(app)
    for path in ("/today", "/progress", "/history", "/akps", "/settings", "/settings/audit"):
        assert ben_client.get(path).status_code == 200, path
    for path in ("/today", "/progress", "/history", "/akps", "/me/audit"):
        assert api.get("/api/v1" + path).status_code == 200, path
    assert api.post("/api/v1/checkins", json={"pain_morning": 1}).status_code == 201
    assert _entries(app) == before


def _second_clinician(app) -> TestClient:
    web = app.state.web
    web.accounts.store.create("cleo", "clinician", _hasher().hash(PASSWORD), NOON)
    cleo = TestClient(app, follow_redirects=False)
    assert post_open_form(cleo, "/login", name="cleo", password=PASSWORD).status_code == 303
    return cleo


def test_another_clinician_is_refused_as_not_found_and_the_attempt_is_recorded(app, clinic):
    _, _, ben = clinic
    cleo = _second_clinician(app)
    before = len(_entries(app))
    assert cleo.get(f"/clinic/runners/{ben}").status_code == 404
    token = csrf(cleo.get("/settings").text)
    pinned = cleo.post(f"/clinic/runners/{ben}/pin", data={"csrf": token, "exercise": "roll-down"})
    assert pinned.status_code == 404
    api = _api(app, cleo)
    assert api.get(f"/api/v1/runners/{ben}/history").status_code == 404
    assert api.get("/api/v1/runners/999999").status_code == 404
    added = _entries(app)[before:]
    assert [(e["actor_name"], e["runner_id"], e["action"], e["allowed"]) for e in added] == [
        ("cleo", ben, "viewed progress", False),
        ("cleo", ben, "pinning", False),
        ("cleo", ben, "viewed history", False),
        # an id no account has is kept under no runner (0), so whoever gets it later never
        # sees the attempt as about them
        ("cleo", 0, "viewed progress (id 999999: no such account)", False),
    ]
    assert cleo.get("/clinic").status_code == 200  # follows no one: lists no one, logs nothing
    assert len(_entries(app)) == before + 4


def test_the_runner_sees_who_looked_on_a_page_and_through_the_api(app, clinic):
    owner, ben_client, ben = clinic
    owner.get(f"/clinic/runners/{ben}")
    cleo = _second_clinician(app)
    cleo.get(f"/clinic/runners/{ben}")
    page = ben_client.get("/settings/audit").text
    assert "ana" in page and "viewed progress" in page
    assert "cleo" in page and "refused" in page
    seen = _api(app, ben_client).get("/api/v1/me/audit").json()
    assert {(e["actor_name"], e["action"], e["allowed"]) for e in seen} >= {
        ("ana", "viewed progress", True),
        ("cleo", "viewed progress", False),
    }
    assert all(e["runner_id"] == ben for e in seen)
    assert seen[0]["at"] == NOON.isoformat() and seen[0]["address"] == "testclient"
    # ana's own record was not looked at by anyone
    assert _api(app, owner).get("/api/v1/me/audit").json() == []


def _backdate(app, at: dt.datetime) -> None:
    with app.state.web.runtime.engine.begin() as c:
        c.execute(audit_log.update().values(at=at))


def test_the_owner_exports_the_log_as_csv_between_two_days(app, clinic):
    owner, _, ben = clinic
    owner.get(f"/clinic/runners/{ben}")
    _backdate(app, NOON - dt.timedelta(days=10))
    owner.get(f"/clinic/runners/{ben}")
    today = TODAY.isoformat()
    download = owner.get(f"/audit.csv?first={today}&last={today}")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert "attachment" in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [(r["actor_name"], r["runner_name"], r["action"]) for r in rows] == [
        ("ana", "ben", "viewed progress")
    ]
    everything = list(csv.DictReader(io.StringIO(owner.get("/audit.csv").text)))
    assert len(everything) == len(_entries(app)) > 1
    page = owner.get(f"/audit?first={today}&last=")
    assert page.status_code == 200 and "ben" in page.text and "/audit.csv?first=" in page.text
    assert owner.get("/audit?first=yesterday").status_code == 400
    api = _api(app, owner)
    listed = api.get("/api/v1/audit", params={"from": today, "to": today}).json()
    assert [(e["actor_name"], e["runner_name"]) for e in listed] == [("ana", "ben")]
    as_csv = api.get("/api/v1/audit.csv", params={"from": today})
    assert as_csv.status_code == 200 and as_csv.text.startswith("at,actor_id")
    assert api.get("/api/v1/audit", params={"from": today, "to": "2000-01-01"}).status_code == 422


def test_only_the_owner_exports_the_log(app, clinic):
    _, ben_client, _ = clinic
    assert ben_client.get("/audit").status_code == 404
    assert ben_client.get("/audit.csv").status_code == 404
    api = _api(app, ben_client)
    assert api.get("/api/v1/audit").status_code == 403
    assert api.get("/api/v1/audit.csv").status_code == 403


def test_a_cell_that_looks_like_a_formula_is_written_as_text(app, clinic):
    owner, _, _ = clinic
    with app.state.web.runtime.engine.begin() as c:
        c.execute(
            audit_log.insert().values(
                at=NOON,
                actor_id=1,
                actor_name="=HYPERLINK(1)",
                runner_id=1,
                action="viewed",
                address="x",
                allowed=True,
            )
        )
    rows = list(csv.DictReader(io.StringIO(owner.get("/audit.csv").text)))
    assert rows[-1]["actor_name"] == "'=HYPERLINK(1)"
