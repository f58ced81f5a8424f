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
