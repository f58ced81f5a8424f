"""Back in the race through the terminal, on a fixed clock moved day by day
(KNEECOACH_TODAY): a runner finishing return to running plans a 10 km race in 10 weeks; a
flare in week 4 repeats the week, a second steps back; a marathon in 4 weeks from 5 km a
week is refused with what is reachable; imported runs fill done_km."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cli.conftest import SCRIPTED_INIT
from tests.fitwriter import run_points, write_activity

pytestmark = pytest.mark.own_dates

START = dt.date(2026, 11, 23)
"""A Monday: the program starts (SCRIPTED_INIT's --start)."""
ABOUT_5_KM = 1650
"""Seconds of a run at about 3 m/s that cover about 5 km."""


@pytest.fixture
def on(kc, monkeypatch):
    def run(day: dt.date, *args: str):
        monkeypatch.setenv("KNEECOACH_TODAY", day.isoformat())
        return kc(*args)

    assert run(START, *SCRIPTED_INIT).code == 0
    return run


def _import(on, folder, day: dt.date, days, seconds=ABOUT_5_KM):
    folder.mkdir()
    for index, ran_on in enumerate(days):
        start = dt.datetime.combine(ran_on, dt.time(7), dt.UTC)
        points = run_points(int(start.timestamp()), seconds, seed=index)
        (folder / f"{index}.fit").write_bytes(write_activity(points))
    assert on(day, "runs", "import", str(folder)).code == 0


def _within_limits(plan) -> None:
    before = plan["goal"]["start_km"]
    for week in plan["weeks"]:
        assert week["distance_km"] <= before * 1.3 + 1e-9, week
        before = week["distance_km"]
    taper, race_week = plan["weeks"][-2:]
    peak = max(w["distance_km"] for w in plan["weeks"][:-2])
    assert taper["kind"] == "taper" and race_week["kind"] == "race"
    assert race_week["distance_km"] < taper["distance_km"] < peak
    cut = 1 - (taper["distance_km"] + race_week["distance_km"]) / (2 * plan["peak_km"])
    assert 0.41 <= cut <= 0.60  # Bosquet 2007


def test_finishing_return_to_running_a_10k_in_ten_weeks_is_planned_within_limits_and_runs_fill_it(
    on, tmp_path
):
    day = START + dt.timedelta(days=1)
    assert (
        on(
            day, "return-to-run", "--walk-ok", "--squats", "10", "--hops", "10", "--test-pain", "0"
        ).code
        == 0
    )
    while not on(day, "return-to-run", "--json").json["finished"]:
        day += dt.timedelta(days=2)
        assert on(day, "return-to-run", "--ran").code == 0
        assert on(day + dt.timedelta(days=1), "checkin", "--pain", "1").code == 0
    monday = day + dt.timedelta(days=7 - day.weekday())
    race_on = monday + dt.timedelta(weeks=10, days=5)
    made = on(monday, "race", "set", "--date", race_on.isoformat(), "--distance", "10k", "--json")
    assert made.code == 0, made.err
    plan = made.json
    assert plan["reachable"] is True and plan["goal"]["start_km"] == 9.6  # 3.2 km, 3 a week
    _within_limits(plan)
    assert plan["weeks"][0]["monday"] == monday.isoformat()
    assert plan["weeks"][-1]["race_km"] == 10
    assert all(w["strength_sessions"] == 3 for w in plan["weeks"])
    assert any("Bosquet" in s for s in plan["sources"])
    shown = on(monday, "race", "plan").flat
    assert "Race: 10 km on" in shown and "taper" in shown

    tuesday = monday + dt.timedelta(days=1)
    today = on(tuesday, "today", "--json").json
    assert today["race_run"]["kind"] == "easy" and today["race_run"]["distance_km"] > 0
    assert "Race plan run of the day" in on(tuesday, "today").flat
    _import(on, tmp_path / "week1", tuesday, [tuesday])
    filled = on(tuesday, "race", "plan", "--json").json
    assert 4 <= filled["weeks"][0]["done_km"] <= 6
    assert all(w["done_km"] == 0 for w in filled["weeks"][1:])


def _run_the_days(on, first: dt.date, last: dt.date, pain_on) -> None:
    """Each morning the check-in; each run of the day on Today run and told about."""
    day = first
    while day <= last:
        assert on(day, "checkin", "--pain", "1").code == 0
        run = on(day, "today", "--json").json["race_run"]
        if run is not None:
            told = on(
                day, "race", "run", "--pain", str(pain_on(day)), "--km", str(run["distance_km"])
            )
            assert told.code == 0, told.err
        day += dt.timedelta(days=1)


def test_a_flare_in_week_four_repeats_the_week_and_a_second_steps_back(on, tmp_path):
    _import(
        on,
        tmp_path / "before",
        START,
        [START - dt.timedelta(days=d) for d in (26, 23, 19, 16, 12, 9, 5, 2)],
    )
    race_on = START + dt.timedelta(weeks=14, days=5)
    planned = on(START, "race", "set", "--date", race_on.isoformat(), "--distance", "10k", "--json")
    assert planned.json["reachable"], planned.json["reasons"]
    first = planned.json["weeks"]
    week4, week5 = START + dt.timedelta(weeks=3), START + dt.timedelta(weeks=4)

    def pain_on(day: dt.date) -> int:
        return 6 if day in (week4 + dt.timedelta(days=1), week5 + dt.timedelta(days=1)) else 2

    _run_the_days(on, START, week5 - dt.timedelta(days=1), pain_on)
    after_one = on(week5, "race", "plan", "--json").json
    weeks = after_one["weeks"]
    assert all(w["note"] == "" for w in weeks[:3])
    assert all(w["done_km"] >= w["distance_km"] * 0.9 for w in weeks[:3])
    assert weeks[3]["note"].startswith("repeated") and "6/10" in weeks[3]["note"]
    assert weeks[4]["distance_km"] == weeks[3]["distance_km"] < first[4]["distance_km"]
    assert "Race plan" in on(week5, "race", "plan").flat

    _run_the_days(on, week5, week5 + dt.timedelta(days=6), pain_on)
    after_two = on(week5 + dt.timedelta(weeks=1), "race", "plan", "--json").json
    weeks = after_two["weeks"]
    assert weeks[4]["note"].startswith("steps back")
    assert weeks[5]["distance_km"] < weeks[4]["distance_km"]
    assert after_two["reachable"] is True
    _within_limits(after_two)
    assert any("steps back a week" in reason for reason in after_two["reasons"])


def test_a_marathon_in_four_weeks_from_5_km_a_week_is_refused_with_what_is_reachable(on, tmp_path):
    _import(on, tmp_path / "before", START, [START - dt.timedelta(days=d) for d in (23, 16, 9, 2)])
    race_on = START + dt.timedelta(weeks=4, days=6)
    refused = on(
        START, "race", "set", "--date", race_on.isoformat(), "--distance", "42.2k", "--json"
    )
    assert refused.code == 0, refused.err
    plan = refused.json
    assert plan["reachable"] is False and plan["weeks"] == []
    assert 4 <= plan["goal"]["start_km"] <= 6
    assert dt.date.fromisoformat(plan["earliest_date"]) > race_on
    assert any("earliest marathon" in reason for reason in plan["reasons"])
    shown = on(START, "race", "plan").flat
    assert "Not reachable within the limits" in shown and "earliest marathon" in shown
    assert on(START + dt.timedelta(days=1), "today", "--json").json["race_run"] is None
