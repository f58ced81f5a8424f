from __future__ import annotations

import datetime as dt

from tests.cli.conftest import SCRIPTED_INIT
from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity


def test_entry_check_stages_and_imported_runs(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    failed = kc(
        "return-to-run", "--walk-ok", "--squats", "10", "--hops", "4", "--test-pain", "0", "--json"
    ).json
    assert failed["started"] is False and "hops" in failed["message"]
    today = TODAY
    check_day = (today - dt.timedelta(days=6)).isoformat()
    started = kc(
        "return-to-run",
        "--walk-ok",
        "--squats",
        "10",
        "--hops",
        "10",
        "--test-pain",
        "1",
        "--date",
        check_day,
        "--json",
    ).json
    assert started["stage"] == 1 and started["sources"]
    folder = tmp_path / "runs"
    folder.mkdir()
    for offset in (5, 3):
        start = dt.datetime.combine(today - dt.timedelta(days=offset), dt.time(7), dt.UTC)
        points = run_points(int(start.timestamp()), 540, seed=offset)  # about 1.6 km
        (folder / f"{offset}.fit").write_bytes(write_activity(points))
        morning = (today - dt.timedelta(days=offset - 1)).isoformat()
        kc("checkin", "--date", morning, "--pain", "0")
    kc("runs", "import", str(folder))
    now = kc("return-to-run", "--json").json
    assert [(a["stage"], a["source"], a["tolerated"]) for a in now["attempts"]] == [
        (1, "imported", True),
        (1, "imported", True),
    ]
    assert now["stage"] == 2
    assert "Stage 2" in (kc("today", "--json").json["run"] or "")


def test_a_partial_entry_check_is_refused(kc):
    kc(*SCRIPTED_INIT)
    result = kc("return-to-run", "--squats", "10")
    assert result.code == 2 and "needs all four" in result.err


def test_logging_a_run_before_the_criteria_is_refused(kc):
    kc(*SCRIPTED_INIT)
    result = kc("return-to-run", "--ran")
    assert result.code == 2 and "has not started" in result.err


def _started(kc, day: dt.date) -> None:
    kc(*SCRIPTED_INIT)
    passed = ("--walk-ok", "--squats", "10", "--hops", "10", "--test-pain", "0")
    kc("return-to-run", *passed, "--date", day.isoformat())


def test_a_paused_runner_gets_no_run_of_the_day_and_cannot_log_a_run(kc):
    _started(kc, TODAY - dt.timedelta(days=1))
    assert kc("log", "--as-planned", "--pain", "8").code == 0  # pauses the program
    today = kc("today", "--json").json
    assert today["status"] == "paused" and today["run"] is None
    assert "Run of the day" not in kc("today").out
    refused = kc("return-to-run", "--ran")
    assert refused.code == 2 and "paused" in refused.err
    status = kc("return-to-run", "--json").json
    assert status["paused"] is True and "paused" in status["refusal"]
    assert status["attempts"] == []


def test_a_paused_runner_cannot_log_an_entry_check(kc):
    kc(*SCRIPTED_INIT)
    kc("log", "--as-planned", "--pain", "8")
    refused = kc("return-to-run", "--walk-ok", "--squats", "10", "--hops", "10", "--test-pain", "0")
    assert refused.code == 2 and "paused" in refused.err
    assert kc("return-to-run", "--json").json["started"] is False


def test_the_entry_check_is_void_once_a_later_session_is_too_much(kc):
    _started(kc, TODAY - dt.timedelta(days=2))
    day = (TODAY - dt.timedelta(days=1)).isoformat()
    kc("log", "--as-planned", "--pain", "6", "--date", day)  # too much, below a pause
    status = kc("return-to-run", "--json").json
    assert status["started"] is False and "no longer stands" in status["message"]
    assert status["notes"] and kc("today", "--json").json["run"] is None


def test_a_12_km_run_at_stage_1_is_flagged_not_ignored(kc, tmp_path):
    _started(kc, TODAY - dt.timedelta(days=4))
    start = dt.datetime.combine(TODAY - dt.timedelta(days=2), dt.time(7), dt.UTC)
    points = run_points(int(start.timestamp()), 4000, seed=12)  # about 12 km
    (tmp_path / "long.fit").write_bytes(write_activity(points))
    kc("runs", "import", str(tmp_path / "long.fit"))
    status = kc("return-to-run", "--json").json
    [attempt] = status["attempts"]
    assert attempt["source"] == "imported" and "beyond stage 1" in attempt["flag"]
    assert status["stage"] == 1 and status["done_at_stage"] == 0
    assert "flagged" in kc("return-to-run").out


def test_the_stage_table_gives_distances_in_the_runners_unit_first(kc, monkeypatch):
    kc(*SCRIPTED_INIT)
    check = ("return-to-run", "--walk-ok", "--squats", "10", "--hops", "10", "--test-pain", "0")
    assert "1.6 km (1 mi)" in kc(*check).out
    monkeypatch.setenv("KNEECOACH_UNITS", "mi")
    assert "1 mi (1.6 km)" in kc("return-to-run").out
