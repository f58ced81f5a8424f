from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from tests.conftest import TODAY, fresh_database

PASSWORD = "correct horse battery"


BOTH_DATABASES = ("sqlite", "postgres")
"""What a test module sets as its ``DATABASES`` for its app to run on PostgreSQL too."""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The app of a test runs on SQLite, and on PostgreSQL too in the modules whose
    ``DATABASES`` say so: the API, the security and exactly-once tests, the clinic, the
    audit and the data a runner takes out or brings back, where the database's own rules
    (its integers, its locks, its order) can show. A page reaches the database only through
    the services, whose storage is held to one contract on both (tests/storage); its
    PostgreSQL twin took CI time and found nothing the others do not."""
    if "app" not in metafunc.fixturenames or hasattr(metafunc.module, "app"):
        return  # a module with an app of its own
    kinds = getattr(metafunc.module, "DATABASES", ("sqlite",))
    metafunc.parametrize(
        "app",
        [
            pytest.param(kind, marks=pytest.mark.postgres) if kind == "postgres" else kind
            for kind in kinds
        ],
        indirect=True,
    )


@pytest.fixture
def app(request, tmp_path):
    """The web app on a fresh database of the kind the test is run on (see above)."""
    url = fresh_database(request.param, request, tmp_path)
    settings = load_settings(
        {"KNEECOACH_DATA_DIR": str(tmp_path / "data"), "KNEECOACH_DATABASE_URL": url}
    )
    return create_app(settings, clock=FixedClock(TODAY))


@pytest.fixture
def client(app):
    return TestClient(app, follow_redirects=False)


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def post_json(client, path: str, body: object):
    """A JSON post as the page's own script sends it: with the page's form token."""
    token = csrf(client.get("/today").text)
    return client.post(path, json=body, headers={"X-CSRF-Token": token})


def post_open_form(client, path: str, **data: str):
    """Post a form that is filled in before signing in (setup, log-in, joining) as a browser
    does: with the anti-forgery token its page handed out."""
    for page in (path, "/login", "/setup"):
        shown = client.get(page)
        if shown.status_code == 200 and 'name="csrf"' in shown.text:
            return client.post(path, data={**data, "csrf": csrf(shown.text)})
    raise AssertionError(f"no form with a token on the way to {path}")


@pytest.fixture
def owner(client):
    """An owner signed in, with a profile: the usual state of a runner's browser."""
    return set_up_owner(client)


def set_up_owner(client):
    """Set up the first account (the owner, ana) and onboard it as a runner: every day a
    session (seven a week), no red flag."""
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    token = csrf(client.get("/onboarding").text)
    client.post(
        "/onboarding",
        data={
            "csrf": token,
            "knee": "left",
            "pain_rest": "1",
            "pain_running": "3",
            "equipment": ["low-bench", "wall", "pad", "resistance-band"],
            "sessions_per_week": "7",
            "no_red_flags": "1",
            "age_band": "16-50",
        },
    )
    return client


def run_jobs(app) -> int:
    """Run the jobs the app queued (imports), as its worker process would; how many ran."""
    from kneecoach.worker import Worker

    return Worker(app.state.web.runtime).run_until_idle()


def import_on_the_page(client, files, **data: str):
    """Upload files on the runs page as a browser does, let the worker run the import, and
    give the job's page, which then shows the import's report."""
    token = csrf(client.get("/runs").text)
    queued = client.post("/runs/import", data={"csrf": token, **data}, files=files)
    assert queued.status_code == 303, queued.text
    assert queued.headers["location"].startswith("/runs/jobs/")
    run_jobs(client.app)
    return client.get(queued.headers["location"])


def import_by_api(api, files) -> dict:
    """Upload files to the API, let the worker run the job, and give the job once done."""
    queued = api.post("/api/v1/runs", files=files)
    assert queued.status_code == 202, queued.text
    run_jobs(api.app)
    job = api.get(queued.headers["location"]).json()
    assert job["state"] == "done", job
    return job
