"""Who may reach what, for every route of the app — its pages and its API, read from the
app's own route table. Each route has a rule here (a new route without one fails the
first test); the actors are nobody, two runners (A and B), the clinician who follows A,
a clinician who does not, the clinic's owner, and an API token of each account. Someone
else's runner, import, run, session or token is "not found" (404, never a hint that it
exists), a role-only page is "not found" and a role-only API operation 403 ("only a
clinician may do this"), and a refused write leaves the database as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from kneecoach.config import load_settings
from kneecoach.services import membership
from kneecoach.services.accounts import invite, join, new_api_token
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from kneecoach.web.context import COOKIE
from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity
from tests.web.conftest import BOTH_DATABASES, PASSWORD, import_by_api, post_open_form
from tests.web.test_route_rules import BEHIND_A_SECRET, OPEN

DATABASES = BOTH_DATABASES

ANYONE = "open to anyone (the pages' own rules in test_route_rules.py)"
OWN = "the caller's own account or record: no one else's id in the address"
RUNNER = "a runner's record by id: only a clinician who follows them"
OWNED = "a thing one account owns, by id or key: only that account"
CLINICIAN = "for clinicians (the owner is one)"
OWNER = "for the clinic's owner"
CATALOGUE = "the same for every signed-in account (the exercise library)"

PAGE_RULES: dict[tuple[str, str], str] = {
    **dict.fromkeys(OPEN | BEHIND_A_SECRET, ANYONE),
    ("GET", "/clinic/runners/{runner_id}"): RUNNER,
    ("POST", "/clinic/runners/{runner_id}/prescribe"): RUNNER,
    ("POST", "/clinic/runners/{runner_id}/lift"): RUNNER,
    ("POST", "/clinic/runners/{runner_id}/race/clear"): RUNNER,
    ("POST", "/clinic/runners/{runner_id}/pin"): RUNNER,
    ("GET", "/clinic/runners/{runner_id}/hand-over"): RUNNER,
    ("POST", "/clinic/runners/{runner_id}/hand-over"): RUNNER,
    ("POST", "/clinic/runners/{runner_id}/race/goal"): RUNNER,
    ("POST", "/clinic/runners/{runner_id}/race/hold"): RUNNER,
    ("POST", "/clinic/runners/{runner_id}/race/release"): RUNNER,
    ("POST", "/clinic/runners/{runner_id}/race/step-back"): RUNNER,
    ("GET", "/runs/jobs/{job_id}"): OWNED,
    ("GET", "/runs/jobs/{job_id}/progress"): OWNED,
    ("POST", "/settings/sessions/end"): OWNED,  # the key in the form
    ("POST", "/settings/tokens/revoke"): OWNED,  # the key in the form
    ("POST", "/settings/clinicians/leave"): OWNED,  # the clinician in the form
    ("GET", "/clinic"): CLINICIAN,
    ("POST", "/clinic/invite"): CLINICIAN,
    ("GET", "/audit"): OWNER,
    ("GET", "/audit.csv"): OWNER,
    ("GET", "/clinic/clinicians"): CLINICIAN,
    ("POST", "/clinic/clinicians/invite"): OWNER,
    ("GET", "/exercises"): CATALOGUE,
    ("GET", "/exercises/{key}"): CATALOGUE,
    ("GET", "/exercises/{key}/figure.svg"): CATALOGUE,
    **dict.fromkeys(
        [
            ("POST", "/logout"),
            ("GET", "/onboarding"),
            ("POST", "/onboarding"),
            ("GET", "/screen"),
            ("POST", "/screen"),
            ("GET", "/today"),
            ("POST", "/log"),
            ("GET", "/checkin"),
            ("POST", "/checkin"),
            ("GET", "/history"),
            ("GET", "/progress"),
            ("POST", "/progress/undo"),
            ("GET", "/learn"),
            ("GET", "/akps"),
            ("POST", "/akps"),
            ("GET", "/session"),
            ("POST", "/session/sets"),
            ("POST", "/session/exercise-pain"),
            ("POST", "/session/offers"),
            ("POST", "/session/finish"),
            ("GET", "/runs"),
            ("POST", "/runs/import"),
            ("GET", "/load"),
            ("GET", "/settings"),
            ("POST", "/settings/email"),
            ("POST", "/settings/calendar"),
            ("POST", "/settings/calendar/revoke"),
            ("GET", "/sheet"),
            ("GET", "/sheet.pdf"),
            ("POST", "/settings/token"),
            ("GET", "/settings/data"),
            ("GET", "/settings/data/backup.json"),
            ("GET", "/settings/data/fhir.json"),
            ("GET", "/settings/data/csv.zip"),
            ("GET", "/settings/data/csv/{name}"),
            ("GET", "/settings/data/calendar.ics"),
            ("POST", "/settings/data/restore"),
            ("GET", "/review"),
            ("POST", "/review"),
            ("GET", "/return-to-run"),
            ("POST", "/return-to-run/check"),
            ("POST", "/return-to-run/run"),
            ("GET", "/race"),
            ("POST", "/race/goal"),
            ("POST", "/race/clear"),
            ("POST", "/race/run"),
            ("GET", "/knee-alignment"),
            ("POST", "/knee-alignment/tests"),
            ("GET", "/settings/audit"),
            ("GET", "/settings/account"),
            ("GET", "/settings/strava"),
            ("GET", "/settings/strava/connect"),
            ("GET", "/settings/strava/callback"),
            ("POST", "/settings/strava/sync"),
            ("POST", "/settings/strava/disconnect"),
            ("POST", "/settings/password"),
            ("POST", "/settings/delete"),
        ],
        OWN,
    ),
}
"""Every page route (method, path) and who may reach it."""

API_RULES: dict[tuple[str, str], str] = {
    ("GET", "/openapi.json"): ANYONE,
    ("GET", "/runners/{runner_id}"): RUNNER,
    ("GET", "/runners/{runner_id}/history"): RUNNER,
    ("POST", "/runners/{runner_id}/prescriptions"): RUNNER,
    ("POST", "/runners/{runner_id}/pins"): RUNNER,
    ("POST", "/runners/{runner_id}/lift"): RUNNER,
    ("DELETE", "/runners/{runner_id}/race"): RUNNER,
    ("POST", "/runners/{runner_id}/hand-over"): RUNNER,
    ("GET", "/runners/{runner_id}/race"): RUNNER,
    ("PUT", "/runners/{runner_id}/race"): RUNNER,
    ("POST", "/runners/{runner_id}/race/hold"): RUNNER,
    ("DELETE", "/runners/{runner_id}/race/hold"): RUNNER,
    ("POST", "/runners/{runner_id}/race/step-back"): RUNNER,
    ("GET", "/jobs/{job_id}"): OWNED,
    ("GET", "/runs/{activity_id}"): OWNED,
    ("PUT", "/runs/{activity_id}/effort"): OWNED,
    ("DELETE", "/web-sessions/{key}"): OWNED,
    ("DELETE", "/tokens/{key}"): OWNED,
    ("DELETE", "/my-clinicians/{clinician_id}"): OWNED,
    ("GET", "/runners"): OWN,  # the caller's own runners: none for a runner's account
    ("POST", "/invitations"): CLINICIAN,
    ("GET", "/clinicians"): CLINICIAN,
    ("GET", "/audit"): OWNER,
    ("GET", "/audit.csv"): OWNER,
    ("POST", "/clinicians/invitations"): OWNER,
    ("GET", "/exercises"): CATALOGUE,
    ("GET", "/exercises/{key}"): CATALOGUE,
    ("GET", "/exercises/{key}/figure.svg"): CATALOGUE,
    ("GET", "/akps/questionnaire"): CATALOGUE,
    **dict.fromkeys(
        [
            ("GET", "/today"),
            ("GET", "/history"),
            ("GET", "/strava"),
            ("POST", "/strava/authorization"),
            ("POST", "/strava/connection"),
            ("POST", "/strava/sync"),
            ("DELETE", "/strava/connection"),
            ("GET", "/sessions"),
            ("POST", "/sessions"),
            ("GET", "/checkins"),
            ("POST", "/checkins"),
            ("GET", "/session"),
            ("POST", "/session/sets"),
            ("POST", "/session/exercise-pain"),
            ("POST", "/session/offers"),
            ("POST", "/session/finish"),
            ("GET", "/progress"),
            ("POST", "/progress/undo"),
            ("POST", "/progress/pins"),
            ("GET", "/akps"),
            ("POST", "/akps"),
            ("GET", "/review"),
            ("POST", "/review"),
            ("GET", "/runs"),
            ("POST", "/runs"),
            ("GET", "/load"),
            ("GET", "/return-to-run"),
            ("POST", "/return-to-run/checks"),
            ("POST", "/return-to-run/runs"),
            ("GET", "/race"),
            ("PUT", "/race"),
            ("DELETE", "/race"),
            ("POST", "/race/runs"),
            ("GET", "/alignment-tests"),
            ("POST", "/alignment-tests"),
            ("GET", "/export/csv"),
            ("GET", "/export/fhir"),
            ("GET", "/export/backup"),
            ("POST", "/backup"),
            ("GET", "/export/calendar.ics"),
            ("GET", "/export/sheet"),
            ("GET", "/export/sheet.pdf"),
            ("GET", "/profile"),
            ("PUT", "/profile"),
            ("POST", "/screen"),
            ("GET", "/settings"),
            ("GET", "/email"),
            ("PUT", "/email"),
            ("POST", "/calendar-feed"),
            ("DELETE", "/calendar-feed"),
            ("GET", "/me/audit"),
            ("PUT", "/password"),
            ("GET", "/web-sessions"),
            ("GET", "/tokens"),
            ("GET", "/my-clinicians"),
            ("POST", "/account/delete"),
        ],
        OWN,
    ),
}
"""Every API route (method, path under /api/v1) and who may reach it."""

SLOW_READS = {"/sheet.pdf", "/export/sheet.pdf"}
"""Reads that render a document (seconds each): their access is checked once, not per actor."""
KEPT_ANYWAY = {"audit_log", "login_failures", "alembic_version"}
"""What a refused request may add: the audit log keeps refused attempts (who tried to
reach whose record); nothing else may change."""
MARK = "zq7marker"
"""In runner A's name and email: what no one but A, A's clinician and the owner's audit
log may be shown."""


def _routes(app) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    pages: set[tuple[str, str]] = set()
    api: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, Mount) and route.path == "/api/v1":
            api |= {
                (method, sub.path)
                for sub in route.routes
                if isinstance(sub, Route)
                for method in (sub.methods or ()) - {"HEAD"}
            }
        elif isinstance(route, Route):
            pages |= {(method, route.path) for method in (route.methods or ()) - {"HEAD"}}
    return pages, api


@pytest.fixture
def sqlite_app(tmp_path):
    """The app on SQLite only: for what does not depend on the database (its route table,
    the refusals before any record is read)."""
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
            "KNEECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'kneecoach.db'}",
        }
    )
    return create_app(settings, clock=FixedClock(TODAY))


def test_every_route_of_the_app_has_a_rule_and_every_rule_a_route(sqlite_app):
    app = sqlite_app
    pages, api = _routes(app)
    assert pages == set(PAGE_RULES), (pages ^ set(PAGE_RULES), "page routes without a rule")
    assert api == set(API_RULES), (api ^ set(API_RULES), "API routes without a rule")


@dataclass
class Clinic:
    """The clinic the matrix runs over, and each actor's ways in."""

    app: object
    ids: dict[str, int]
    pages: dict[str, TestClient]
    tokens: dict[str, TestClient]
    job: str
    activity: int
    a_session_key: str
    a_token_key: str

    def csrf(self, actor: str) -> str:
        web = self.app.state.web  # type: ignore[attr-defined]
        found = web.accounts.session(self.pages[actor].cookies[COOKIE], web.clock.now())
        return str(found.csrf)

    def everyone_but(self, *allowed: str) -> Iterator[tuple[str, TestClient, bool]]:
        """Every signed-in way in but those of ``allowed``: (who, client, is a page client)."""
        for actor, client in self.pages.items():
            if actor not in allowed:
                yield actor, client, True
        for actor, client in self.tokens.items():
            if actor not in allowed:
                yield f"{actor}'s token", client, False


