"""Runs and load on the pages and the API: the runner's units, each ratio with its band, the
caveat beside the ratio, and clear refusals."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.domain import load as L
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity
from tests.web.conftest import csrf, import_by_api, import_on_the_page
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join


@pytest.fixture
def app(tmp_path):
    """The web app of a runner who reads miles (KNEECOACH_UNITS=mi)."""
    settings = load_settings(
        {"KNEECOACH_DATA_DIR": str(tmp_path / "data"), "KNEECOACH_UNITS": "mi"}
    )
    return create_app(settings, clock=FixedClock(TODAY))


def _upload(client, offsets=(1, 3, 5)):
    files = []
    for offset in offsets:
        start = dt.datetime.combine(TODAY - dt.timedelta(days=offset), dt.time(7), dt.UTC)
        data = write_activity(run_points(int(start.timestamp()), 1200, seed=offset))
        files.append(("files", (f"{offset}.fit", data, "application/octet-stream")))
    import_on_the_page(client, files)
    return client.get("/runs")


def _api(app, client) -> TestClient:
    return TestClient(app, headers={"Authorization": f"Bearer {_token(client)}"})


def test_a_runner_who_reads_miles_sees_miles_on_the_runs_and_load_pages(owner):
    page = _upload(owner).text
    assert page.count(" mi</td>") == 3 and " km<" not in page
    assert "Pace (min/mi)" in page
    load = owner.get("/load").text
    assert "Weekly running distance (mi)" in load and "(km)" not in load


def test_the_api_gives_runs_and_load_in_miles_with_the_same_fields_as_the_command_line(app, owner):
    _upload(owner, offsets=range(1, 40, 2))
    api = _api(app, owner)
    runs = api.get("/api/v1/runs").json()
    assert len(runs) == 20 and runs[0]["start"] > runs[-1]["start"]
    assert {(r["distance_unit"], r["pace_unit"]) for r in runs} == {("mi", "min/mi")}
    assert runs[0]["distance"] == pytest.approx(runs[0]["distance_m"] / 1609.344, abs=1e-3)
    shown = api.get(f"/api/v1/runs/{runs[0]['id']}").json()
    assert shown["samples"] == 1200 and shown["laps"][0]["distance"] > 0
    days = api.get("/api/v1/load").json()
    assert days[-1]["date"] == TODAY.isoformat() and {d["unit"] for d in days} == {"mi"}
    assert sum(d["load"] for d in days) == pytest.approx(sum(r["distance"] for r in runs), rel=1e-3)
    assert days[-1]["acwr_caveat"]["sources"] and days[-1]["acwr_zones"]["rolling"]
    minutes = api.get("/api/v1/load", params={"unit": "duration"}).json()
    assert {d["unit"] for d in minutes} == {"min"}


def test_the_api_refuses_a_bad_load_unit_and_a_run_that_is_not_the_runners(app, owner):
    _upload(owner, offsets=(1,))
    api = _api(app, owner)
    refused = api.get("/api/v1/load", params={"unit": "calories"})
    assert refused.status_code == 422 and "distance, duration or session-rpe" in refused.text
    [run] = api.get("/api/v1/runs").json()
    ben = _join(app, _invite(owner), "ben")
    ben_api = _api(app, ben)
    assert ben_api.get(f"/api/v1/runs/{run['id']}").status_code == 404
    assert ben_api.get("/api/v1/runs").json() == [] and ben_api.get("/api/v1/load").json() == []


def test_the_load_page_shows_each_ratio_with_its_band_and_the_caveat_beside_it(app, owner):
    _upload(owner, offsets=range(1, 40, 2))
    days = _api(app, owner).get("/api/v1/load").json()
    page = owner.get("/load").text
    ratio = days[-1]["acwr_rolling"]
    zone = L.acwr_zone(ratio)
    assert f"<strong>{ratio:.2f}</strong>, {zone.label}".replace("'", "&#39;") in page
    caveat = page.index(L.RATIO_CAVEAT.text)
    assert "Lolli 2019; Impellizzeri 2021" in page[caveat:]
    assert page.index("Acute:chronic ratio today") < caveat
    shaded = re.findall(r"<rect [^>]*><title>([^<]+)</title>", page)
    assert shaded == [z.label.replace("'", "&#x27;") for z in L.NAMED_ZONES]
    named = re.findall(r'<text class="band-label"[^>]*>([^<]+)</text>', page)
    assert named == shaded  # each band labelled on the chart, as the view names it


def test_the_load_page_cites_banister_and_coggan_beside_fitness_and_fatigue(owner):
    _upload(owner)
    page = html.unescape(owner.get("/load").text)
    fitness = page.index("Fitness ")
    assert L.FITNESS_FATIGUE.text in page[fitness:]
    assert f"[{L.FITNESS_FATIGUE.labels}]" in page[fitness:]


def test_an_upload_without_files_says_so(owner):
    refused = owner.post("/runs/import", data={"csrf": csrf(owner.get("/runs").text)})
    assert refused.status_code == 400 and "Choose at least one file" in refused.text


def test_an_uploaded_file_is_kept_under_its_own_name_never_a_server_path(app, owner):
    import io
    import zipfile

    start = dt.datetime.combine(TODAY - dt.timedelta(days=2), dt.time(7), dt.UTC)
    fit = write_activity(run_points(int(start.timestamp()), 600, seed=2))
    export = io.BytesIO()
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("activities/42.fit", fit)
    files = [
        ("files", ("C:\\Users\\me\\watch.fit", fit, "application/octet-stream")),
        ("files", ("export.zip", export.getvalue(), "application/zip")),
    ]
    page = import_on_the_page(owner, files)
    text = html.unescape(page.text)
    # the same bytes under two names: one activity, both names its sources
    assert "2 files: 2 read, 0 failed · 2 activities found: 1 added, 1 merged" in text
    (run,) = _api(app, owner).get("/api/v1/runs").json()
    assert run["sources"] == ["export.zip/activities/42.fit", "watch.fit"]
    assert "kneecoach-upload" not in page.text


def test_a_failed_upload_is_named_with_its_reason_and_the_counts_add_up(app, owner):
    files = [("files", ("notes.gpx", b"<gpx><oops", "application/gpx+xml"))]
    page = import_on_the_page(owner, files)
    text = html.unescape(page.text)
    assert "1 file: 0 read, 1 failed." in text and "notes.gpx: not well-formed XML" in text
    report = import_by_api(_api(app, owner), files)["result"]
    assert (report["files"], report["read"], report["activities"]) == (1, 0, 0)
    assert report["failed"][0]["file"] == "notes.gpx"


def test_rides_and_walks_are_listed_as_cross_training_on_the_runs_page_and_in_the_api(app, owner):
    start = dt.datetime.combine(TODAY - dt.timedelta(days=3), dt.time(7), dt.UTC)
    ride = write_activity(run_points(int(start.timestamp()), 600, seed=5), sport=2)
    files = [("files", ("ride.fit", ride, "application/octet-stream"))]
    import_on_the_page(owner, files)
    page = owner.get("/runs")
    table = page.text[page.text.index('id="cross-training"') :]
    assert "cycle (cross-training)" in table and "ride.fit" in table
    api = _api(app, owner)
    assert api.get("/api/v1/runs").json() == []
    (listed,) = api.get("/api/v1/runs", params={"all_sports": True}).json()
    assert listed["cross_training"] is True and listed["sport_label"] == "cycle (cross-training)"
    assert "No runs yet." in page.text  # a ride is no run: nothing counted as running load


def test_return_to_running_gives_stage_distances_in_miles_first_for_a_runner_who_reads_miles(
    owner,
):
    token = csrf(owner.get("/return-to-run").text)
    met = {"csrf": token, "walk": "yes", "squats": "10", "hops": "10", "test_pain": "0"}
    assert owner.post("/return-to-run/check", data=met).status_code == 303
    page = owner.get("/return-to-run").text
    assert "<td>1 mi (1.6 km)</td>" in page and "1.6 km (1 mi)" not in page
