"""Pain per exercise from the terminal: `log --exercise-pain`, session files, `session
--exercise-pain` for scripts, and `progress` showing each exercise's verdict with sources."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.cli.conftest import SCRIPTED_INIT
from tests.conftest import TODAY

SQUAT = "bulgarian-split-squat"


def _start(kc, days_ago: int = 7) -> dt.date:
    start = TODAY - dt.timedelta(days=days_ago)
    kc(*[a if a != "2026-11-23" else start.isoformat() for a in SCRIPTED_INIT])
    return start


def test_log_takes_pain_per_exercise_and_only_the_one_that_hurt_regresses(kc, monkeypatch):
    start = _start(kc)
    logged = kc(
        "log",
        "--date",
        start.isoformat(),
        "--as-planned",
        "--pain",
        "6",
        *("--exercise-pain", "split squat=6"),
        *("--exercise-pain", "roll down=1"),
        *("--exercise-pain", "hydrant=0"),
        *("--exercise-pain", "heel raise=1"),
        *("--exercise-pain", "bridge=2"),
        *("--exercise-pain", "hip flexor stretch=0"),
        "--json",
    )
    assert logged.code == 0, logged.err
    assert logged.json["exercise_pain"][SQUAT] == 6
    assert logged.json["pain_during"] == 6  # the session's own figure is kept as given
    checked = kc("checkin", "--date", (start + dt.timedelta(days=1)).isoformat(), "--pain", "0")
    assert checked.code == 0
    progress = kc("progress", "--json").json["exercises"]
    rows = {row["exercise"]: row for row in progress}
    assert [d["action"] for d in rows[SQUAT]["decisions"]] == ["regress"]
    assert rows[SQUAT]["now"]["range"] == "partial"
    assert all(not row["decisions"] for key, row in rows.items() if key != SQUAT)
    verdict = rows[SQUAT]["verdict"]
    assert verdict["band"] == "too much" and verdict["exercise_pain"] == 6
    assert "pain during this exercise reached 6/10" in verdict["reason"]
    assert "kneecoach default" in verdict["sources"]
    assert any(cited.startswith("Silbernagel et al.") for cited in verdict["sources"])
    assert rows["fire-hydrant"]["verdict"]["band"] == "ideal"
    monkeypatch.setenv("COLUMNS", "400")  # one line per row, so a phrase stays whole
    text = kc("progress")
    assert text.code == 0
    assert "pain during this exercise reached 6/10" in text.flat


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("split squat", "EXERCISE=PAIN"),
        ("split squat=12", "from 0 to 10"),
        ("cartwheel=2", "cartwheel"),
        ("split squat=\u00b2", "EXERCISE=PAIN"),  # a digit to str.isdigit, not to int
    ],
)
def test_a_bad_exercise_pain_is_one_clear_line_and_exit_2(kc, value, message):
    start = _start(kc)
    result = kc(
        "log", "--date", start.isoformat(), "--as-planned", "--pain", "2", "--exercise-pain", value
    )
    assert result.code == 2
    assert message in result.err + result.out
    assert "Traceback" not in result.err
    assert kc("history", "--json").json["sessions"] == []


def test_pain_of_seven_in_one_exercise_pauses_the_program(kc):
    start = _start(kc)
    result = kc(
        "log",
        "--date",
        start.isoformat(),
        "--as-planned",
        "--pain",
        "3",
        "--exercise-pain",
        "bss=7",
    )
    assert result.code == 0, result.err
    assert kc("today", "--json").json["status"] == "paused"


def test_a_session_file_gives_pain_per_exercise(kc, tmp_path):
    start = _start(kc)
    file = tmp_path / "session.json"
    file.write_text(
        json.dumps(
            {
                "date": start.isoformat(),
                "as_planned": True,
                "pain_during": 2,
                "exercise_pain": {"split squat": 2, "roll down": 0},
            }
        )
    )
    result = kc("log", "--file", str(file), "--json")
    assert result.code == 0, result.err
    assert result.json["exercise_pain"] == {SQUAT: 2, "roll-down": 0}
    file.write_text(
        json.dumps({"as_planned": True, "pain_during": 2, "exercise_pain": {"bss": "x"}})
    )
    refused = kc("log", "--file", str(file), "--replace")
    assert refused.code == 2
    assert "exercise_pain.bss must be a whole number from 0 to 10" in refused.err + refused.out


def test_a_scripted_session_reports_pain_as_each_exercise_ends(kc):
    _start(kc, days_ago=0)
    result = kc(
        "session",
        "--speed",
        "1000",
        "--quiet",
        "--pain",
        "2",
        "--exercise-pain",
        "bss=3",
        "--exercise-pain",
        "stretch=1",
        "--json",
    )
    assert result.code == 0, result.err
    assert result.json["exercise_pain"] == {SQUAT: 3, "hip-flexor-stretch": 1}
    assert result.json["pain_during"] == 2


def test_a_scripted_session_stops_at_pain_of_eight_in_the_split_squat_and_pauses(kc):
    _start(kc, days_ago=0)
    result = kc(
        "session",
        "--speed",
        "1000",
        "--quiet",
        "--pain",
        "2",
        "--exercise-pain",
        "bss=8",
        "--json",
    )
    assert result.code == 0, result.err
    stopped = result.json["stopped"]
    assert stopped["light"] == "stop" and stopped["stopped"] is True
    assert "kneecoach default" in stopped["advice"]["sources"]
    assert result.json["pain_during"] == 8
    assert {s["exercise"] for s in result.json["sets"]} == {"roll-down", SQUAT}
    assert kc("today", "--json").json["status"] == "paused"
    text = kc("session", "--speed", "1000", "--quiet", "--pain", "2")
    assert text.code != 0


def _logged_as_planned(kc, day, pain, *exercise_pains):
    """`log --as-planned` on ``day`` with the session's ``pain`` and each exercise's given
    ('split squat=6'), as JSON; it must succeed."""
    given = [arg for pair in exercise_pains for arg in ("--exercise-pain", pair)]
    logged = kc(
        "log", "--date", day.isoformat(), "--as-planned", "--pain", str(pain), *given, "--json"
    )
    assert logged.code == 0, logged.err
    return logged


def test_a_session_rated_low_with_one_exercise_too_painful_is_banded_by_that_exercise(kc):
    """The session's band, in log --json and history --json, is judged as the pain-monitoring
    model judges each exercise: by its most painful one, not the session's own rating."""
    logged = _logged_as_planned(kc, _start(kc), 2, "split squat=6")
    assert (logged.json["pain_during"], logged.json["peak_pain"]) == (2, 6)
    assert (logged.json["pain_band"], logged.json["peak_band"]) == ("ideal", "too much")
    [row] = kc("history", "--json").json["sessions"]
    assert (row["pain_during"], row["peak_pain"]) == (2, 6)


def test_the_sessions_pain_given_by_one_exercise_steps_back_only_that_one(kc):
    """The cold walk's find: a 6/10 tapped for the split squat alone, and 6 as the session's
    highest, stepped every exercise down and told the runner each had hurt. The split squat
    accounts for the 6: the others' pain is not known, so they hold."""
    start = _start(kc)
    logged = _logged_as_planned(kc, start, 6, "split squat=6")
    said = " ".join(line["text"] for line in logged.json["end"]["message"])
    assert "Bulgarian split squat hurt" in said
    assert "Roll down hurt" not in said
    assert "Roll down: its own pain was not given, and the session's 6/10 was Bulgarian" in said
    checked = kc("checkin", "--date", (start + dt.timedelta(days=1)).isoformat(), "--pain", "0")
    assert checked.code == 0
    rows = {row["exercise"]: row for row in kc("progress", "--json").json["exercises"]}
    assert [d["action"] for d in rows[SQUAT]["decisions"]] == ["regress"]
    assert all(not row["decisions"] for key, row in rows.items() if key != SQUAT)
    assert rows["roll-down"]["verdict"]["band"] == "unknown"