def _log_in(app, name: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)
    answer = post_open_form(client, "/login", name=name, password=PASSWORD)
    assert answer.status_code == 303, answer.text
    return client


def _onboard(client: TestClient, knee: str) -> None:
    from tests.web.conftest import csrf

    answer = client.post(
        "/onboarding",
        data={
            "csrf": csrf(client.get("/onboarding").text),
            "knee": knee,
            "pain_rest": "1",
            "pain_running": "3",
            "equipment": ["low-bench", "wall", "pad", "resistance-band"],
            "sessions_per_week": "3",
            "no_red_flags": "1",
            "age_band": "16-50",
        },
    )
    assert answer.status_code == 303, answer.text


@pytest.fixture
def clinic(app) -> Clinic:
    web = app.state.web
    accounts, now = web.accounts, web.clock.now()
    ids = {"owner": accounts.create_owner("owner", PASSWORD, now)}
    for clinician in ("clinician of A", "other clinician"):
        token = membership.invite_clinician(accounts, ids["owner"], now)
        ids[clinician] = join(accounts, token, clinician.replace(" ", ""), PASSWORD, now)
    ids["runner A"] = join(
        accounts, invite(accounts, ids["clinician of A"], now), f"ana{MARK}", PASSWORD, now
    )
    ids["runner B"] = join(
        accounts, invite(accounts, ids["other clinician"], now), "ben", PASSWORD, now
    )
    names = {actor: accounts.name_of(user) for actor, user in ids.items()}
    pages = {actor: _log_in(app, names[actor]) for actor in ids}
    _onboard(pages["runner A"], "left")
    _onboard(pages["runner B"], "right")
    tokens = {
        actor: TestClient(
            app,
            follow_redirects=False,
            headers={"Authorization": f"Bearer {new_api_token(accounts, user, 'x', now)}"},
        )
        for actor, user in ids.items()
    }
    a = tokens["runner A"]
    assert a.put("/api/v1/email", json={"email": f"ana.{MARK}@example.org"}).status_code == 200
    assert a.post("/api/v1/sessions", json={"pain_during": 2, "effort": 4}).status_code == 201
    moment = dt.datetime.combine(now.date() - dt.timedelta(days=1), dt.time(7), tzinfo=dt.UTC)
    fit = write_activity(run_points(int(moment.timestamp()), 900))
    job = import_by_api(a, [("files", ("a.fit", fit))])
    activity = a.get("/api/v1/runs").json()[0]["id"]
    return Clinic(
        app=app,
        ids=ids,
        pages=pages,
        tokens=tokens,
        job=str(job["id"]),
        activity=activity,
        a_session_key=a.get("/api/v1/web-sessions").json()[0]["key"],
        a_token_key=a.get("/api/v1/tokens").json()[0]["key"],
    )


