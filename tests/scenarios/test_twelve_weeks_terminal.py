"""The twelve-week story (tests/scenarios/story.py) through the terminal: the commands a
runner types, each run with KNEECOACH_TODAY set to the day. A self-managed runner lifts the
pause with the day a clinician saw them (the terminal's lift path)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cli.conftest import SCRIPTED_INIT
from tests.scenarios import story

pytestmark = pytest.mark.own_dates


def _pain_flags(day: dt.date) -> list[str]:
    flags: list[str] = []
    for key, pain in story.pains_on(day).items():
        flags += ["--exercise-pain", f"{key}={pain}"]
    return flags


@pytest.fixture
def played(kc, monkeypatch):
    def on(day: dt.date, *args: str):
        monkeypatch.setenv("KNEECOACH_TODAY", day.isoformat())
        return kc(*args)

    init = [
        story.START.isoformat()
        if a == "2026-11-23"
        else "low-bench,wall,pad,resistance-band,dumbbells"
        if a == "low-bench,wall,pad,resistance-band"
        else a
        for a in SCRIPTED_INIT
    ]
    init += ["--dumbbell-kg", "10"]
    assert on(story.START, *init).code == 0
    seen: dict[str, object] = {"runs": [], "squat_ranges": {}}
    for day in story.days():
        if day > story.START:
            assert on(day, "checkin", "--pain", str(story.Morning().pain)).code == 0
        if day == story.LIFT:
            assert on(day, "today", "--json").json["status"] == "paused"
            lifted = on(day, "screen", "--no-red-flags", "--seen-clinician-on", day.isoformat())
            assert lifted.code == 0, lifted.err
        if day in (story.FIRST_CHECK, story.SECOND_CHECK):
            checked = on(
                day,
                "return-to-run",
                "--walk-ok",
                "--squats",
                "10",
                "--hops",
                "10",
                "--test-pain",
                "0",
            )
            assert checked.code == 0, checked.err
        shown = on(day, "today", "--json").json
        if shown["status"] == "session":
            squat = next(e for e in shown["exercises"] if e["exercise"] == story.SQUAT)
            seen["squat_ranges"][day] = squat["range"]  # type: ignore[index]
            logged = on(
                day,
                "log",
                "--as-planned",
                "--pain",
                str(story.session_pain_on(day)),
                *_pain_flags(day),
                "--json",
            )
            assert logged.code == 0, logged.err
        if day == story.FLARE:
            seen["flare"] = on(day, "today", "--json").json
            seen["ran_refused"] = on(day, "return-to-run", "--ran")
            seen["check_refused"] = on(
                day,
                "return-to-run",
                "--walk-ok",
                "--squats",
                "10",
                "--hops",
                "10",
                "--test-pain",
                "0",
            )
        if story.is_run_day(day) and shown.get("run"):
            assert on(day, "return-to-run", "--ran").code == 0
            seen["runs"].append(day)  # type: ignore[attr-defined]
    seen["progress"] = on(story.END, "progress", "--json").json
    seen["history"] = on(story.END, "history", "--from", story.START.isoformat(), "--json").json
    seen["rtr"] = on(story.END, "return-to-run", "--json").json
    return seen


def test_twelve_weeks_in_the_terminal(played):
    flare = played["flare"]
    assert flare["status"] == "paused" and flare.get("run") is None
    for refused in (played["ran_refused"], played["check_refused"]):
        assert refused.code == 2 and "Traceback" not in refused.err
        assert "paused" in (refused.err + refused.out).lower()

    runs = played["runs"]
    assert any(story.FIRST_CHECK < day < story.FLARE for day in runs)
    assert not any(story.FLARE <= day <= story.SECOND_CHECK for day in runs)
    assert any(day > story.SECOND_CHECK for day in runs)
    assert played["rtr"]["started"] and not played["rtr"]["paused"]

    ranges = played["squat_ranges"]
    assert ranges[story.FLARE] == "full"
    assert ranges[min(day for day in ranges if day > story.FLARE)] == "partial"

    rows = {row["exercise"]: row for row in played["progress"]["exercises"]}
    flare_day = story.FLARE.isoformat()
    squat_steps = [d for d in rows[story.SQUAT]["decisions"] if d["based_on"] == flare_day]
    assert [(d["action"], d["before"]["range"], d["after"]["range"]) for d in squat_steps] == [
        ("regress", "full", "partial")
    ]
    for key in story.OTHERS:
        actions = [d["action"] for d in rows[key]["decisions"]]
        assert "regress" not in actions and "progress" in actions, key
    for row in rows.values():
        assert row["verdict"]["exercise_pain"] == story.CALM_PAIN and row["verdict"]["sources"]

    adherence = played["history"]["adherence"]
    assert adherence["set_rate"] == 1.0 and adherence["session_rate"] == 1.0
    assert all(s["done_sets"] == s["planned_sets"] for s in played["history"]["sessions"])
