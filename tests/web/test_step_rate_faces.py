"""Step-rate coaching on every face: the terminal's `--json` and the API give the same
figures for return to running and the load, and the pages show the target with its sources,
the weak-evidence note and (for the run of the day) a metronome."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html

from fastapi.testclient import TestClient

from kneecoach.domain.steprate import NO_CADENCE, WEAK_EVIDENCE
from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity
from tests.web.conftest import csrf, import_on_the_page
from tests.web.test_api import _token
from tests.web.test_same_figures import terminal  # noqa: F401 (a fixture)


def _upload(client, cadences: dict[int, int]) -> None:
    """Runs ``days ago -> per-foot cadence`` uploaded as watch files."""
    files = []
    for ago, cadence in cadences.items():
        start = dt.datetime.combine(TODAY - dt.timedelta(days=ago), dt.time(7), dt.UTC)
        points = [
            dataclasses.replace(p, cadence=cadence)
            for p in run_points(int(start.timestamp()), 900, seed=ago)
        ]
        files.append(("files", (f"{ago}.fit", write_activity(points), "application/x-fit")))
    page = import_on_the_page(client, files)
    assert page.status_code == 200


def _start_running(client) -> None:
    token = csrf(client.get("/return-to-run").text)
    met = {"csrf": token, "walk": "yes", "squats": "10", "hops": "10", "test_pain": "0"}
    assert client.post("/return-to-run/check", data=met).status_code == 303


def test_the_terminal_and_the_api_give_the_same_step_rate_figures(owner, app, terminal):  # noqa: F811
    _upload(owner, {6: 80, 4: 82, 2: 84})
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    back = terminal("return-to-run")
    assert api.get("/api/v1/return-to-run").json() == back
    step = back["step_rate"]
    assert (step["unit"], step["baseline"], step["runs"], step["target"], step["ceiling"]) == (
        "steps/min",
        164.0,
        3,
        172,
        180,
    )
    assert (
        step["latest"] == 168.0 and step["latest_on"] == (TODAY - dt.timedelta(days=2)).isoformat()
    )
    assert step["weak_evidence"] == WEAK_EVIDENCE
    assert any("Bramah" in s for s in step["sources"]) and step["advice"]["sources"]
    assert step["definition"]["sources"] == ["kneecoach default"]
    load = terminal("load")
    assert api.get("/api/v1/load").json() == load
    today = load[-1]
    assert (today["step_rate_baseline"], today["step_rate_target"], today["step_rate_ceiling"]) == (
        164.0,
        172,
        180,
    )
    assert today["step_rate"] is None and today["step_rate_sources"] == step["sources"]
    ran = next(day for day in load if day["date"] == (TODAY - dt.timedelta(days=2)).isoformat())
    assert ran["step_rate"] == 168.0


def test_without_cadence_the_json_says_why_and_keeps_every_field(owner, app, terminal):  # noqa: F811
    back = terminal("return-to-run")
    assert back["step_rate"]["target"] is None and back["step_rate"]["message"] == NO_CADENCE
    assert back["step_rate"]["advice"] is None and back["step_rate"]["weak_evidence"]


def test_the_load_page_shows_the_target_its_sources_and_the_weak_evidence_note(owner):
    _upload(owner, {6: 80, 4: 82, 2: 84})
    page = html.unescape(owner.get("/load").text)
    assert "Step rate" in page and "target <strong data-step-target>172</strong>" in page
    assert "Heiderscheit 2011; Willson 2014; Bramah 2019" in page and WEAK_EVIDENCE in page
    assert 'id="metronome"' not in page


def test_the_run_of_the_day_offers_a_metronome_at_the_target(owner):
    _upload(owner, {6: 80, 4: 82, 2: 84})
    assert 'id="metronome"' not in owner.get("/return-to-run").text  # not before running starts
    _start_running(owner)
    page = owner.get("/return-to-run").text
    assert 'id="metronome" data-bpm="172"' in page
    assert '<script src="/static/metronome.js" defer></script>' in page
    assert "screen locks" in page
    script = owner.get("/static/metronome.js")
    assert script.status_code == 200 and "AudioContext" in script.text


def test_without_cadence_the_pages_say_so_and_offer_no_metronome(owner):
    _start_running(owner)
    page = html.unescape(owner.get("/return-to-run").text)
    assert NO_CADENCE in page and 'id="metronome"' not in page