def _snapshot(app) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table a refused request must leave alone."""
    engine = app.state.web.runtime.engine
    with engine.connect() as connection:
        tables = sa.inspect(connection).get_table_names()
        return {
            table: sorted(
                (tuple(row) for row in connection.execute(sa.text(f'SELECT * FROM "{table}"'))),
                key=repr,
            )
            for table in tables
            if table not in KEPT_ANYWAY
        }


def _send(
    clinic: Clinic, actor: str, client: TestClient, page: bool, method: str, path: str, body: dict
):
    if page:
        if method == "GET":
            return client.get(path)
        return client.post(path, data={**body, "csrf": clinic.csrf(actor.split("'")[0])})
    return client.request(method, f"/api/v1{path}", json=body if method != "GET" else None)


PAGE_BODIES: dict[str, dict[str, str]] = {
    "/clinic/runners/{runner_id}/prescribe": {
        "exercise": "roll-down",
        "variant": "body-weight",
        "sets": "2",
        "amount": "5",
    },
    "/clinic/runners/{runner_id}/pin": {"exercise": "roll-down", "pinned": "1"},
    "/clinic/runners/{runner_id}/hand-over": {"to": "0"},
}
API_BODIES: dict[str, dict[str, object]] = {
    "/runners/{runner_id}/prescriptions": {
        "exercise": "roll-down",
        "variant": "body-weight",
        "sets": 2,
        "amount": 5,
    },
    "/runners/{runner_id}/pins": {"exercise": "roll-down", "pinned": True},
    "/runners/{runner_id}/hand-over": {"clinician_id": 0},
    "/runs/{activity_id}/effort": {"effort": 5},
}


def _rule_routes(rule: str) -> Iterator[tuple[bool, str, str, dict]]:
    for (method, path), given in sorted(PAGE_RULES.items()):
        if given == rule:
            yield True, method, path, dict(PAGE_BODIES.get(path, {}))
    for (method, path), given in sorted(API_RULES.items()):
        if given == rule:
            yield False, method, path, dict(API_BODIES.get(path, {}))


def test_nobody_reaches_anything_but_the_open_routes(sqlite_app):
    app = sqlite_app
    anonymous = TestClient(app, follow_redirects=False)
    forged = TestClient(app, follow_redirects=False, headers={"Authorization": "Bearer kc_x"})
    for (method, path), rule in sorted(API_RULES.items()):
        if rule == ANYONE:
            assert anonymous.request(method, f"/api/v1{path}").status_code == 200
            continue
        filled = path.replace("{key}", "ab").replace("{", "").replace("}", "")
        filled = filled.replace("runner_id", "1").replace("job_id", "1")
        filled = filled.replace("activity_id", "1").replace("clinician_id", "1")
        for client in (anonymous, forged):
            answer = client.request(method, f"/api/v1{filled}")
            assert answer.status_code == 401, (method, path, answer.status_code)


def test_a_runners_record_is_reached_by_the_clinician_who_follows_them_and_no_one_else(clinic):
    a = clinic.ids["runner A"]
    clinic.ids["other"] = clinic.ids["other clinician"]
    for page, method, path, body in _rule_routes(RUNNER):
        address = path.replace("{runner_id}", str(a))
        if "hand-over" in path:  # to someone who may take A: the other clinician
            body = {"to": str(a + 100)} if page else {"clinician_id": clinic.ids["other"]}
        for actor, client, is_page in clinic.everyone_but("clinician of A"):
            if is_page != page:
                continue
            before = _snapshot(clinic.app) if method != "GET" else None
            answer = _send(clinic, actor, client, page, method, address, body)
            assert answer.status_code == 404, (actor, method, path, answer.status_code)
            assert MARK not in answer.text, (actor, method, path)
            if before is not None:
                assert _snapshot(clinic.app) == before, (actor, method, path, "changed")
    for page, method, path, _body in _rule_routes(RUNNER):
        if method != "GET":
            continue
        address = path.replace("{runner_id}", str(a))
        client = clinic.pages["clinician of A"] if page else clinic.tokens["clinician of A"]
        answer = _send(clinic, "clinician of A", client, page, method, address, {})
        assert answer.status_code == 200, (method, path, answer.status_code)


def test_a_runners_own_things_are_not_found_for_anyone_else_and_left_alone(clinic):
    owned = {
        "{job_id}": clinic.job,
        "{activity_id}": str(clinic.activity),
        "{key}": clinic.a_session_key,
        "{clinician_id}": str(clinic.ids["clinician of A"]),
    }
    forms = {
        "/settings/sessions/end": {"key": clinic.a_session_key},
        "/settings/tokens/revoke": {"key": clinic.a_token_key},
        "/settings/clinicians/leave": {"clinician": str(clinic.ids["clinician of A"])},
    }
    reached = 0
    for page, method, path, body in _rule_routes(OWNED):
        address = path
        for hole, value in owned.items():
            address = address.replace(hole, value)
        if path == "/tokens/{key}":
            address = f"/tokens/{clinic.a_token_key}"
        body = {**body, **forms.get(path, {})}
        for actor, client, is_page in clinic.everyone_but("runner A"):
            if is_page != page:
                continue
            before = _snapshot(clinic.app) if method != "GET" else None
            answer = _send(clinic, actor, client, page, method, address, body)
            if answer.status_code == 409:  # an account without a profile: refused before
                assert actor.startswith(("owner", "clinician", "other")), (actor, path)
            else:
                assert answer.status_code == 404, (actor, method, path, answer.status_code)
            reached += 1
            assert MARK not in answer.text, (actor, method, path)
            if before is not None:
                assert _snapshot(clinic.app) == before, (actor, method, path, "changed")
    assert reached
    a_page, a_api = clinic.pages["runner A"], clinic.tokens["runner A"]
    assert a_page.get(f"/runs/jobs/{clinic.job}").status_code == 200
    assert a_page.get(f"/runs/jobs/{clinic.job}/progress").status_code == 200
    assert a_api.get(f"/api/v1/jobs/{clinic.job}").status_code == 200
    assert a_api.get(f"/api/v1/runs/{clinic.activity}").status_code == 200
    effort = a_api.put(f"/api/v1/runs/{clinic.activity}/effort", json={"effort": 5})
    assert effort.status_code == 200
    assert len(membership.my_clinicians(clinic.app.state.web.accounts, clinic.ids["runner A"]))
    ended = a_api.delete(f"/api/v1/web-sessions/{clinic.a_session_key}")
    assert ended.status_code == 204


def test_role_routes_answer_their_role_and_refuse_everyone_else(clinic):
    allowed = {
        CLINICIAN: ("clinician of A", "other clinician", "owner"),
        OWNER: ("owner",),
    }
    for rule, who in allowed.items():
        for page, method, path, body in _rule_routes(rule):
            for actor, client, is_page in clinic.everyone_but(*who):
                if is_page != page:
                    continue
                before = _snapshot(clinic.app) if method != "GET" else None
                answer = _send(clinic, actor, client, page, method, path, body)
                assert answer.status_code == (404 if page else 403), (actor, method, path)
                if before is not None:
                    assert _snapshot(clinic.app) == before, (actor, method, path, "changed")
            for actor in who:
                for is_page, client in ((True, clinic.pages[actor]), (False, clinic.tokens[actor])):
                    if is_page != page:
                        continue
                    answer = _send(clinic, actor, client, page, method, path, body)
                    assert answer.status_code in (200, 201, 303), (actor, method, path)
                    if actor != "clinician of A" and rule != OWNER:
                        assert MARK not in answer.text, (actor, method, path)


def test_no_one_elses_reads_show_a_trace_of_runner_a(clinic):
    """Runner B, the clinician who does not follow A, and their tokens: no read of their own
    record, the library or the clinic shows A's name or email."""
    readers = ("runner B", "other clinician")
    for rule in (OWN, CATALOGUE, CLINICIAN):
        for page, method, path, _body in _rule_routes(rule):
            if method != "GET" or path in SLOW_READS:
                continue
            address = path.replace("{key}", "roll-down").replace("{name}", "sessions.csv")
            for actor in readers:
                client = clinic.pages[actor] if page else clinic.tokens[actor]
                answer = _send(clinic, actor, client, page, method, address, {})
                assert answer.status_code < 500, (actor, path, answer.status_code)
                assert MARK not in answer.text, (actor, path)
                assert MARK not in answer.headers.get("location", ""), (actor, path)


