"""``kneecoach race set|plan|clear``: the public interface, on the fixed clock."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cli.conftest import SCRIPTED_INIT
from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity

MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())
ABOUT_5_KM = 1650
"""Seconds of a run at about 3 m/s that cover about 5 km."""


def _import_runs(kc, folder, days, seconds=ABOUT_5_KM):
    folder.mkdir()
    for index, day in enumerate(days):
        start = dt.datetime.combine(day, dt.time(7), dt.UTC)
        points = run_points(int(start.timestamp()), seconds, seed=index)
        (folder / f"{index}.fit").write_bytes(write_activity(points))
    assert kc("runs", "import", str(folder)).code == 0


def _weekly_rises_within_limits(plan, start_km):
    before = start_km
    for week in plan["weeks"]:
        assert week["distance_km"] <= before * 1.3 + 1e-9
        before = week["distance_km"]


def test_a_10k_in_ten_weeks_from_10_km_a_week_is_planned_within_limits_with_a_taper(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    earlier = [MONDAY - dt.timedelta(days=28 - d) for d in (1, 4, 8, 11, 15, 18, 22, 25)]
    _import_runs(kc, tmp_path / "runs", [*earlier, TODAY])
    race_on = TODAY + dt.timedelta(weeks=10)
    made = kc("race", "set", "--date", race_on.isoformat(), "--distance", "10k", "--json")
    assert made.code == 0, made.err
    plan = kc("race", "plan", "--json").json
    assert plan == made.json
    assert plan["reachable"] is True
    start = plan["goal"]["start_km"]
    assert 9 <= start <= 11  # eight runs of about 5 km over the four weeks before
    _weekly_rises_within_limits(plan, start)
    weeks = plan["weeks"]
    assert weeks[0]["monday"] == MONDAY.isoformat()
    assert all(dt.date.fromisoformat(w["monday"]).weekday() == 0 for w in weeks)
    taper, race_week = weeks[-2], weeks[-1]
    assert taper["kind"] == "taper" and race_week["kind"] == "race"
    peak = max(w["distance_km"] for w in weeks)
    assert race_week["distance_km"] < taper["distance_km"] < peak
    assert dt.date.fromisoformat(race_week["monday"]) <= race_on
    assert race_on - dt.date.fromisoformat(race_week["monday"]) < dt.timedelta(weeks=1)
    assert {"runs", "long_run_km", "done_km"} <= set(weeks[0])
    assert 4 <= weeks[0]["done_km"] <= 6  # today's imported run counts against this week
    assert all(w["done_km"] == 0 for w in weeks[1:])
    assert any("Nielsen" in s for s in plan["sources"])
    assert any("Bosquet" in s for s in plan["sources"])
    assert "kneecoach default" in plan["sources"]


def test_a_marathon_in_four_weeks_from_5_km_a_week_is_refused_with_what_is_reachable(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    _import_runs(kc, tmp_path / "runs", [MONDAY - dt.timedelta(days=d) for d in (3, 10, 17, 24)])
    race_on = TODAY + dt.timedelta(weeks=4)
    plan = kc("race", "set", "--date", race_on.isoformat(), "--distance", "42.2k", "--json").json
    assert plan["reachable"] is False and plan["weeks"] == []
    assert plan["earliest_date"] > race_on.isoformat()
    assert any("earliest marathon" in r for r in plan["reasons"])
    shown = kc("race", "plan")
    assert shown.code == 0
    assert "Not reachable within the limits" in shown.out
    assert "earliest marathon" in shown.flat


def test_the_plan_shows_as_a_table_and_clear_forgets_the_goal(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    _import_runs(kc, tmp_path / "runs", [MONDAY - dt.timedelta(days=d) for d in (2, 5, 9, 12)])
    race_on = TODAY + dt.timedelta(weeks=12)
    set_out = kc(
        "race", "set", "--date", race_on.isoformat(), "--distance", "5k", "--target", "0:27:30"
    )
    assert set_out.code == 0 and "Race plan" in set_out.out and "target 0:27:30" in set_out.flat
    assert kc("race", "plan", "--json").json["goal"]["target"] == "0:27:30"
    cleared = kc("race", "clear")
    assert cleared.code == 0 and "cleared" in cleared.out
    after = kc("race", "plan", "--json").json
    assert after["goal"] is None and after["weeks"] == [] and after["reasons"]
    assert "no race goal" in kc("race", "clear").out.lower()


def test_a_pause_stops_the_race_plan_and_says_why(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    _import_runs(kc, tmp_path / "runs", [MONDAY - dt.timedelta(days=d) for d in (2, 5, 9, 12)])
    kc("race", "set", "--date", (TODAY + dt.timedelta(weeks=12)).isoformat(), "--distance", "5k")
    assert kc("checkin", "--pain", "2", "--swelling").code == 0
    plan = kc("race", "plan", "--json").json
    assert plan["stopped"] is True and plan["reachable"] is False and plan["weeks"] == []
    assert "paused" in plan["reasons"][0]
    assert "stopped" in kc("race", "plan").out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "someday", "--distance", "10k"), "--date"),
        (("--date", "2099-01-01", "--distance", "ten"), "the distance must be"),
        (("--date", "2099-01-01", "--distance", "500"), "from 1000 to 100000 metres"),
        (("--date", "2099-01-01", "--distance", "\u00b2"), "the distance must be"),
        (("--date", "2099-01-01", "--distance", "5k", "--target", "27:30"), "H:MM:SS"),
        (("--date", "2020-01-01", "--distance", "10k"), "the race date must be after"),
        (("--date", "9999-12-31", "--distance", "10k"), "at most about three years ahead"),
        (
            ("--date", (TODAY + dt.timedelta(days=4 * 365)).isoformat(), "--distance", "5k"),
            "at most about three years ahead",
        ),
        (("--date", "2099-01-01", "--distance", "5k", "--target", "100:00:00"), "under 100 hours"),
        (("--date", "2099-01-01", "--distance", "5k", "--target", "9" * 30 + ":00:00"), "H:MM:SS"),
        (("--date", "2099-01-01", "--distance", "5k", "--target", "9" * 5000 + ":00:00"), "H:MM"),
    ],
)
def test_bad_input_exits_2_with_one_line(kc, args, message):
    kc(*SCRIPTED_INIT)
    result = kc("race", "set", *args)
    assert result.code == 2
    assert result.err.startswith("kneecoach: error: ") and message in result.err
    assert kc("race", "plan", "--json").json["goal"] is None


def test_race_run_takes_the_pain_of_a_run_and_refuses_what_it_cannot_read(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    earlier = [MONDAY - dt.timedelta(days=28 - d) for d in (1, 4, 8, 11, 15, 18, 22, 25)]
    _import_runs(kc, tmp_path / "runs", earlier)
    race_on = TODAY + dt.timedelta(weeks=12)
    assert kc("race", "set", "--date", race_on.isoformat(), "--distance", "10k").code == 0
    for bad in (
        ("--pain", "11"),
        ("--pain", "3", "--date", (TODAY + dt.timedelta(days=1)).isoformat()),
        ("--pain", "3", "--km", "0"),
        ("--pain", "3", "--date", "someday"),
    ):
        refused = kc("race", "run", *bad)
        assert refused.code == 2 and refused.err.startswith("kneecoach: error:"), bad
    told = kc("race", "run", "--pain", "3", "--km", "4.5", "--json")
    assert told.code == 0 and told.json["reachable"] is True
    this_week = told.json["weeks"][0]
    assert this_week["done_km"] >= 4.5
    again = kc("race", "run", "--pain", "2")
    assert "Run kept: pain 2/10." in again.out
    assert kc("race", "plan", "--json").json["weeks"][0]["done_km"] == this_week["done_km"]
    paused = kc("race", "run", "--pain", "7", "--json")
    assert paused.code == 0 and paused.json["stopped"] is True
    assert kc("today", "--json").json["race_run"] is None


def test_a_clinicians_hold_is_named_in_the_plan_and_the_runners_own_changes_keep_it(kc, tmp_path):
    import dataclasses

    from kneecoach.cli.common import forget_runtime, runner
    from kneecoach.domain.race import Call
    from kneecoach.services import race
    from kneecoach.services.context import Visitor

    kc(*SCRIPTED_INIT)
    earlier = [MONDAY - dt.timedelta(days=28 - d) for d in (1, 4, 8, 11, 15, 18, 22, 25)]
    _import_runs(kc, tmp_path / "runs", earlier)
    race_on = TODAY + dt.timedelta(weeks=10)
    assert kc("race", "set", "--date", race_on.isoformat(), "--distance", "10k").code == 0
    unheld = kc("race", "plan", "--json").json
    assert unheld["held_by"] is None and unheld["clinician_decisions"] == []
    assert unheld["goal"]["set_by"] is None
    forget_runtime()
    race.decide(dataclasses.replace(runner(), visitor=Visitor(9, "dr lee", "::1")), Call.HOLD)
    forget_runtime()
    held = kc("race", "plan", "--json").json
    assert held["held_by"] == "dr lee" and held["held_since"] == TODAY.isoformat()
    assert held["clinician_decisions"] == [
        {"decision": "hold", "date": TODAY.isoformat(), "by": "dr lee"}
    ]
    assert {"reachable", "reasons", "sources", "weeks"} <= set(held)  # the public shape kept
    ahead = [w for w in held["weeks"] if w["kind"] not in ("taper", "race")]
    assert {w["kind"] for w in ahead} == {"held"}
    assert "Held by your clinician dr lee" in kc("race", "plan").flat
    later = race_on + dt.timedelta(weeks=2)
    changed = kc("race", "set", "--date", later.isoformat(), "--distance", "21.1k", "--json")
    assert changed.code == 0, changed.err
    assert changed.json["held_by"] == "dr lee"  # the runner's change does not lift it
    assert kc("race", "clear").code == 0
    assert kc("race", "plan", "--json").json["held_by"] == "dr lee"


def test_a_goal_the_clinician_set_is_refused_to_the_runners_set_and_clear(kc):
    import dataclasses

    from kneecoach.cli.common import forget_runtime, runner
    from kneecoach.services import race
    from kneecoach.services.context import Visitor

    kc(*SCRIPTED_INIT)
    forget_runtime()
    clinician = dataclasses.replace(runner(), visitor=Visitor(9, "dr lee", "::1"))
    race.set_goal(clinician, TODAY + dt.timedelta(weeks=10), 5000.0, None)
    forget_runtime()
    plan = kc("race", "plan", "--json").json
    assert plan["goal"]["set_by"] == "dr lee"
    assert "only a clinician changes it" in plan["goal_locked"]
    refused = kc(
        "race", "set", "--date", (TODAY + dt.timedelta(weeks=4)).isoformat(), "--distance", "10k"
    )
    assert refused.code == 2
    assert refused.err.startswith("kneecoach: error:") and "dr lee" in refused.err
    cleared = kc("race", "clear")
    assert cleared.code == 2 and "only a clinician changes it" in " ".join(cleared.err.split())
    assert kc("race", "plan", "--json").json["goal"]["distance_m"] == 5000.0
