"""Imports as background jobs through the pages and the API: the upload streams to disk
under the data folder with a size limit (413 past it, nothing left behind), a job is
queued and followed on its page (live by script, by a link without) and in the API, and a
real worker process started with the app runs it."""

from __future__ import annotations

import datetime as dt
import html
import time

import pytest
from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from tests.conftest import TODAY, fresh_database
from tests.fitwriter import run_points, write_activity
from tests.web.conftest import (
    csrf,
    import_by_api,
    run_jobs,
    set_up_owner,
)
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join


def _settings(tmp_path, url: str, **more: str):
    return load_settings(
        {"KNEECOACH_DATA_DIR": str(tmp_path / "data"), "KNEECOACH_DATABASE_URL": url, **more}
    )


@pytest.fixture
def app(tmp_path):
    """The app on SQLite, taking uploads of at most 64 KB."""
    url = f"sqlite:///{tmp_path / 'kneecoach.db'}"
    return create_app(
        _settings(tmp_path, url, KNEECOACH_UPLOAD_LIMIT="64KB"), clock=FixedClock(TODAY)
    )


@pytest.fixture
def client(app):
    return TestClient(app, follow_redirects=False)


def _fit(days_ago: int = 1, seconds: int = 600) -> bytes:
    start = dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(7), dt.UTC)
    return write_activity(run_points(int(start.timestamp()), seconds, seed=days_ago))


def _kept_files(app) -> list[str]:
    root = app.state.web.settings.jobs_dir
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")) if root.exists() else []


def _api(app, client) -> TestClient:
    return TestClient(app, headers={"Authorization": f"Bearer {_token(client)}"})


def test_an_upload_waits_under_the_data_folder_by_the_names_given_until_the_worker_runs(app, owner):
    files = [("files", ("C:\\Users\\me\\watch.fit", _fit(), "application/octet-stream"))]
    queued = owner.post("/runs/import", data={"csrf": csrf(owner.get("/runs").text)}, files=files)
    assert queued.status_code == 303 and queued.headers["location"].startswith("/runs/jobs/")
    [folder, number, name] = _kept_files(app)
    assert folder.startswith("upload-") and number == f"{folder}/0001"
    assert name == f"{folder}/0001/watch.fit"
    waiting = owner.get(queued.headers["location"])
    assert "Waiting to start" in waiting.text
    assert f'href="{queued.headers["location"]}"' in waiting.text  # refreshed by hand
    assert "/static/job.js" in waiting.text and "<script>" not in waiting.text
    progress = owner.get(queued.headers["location"] + "/progress").json()
    assert (progress["state"], progress["files_total"], progress["ended"]) == ("queued", 1, False)

    assert run_jobs(app) == 1
    done = owner.get(queued.headers["location"])
    text = html.unescape(done.text)
    assert "1 file: 1 read, 0 failed · 1 activity found: 1 added" in text
    assert "job.js" in done.text and "data-progress" not in done.text  # nothing left to ask
    assert _kept_files(app) == []
    finished = owner.get(queued.headers["location"] + "/progress").json()
    assert finished["state"] == "done" and finished["result"]["added"] == 1


def test_an_upload_past_the_limit_is_refused_with_413_and_nothing_of_it_is_kept(app, owner):
    token = csrf(owner.get("/runs").text)
    big = b"<gpx>" + b" " * 200_000 + b"</gpx>"  # past 64 KB while it streams
    refused = owner.post("/runs/import", data={"csrf": token}, files=[("files", ("a.gpx", big))])
    assert refused.status_code == 413 and "larger than the limit of 64 KB" in refused.text
    huge = b" " * (2 * 1024 * 1024)  # refused by its length, before a byte is read
    refused = owner.post("/runs/import", data={"csrf": token}, files=[("files", ("b.gpx", huge))])
    assert refused.status_code == 413
    api = _api(app, owner)
    answer = api.post("/api/v1/runs", files=[("files", ("a.gpx", big))])
    assert answer.status_code == 413 and "64 KB" in answer.json()["detail"]
    assert _kept_files(app) == []
    assert api.get("/api/v1/runs").json() == []


def test_a_forged_upload_is_refused_and_nothing_of_it_is_kept(app, owner):
    files = [("files", ("a.fit", _fit(), "application/octet-stream"))]
    forged = owner.post("/runs/import", data={"csrf": "forged"}, files=files)
    assert forged.status_code == 403
    assert _kept_files(app) == []


def test_the_api_answers_202_with_the_job_which_only_its_runner_can_follow(app, owner):
    api = _api(app, owner)
    queued = api.post("/api/v1/runs", files=[("files", ("a.fit", _fit()))])
    assert queued.status_code == 202
    job = queued.json()
    assert queued.headers["location"] == job["url"] == f"/api/v1/jobs/{job['id']}"
    assert (job["state"], job["files_total"], job["result"]) == ("queued", 1, None)
    ben = _api(app, _join(app, _invite(owner), "ben"))
    assert ben.get(job["url"]).status_code == 404
    assert api.get("/api/v1/jobs/999999").status_code == 404
    again = import_by_api(api, [("files", ("a.fit", _fit()))])  # the worker runs both, in turn
    assert (again["result"]["added"], again["result"]["already_kept"]) == (0, 1)
    first = api.get(job["url"]).json()
    assert first["state"] == "done" and first["result"]["added"] == 1
    assert len(api.get("/api/v1/runs").json()) == 1  # the same file twice: one run
    assert api.post("/api/v1/runs", files=[]).status_code in (400, 422)


def test_the_api_documents_every_status_of_the_upload_and_the_job(app):
    schema = TestClient(app).get("/api/v1/openapi.json").json()
    upload = schema["paths"]["/runs"]["post"]
    assert {"202", "400", "401", "409", "413", "422"} <= set(upload["responses"])
    assert "multipart/form-data" in upload["requestBody"]["content"]
    job = schema["paths"]["/jobs/{job_id}"]["get"]
    assert {"200", "401", "404", "422"} <= set(job["responses"])


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_worker_process_started_with_the_app_runs_uploads_from_the_page_and_the_api(
    kind, request, tmp_path
):
    url = fresh_database(kind, request, tmp_path)
    app = create_app(_settings(tmp_path, url), clock=FixedClock(TODAY), workers=1)
    with TestClient(app, follow_redirects=False) as browser:
        set_up_owner(browser)
        files = [("files", (f"{d}.fit", _fit(d), "application/octet-stream")) for d in (1, 3)]
        token = csrf(browser.get("/runs").text)
        queued = browser.post("/runs/import", data={"csrf": token}, files=files)
        job = _wait(lambda: browser.get(queued.headers["location"] + "/progress").json())
        assert job["result"]["added"] == 2
        assert "2 files: 2 read, 0 failed" in html.unescape(
            browser.get(queued.headers["location"]).text
        )
        api = TestClient(app, headers={"Authorization": f"Bearer {_token(browser)}"})
        answer = api.post("/api/v1/runs", files=[("files", ("5.fit", _fit(5)))])
        assert answer.status_code == 202
        job = _wait(lambda: api.get(answer.headers["location"]).json())
        assert job["result"]["added"] == 1 and len(api.get("/api/v1/runs").json()) == 3
    assert _kept_files(app) == []


def _wait(ask, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while True:
        job = ask()
        if job["ended"]:
            assert job["state"] == "done", job
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
