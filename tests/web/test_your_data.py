"""Your data on the web and through the API: every export to download (reads that write
nothing, as attachments of the right type), and a backup to restore — checked completely
first, refused with the reason and nothing changed, or restored with what was added."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from fastapi.testclient import TestClient

from kneecoach.services.exports import CSV_COLUMNS
from tests.web.conftest import BOTH_DATABASES, PASSWORD, csrf, post_open_form
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join

DATABASES = BOTH_DATABASES

DOWNLOADS = {
    "/settings/data/backup.json": "application/json",
    "/settings/data/fhir.json": "application/fhir+json",
    "/settings/data/csv.zip": "application/zip",
    "/settings/data/csv/sessions.csv": "text/csv; charset=utf-8",
    "/settings/data/calendar.ics": "text/calendar; charset=utf-8",
}


def _revision(app, client) -> int:
    web = app.state.web
    return web.accounts.session(client.cookies["kc_session"], web.clock.now()).revision


def _log_a_session(client) -> None:
    token = csrf(client.get("/today").text)
    logged = client.post("/log", data={"csrf": token, "pain": "2"})
    assert logged.status_code == 303, logged.text


def _restore(client, data: bytes, name: str = "backup.json", token: str | None = None):
    token = token or csrf(client.get("/settings/data").text)
    return client.post(
        "/settings/data/restore",
        data={"csrf": token},
        files={"backup": (name, data, "application/json")},
    )


def test_the_settings_page_leads_to_your_data(owner):
    assert 'href="/settings/data"' in owner.get("/settings").text


def test_your_data_offers_every_download_and_a_restore_form(owner):
    page = owner.get("/settings/data").text
    for url in DOWNLOADS:
        assert f'href="{url}"' in page
    for name in CSV_COLUMNS:
        assert f'href="/settings/data/csv/{name}"' in page
    assert 'href="/sheet.pdf"' in page and 'href="/sheet"' in page
    assert 'enctype="multipart/form-data"' in page and 'name="backup"' in page


@pytest.mark.parametrize(("url", "media_type"), DOWNLOADS.items())
def test_each_download_is_an_attachment_of_its_type_and_writes_nothing(app, owner, url, media_type):
    _log_a_session(owner)
    before = _revision(app, owner)
    response = owner.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == media_type
    assert re.fullmatch(r'attachment; filename="[\w.-]+"', response.headers["content-disposition"])
    assert _revision(app, owner) == before


def test_the_csv_archive_holds_the_four_files_with_the_session_logged(owner):
    _log_a_session(owner)
    archive = zipfile.ZipFile(io.BytesIO(owner.get("/settings/data/csv.zip").content))
    assert archive.namelist() == list(CSV_COLUMNS)
    sessions = archive.read("sessions.csv").decode().splitlines()
    assert sessions[0] == ",".join(CSV_COLUMNS["sessions.csv"])
    assert len(sessions) == 1 + 27


def test_an_unknown_csv_file_is_not_found(owner):
    assert owner.get("/settings/data/csv/passwords.csv").status_code == 404


def test_downloads_before_setting_up_lead_to_onboarding(client):
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    response = client.get("/settings/data/backup.json")
    assert response.status_code == 303 and response.headers["location"] == "/onboarding"


def test_restoring_your_own_backup_adds_nothing(app, owner):
    _log_a_session(owner)
    data = owner.get("/settings/data/backup.json").content
    before = _revision(app, owner)
    page = _restore(owner, data)
    assert page.status_code == 200
    assert "0 records added from backup.json" in page.text
    assert _revision(app, owner) == before


def test_a_backup_restores_into_a_second_account_with_what_was_added(app, owner):
    _log_a_session(owner)
    data = owner.get("/settings/data/backup.json").content
    ben = _join(app, _invite(owner), "ben")
    page = _restore(ben, data)
    assert page.status_code == 200 and "Backup restored" in page.text
    assert re.search(r"<td>sessions</td><td>1</td><td>0</td>", page.text)
    history = ben.get("/history").text
    assert "2/10" in history


def test_a_bad_backup_gets_a_page_naming_the_problem_and_changes_nothing(app, owner):
    document = json.loads(owner.get("/settings/data/backup.json").content)
    document["tables"]["profiles"][0]["sessions_per_week"] = 9
    before = _revision(app, owner)
    page = _restore(owner, json.dumps(document).encode())
    assert page.status_code == 400
    assert "tables.profiles[0].sessions_per_week: must be from 1 to 7, got 9" in page.text
    assert _revision(app, owner) == before


def test_a_cut_short_backup_is_refused_with_the_place(owner):
    data = owner.get("/settings/data/backup.json").content
    page = _restore(owner, data[:-40], name="short.json")
    assert page.status_code == 400
    assert "short.json: not valid JSON at line" in page.text and "cut short" in page.text


def test_a_restore_without_a_file_is_refused_plainly(owner):
    token = csrf(owner.get("/settings/data").text)
    page = owner.post("/settings/data/restore", data={"csrf": token})
    assert page.status_code == 400 and "choose a backup file" in page.text


def test_a_restore_without_the_forms_token_is_forbidden(app, owner):
    before = _revision(app, owner)
    response = _restore(owner, b"{}", token="forged")
    assert response.status_code == 403
    assert _revision(app, owner) == before


def test_the_api_exports_what_the_pages_do(app, owner):
    _log_a_session(owner)
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    archive = api.get("/api/v1/export/csv")
    assert archive.headers["content-type"] == "application/zip"
    assert (
        zipfile.ZipFile(io.BytesIO(archive.content)).read("sessions.csv")
        == owner.get("/settings/data/csv/sessions.csv").content
    )
    fhir = api.get("/api/v1/export/fhir")
    assert fhir.headers["content-type"] == "application/fhir+json"
    assert fhir.json()["resourceType"] == "Bundle"
    backup = api.get("/api/v1/export/backup")
    assert backup.headers["content-type"] == "application/json"
    assert backup.json()["tables"]["sessions"][0]["pain_during"] == 2


def test_the_api_restores_a_backup_as_the_command_line_reports_it(app, owner):
    _log_a_session(owner)
    backup = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"}).get(
        "/api/v1/export/backup"
    )
    ben = _join(app, _invite(owner), "ben")
    ben_api = TestClient(app, headers={"Authorization": f"Bearer {_token(ben)}"})
    first = ben_api.post("/api/v1/backup", content=backup.content)
    assert first.status_code == 200
    assert set(first.json()) == {"added", "skipped"} and first.json()["added"]["sessions"] == 1
    again = ben_api.post("/api/v1/backup", content=backup.content).json()
    assert sum(again["added"].values()) == 0


def test_the_api_refuses_a_bad_backup_with_the_reason(app, owner):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    refused = api.post("/api/v1/backup", json={"format": "zip"})
    assert refused.status_code == 422 and "not a kneecoach backup" in refused.json()["detail"]
    assert api.post("/api/v1/backup", content=b"{").status_code == 400
    assert TestClient(app).get("/api/v1/export/backup").status_code == 401