HOSTILE = [
    "x" * 70_000,  # oversized
    "",
    "-1",
    "1e309",
    "NaN",
    "12abc",
    "٣",  # a digit, but not an ASCII one
    "１２",  # full-width digits
    "9" * 40,
    "9" * 18,  # a whole number, past any record's id
    "\u202eevil\u200b",  # a right-to-left override and a zero-width space
    "\x00",
    "💥" * 300,
    "<script>alert(1)</script>",
]
"""What a hostile form field holds: too much, nothing, the wrong type, unicode tricks."""
NOT_TRIED = {"/logout", "/settings/sessions/end"}
"""Forms that end the session they are sent from whatever else they hold."""


class _Forms(HTMLParser):
    """The post forms of a page: their action and fields (name, value)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._open: list[tuple[str, str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "form" and found.get("method", "get").lower() == "post":
            self._open = []
            self.forms.append((found.get("action", ""), self._open))
        elif self._open is not None and tag in ("input", "select", "textarea"):
            kind = found.get("type", "text")
            if found.get("name") and kind not in ("submit", "file"):
                if kind in ("checkbox", "radio") and "checked" not in found:
                    return
                self._open.append((found["name"], found.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def _forms(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def test_every_form_field_shown_takes_hostile_input_without_a_server_error(clinic):
    """Every post form the pages show — to a runner, a clinician, the owner and someone not
    signed in — with each of its fields in turn given hostile input: an answer in words
    (a 4xx, a redirect or the page again), never a 500 or a trace."""
    a = clinic.ids["runner A"]
    shown_to = {
        "runner A": [p for (m, p), r in PAGE_RULES.items() if m == "GET" and r == OWN],
        "clinician of A": [
            "/clinic",
            "/clinic/clinicians",
            f"/clinic/runners/{a}",
            f"/clinic/runners/{a}/hand-over",
        ],
        "owner": ["/clinic/clinicians", "/audit"],
    }
    forms: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for actor, addresses in shown_to.items():
        for address in addresses:
            if "{" in address or address.endswith((".pdf", ".json", ".zip", ".ics")):
                continue
            page = clinic.pages[actor].get(address)
            for action, fields in _forms(page.text):
                forms.setdefault((actor, action), fields)
    anonymous = TestClient(clinic.app, follow_redirects=False)
    for address in ("/login", "/reset"):
        for action, fields in _forms(anonymous.get(address).text):
            forms.setdefault(("anonymous", action), fields)
    assert len(forms) >= 25, sorted(forms)
    tried = 0
    for (actor, action), fields in sorted(forms.items()):
        if action in NOT_TRIED:
            continue
        client = anonymous if actor == "anonymous" else clinic.pages[actor]
        for name in {n for n, _ in fields if n != "csrf"}:
            for value in HOSTILE:
                sent = [(n, value if n == name else v) for n, v in fields]
                answer = client.post(action, data=dict(_grouped(sent)))
                tried += 1
                assert answer.status_code < 500, (actor, action, name, value[:20])
                assert "Traceback" not in answer.text, (actor, action, name)
    assert tried > 200
    for actor in shown_to:  # still signed in: no hostile post ended the session it came from
        assert clinic.pages[actor].get("/settings/account").status_code == 200, actor


def _grouped(fields: list[tuple[str, str]]) -> Iterator[tuple[str, str | list[str]]]:
    """A form's fields as a post sends them: a name given more than once, as a list."""
    names: dict[str, list[str]] = {}
    for name, value in fields:
        names.setdefault(name, []).append(value)
    for name, values in names.items():
        yield name, values if len(values) > 1 else values[0]
