"""The clinic dashboard as triage: runners ordered by urgency (a pause, then a session that
was too much, an AKPS worse by the MCID, a load spike, no session for a week), each row with
its single most urgent reason and a count of the others, a ratio spike one line for its
whole span with the ratio's caveat shown once on the page; the runner's page has the rest."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.domain.load import RATIO_CAVEAT
from kneecoach.web.app import create_app
from tests.conftest import TODAY
from tests.helpers import Calendar
from tests.web.conftest import csrf, import_on_the_page, set_up_owner
from tests.web.test_api import _token
from tests.web.test_browser import _gpx
from tests.web.test_clinic import _invite, _join

PAUSED, SPIKED, AWAY, WELL = "zoe", "abe", "cal", "dan"
"""Named so that no order by name would put the paused runner first."""
SPIKE = re.compile(r"Acute:chronic ratio from (\d\d \w{3}) to (\d\d \w{3}), peak (\d\.\d\d)")


def seed_triage_clinic(app: Any, clock: Calendar) -> TestClient:
    """ana, the owner (a clinician with a program of her own), follows zoe, paused today by
    pain of 8/10; abe, whose runs went from one every fourth day to one every day for the last
    eleven days (a ratio spike over a week and more), logging today's session; and cal,
    whose last session was ten days ago; and dan, who joined today with nothing to look at.
    Gives ana's client, the clock left on today."""
    clock.day = TODAY - dt.timedelta(days=12)
    owner = set_up_owner(TestClient(app, follow_redirects=False))
    cal = _join(app, _invite(owner), AWAY)
    clock.day = TODAY - dt.timedelta(days=10)
    cal.post("/log", data={"csrf": csrf(cal.get("/today").text), "pain": "2", "effort": "4"})
    clock.day = TODAY
    abe = _join(app, _invite(owner), SPIKED)
    days = [*range(60, 15, -4), *range(10, -1, -1)]
    files = [
        ("files", (f"{n}.gpx", _gpx(TODAY - dt.timedelta(days=n), 5).encode(), "application/gpx"))
        for n in days
    ]
    assert "added" in import_on_the_page(abe, files).text
    abe.post("/log", data={"csrf": csrf(abe.get("/today").text), "pain": "2", "effort": "4"})
    zoe = _join(app, _invite(owner), PAUSED)
    zoe.post("/log", data={"csrf": csrf(zoe.get("/today").text), "pain": "8", "effort": "5"})
    _join(app, _invite(owner), WELL)
    return owner


def _clinic(tmp_path) -> TestClient:
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
            "KNEECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'kneecoach.db'}",
        }
    )
    clock = Calendar(TODAY)
    return seed_triage_clinic(create_app(settings, clock=clock), clock)


def _rows(html: str) -> list[tuple[str, str]]:
    """Each runner's row of the dashboard: the name and the text of the row, in order."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        name = re.search(r'href="/clinic/runners/\d+">(\w+)<', row).group(1)
        rows.append((name, " ".join(unescape(re.sub(r"<[^>]+>", " ", row)).split())))
    return rows


def _span_days(first: str, last: str) -> int:
    """Days from the first to the last day of a span the page names without years (it ends
    by today, so a first day after the last is in the year before)."""
    start, end = (
        dt.datetime.strptime(f"{d} {TODAY.year}", "%d %b %Y").date() for d in (first, last)
    )
    if start > end:
        start = start.replace(year=start.year - 1)
    return (end - start).days + 1


def test_a_paused_runner_comes_first_and_a_week_long_spike_is_one_line(tmp_path):
    ana = _clinic(tmp_path)
    page = ana.get("/clinic").text
    rows = _rows(page)
    assert [name for name, _ in rows] == [PAUSED, SPIKED, AWAY, WELL]
    paused, spiked, away, _ = (text for _, text in rows)
    assert paused.startswith("paused:")
    assert "Acute:chronic ratio" not in paused
    [(first, last, peak)] = SPIKE.findall(spiked)  # one line for the whole spike
    assert _span_days(first, last) >= 7 and float(peak) >= 1.5
    assert spiked.count("Acute:chronic ratio") == 1
    assert "no session for 10 days" in away
    assert rows[-1][1].startswith("none")  # a runner with no reason says so
    # the ratio's caveat once on the page, not once a row or a day
    assert unescape(page).count(RATIO_CAVEAT.text) == 1


def test_a_clinic_with_a_paused_runner_and_no_spike_shows_no_ratio_caveat(tmp_path):
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
            "KNEECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'kneecoach.db'}",
        }
    )
    app = create_app(settings, clock=Calendar(TODAY))
    owner = set_up_owner(TestClient(app, follow_redirects=False))
    zoe = _join(app, _invite(owner), PAUSED)
    zoe.post("/log", data={"csrf": csrf(zoe.get("/today").text), "pain": "8", "effort": "5"})
    page = owner.get("/clinic").text
    [(name, row)] = _rows(page)
    # the pause's line names its signs, not the advice in full, yet it is no ratio spike
    assert name == PAUSED and row.startswith("paused:")
    assert RATIO_CAVEAT.text not in unescape(page)


def test_each_row_names_the_most_urgent_reason_and_counts_the_rest_on_the_runners_page(tmp_path):
    ana = _clinic(tmp_path)
    page = ana.get("/clinic").text
    reasons = dict(_rows(page))
    # zoe was paused by pain 8/10 and her last session was too much: the pause is named,
    # the other counted, and her page lists both
    assert reasons[PAUSED].startswith("paused:")
    assert "last session too much" not in reasons[PAUSED]
    more = re.search(
        rf'<a class="more" href="(/clinic/runners/\d+#warnings)">and (\d) more for {PAUSED}</a>',
        page,
    )
    assert more is not None and int(more.group(2)) >= 1
    detail = " ".join(unescape(re.sub(r"<[^>]+>", " ", ana.get(more.group(1)).text)).split())
    assert "Needs a look" in detail
    assert "paused:" in detail and "last session too much: pain during reached 8/10" in detail
    assert f"more for {AWAY}" not in page  # one reason: nothing more to count


def test_the_api_keeps_every_warning_in_full_with_its_caveat(tmp_path):
    ana = _clinic(tmp_path)
    api = TestClient(ana.app, headers={"Authorization": f"Bearer {_token(ana)}"})
    runners = {r["name"]: r for r in api.get("/api/v1/runners").json()}
    spike = [w for w in runners[SPIKED]["warnings"] if "Acute:chronic ratio" in w["text"]]
    assert len(spike) == 1 and RATIO_CAVEAT.text in spike[0]["text"]
    assert runners[PAUSED]["attention"] == "paused"
    assert any(
        w["text"].startswith("no session for 10 days") and w["sources"]
        for w in runners[AWAY]["warnings"]
    )
