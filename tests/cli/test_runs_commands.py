"""`runs import|list|show` and `load` as a script uses them."""

from __future__ import annotations

import datetime as dt

from tests.cli.conftest import SCRIPTED_INIT
from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity


def _export(tmp_path, days=(1, 3, 5)):
    folder = tmp_path / "runs"
    folder.mkdir()
    today = TODAY
    for offset in days:
        start = dt.datetime.combine(today - dt.timedelta(days=offset), dt.time(7), dt.UTC)
        (folder / f"{offset}.fit").write_bytes(
            write_activity(run_points(int(start.timestamp()), 1500, seed=offset))
        )
    (folder / "notes.gpx").write_bytes(b"<gpx><oops")
    return folder


def test_import_list_show_and_load_round_trip(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    folder = _export(tmp_path)
    report = kc("runs", "import", str(folder), "--json")
    assert report.code == 0, report.err
    assert (report.json["added"], report.json["skipped"]) == (3, 0)
    assert report.json["failed"][0]["file"].endswith("notes.gpx")
    runs = kc("runs", "list", "--json").json
    assert len(runs) == 3
    assert set(runs[0]) >= {
        "id",
        "sport",
        "start",
        "distance_m",
        "elapsed_s",
        "moving_s",
        "ascent_m",
        "avg_hr",
        "max_hr",
        "sources",
    }
    assert runs[0]["start"].endswith("Z") and runs[0]["sport"] == "run"
    shown = kc("runs", "show", str(runs[0]["id"]), "--json").json
    assert shown["samples"] == 1500
    days = kc("load", "--json").json
    assert set(days[0]) == {
        "date",
        "load",
        "acwr_rolling",
        "acwr_uncoupled",
        "acwr_ewma",
        "ctl",
        "atl",
        "tsb",
        "warnings",
    }
    assert days[-1]["date"] == TODAY.isoformat()
    assert sum(d["load"] for d in days) > 10
    assert "Weekly running load" in kc("load").out
    assert "Runs (3)" in kc("runs", "list").out


def test_reimporting_adds_nothing(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    folder = _export(tmp_path)
    kc("runs", "import", str(folder))
    again = kc("runs", "import", str(folder), "--json").json
    assert (again["added"], again["skipped"]) == (0, 3)


def test_showing_a_run_that_is_not_there_is_a_clear_error(kc):
    kc(*SCRIPTED_INIT)
    result = kc("runs", "show", "999")
    assert result.code == 2 and "no activity 999" in result.err


def test_a_bad_load_unit_is_refused(kc):
    kc(*SCRIPTED_INIT)
    result = kc("load", "--unit", "calories")
    assert result.code == 2 and "distance, duration or session-rpe" in result.err


def test_session_rpe_load_counts_effort_times_minutes(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    kc("runs", "import", str(_export(tmp_path, days=(2,))))
    [run] = kc("runs", "list", "--json").json
    assert kc("load", "--unit", "session-rpe", "--json").json[-2]["load"] == 0
    assert kc("runs", "effort", str(run["id"]), "6").code == 0
    assert kc("runs", "list", "--json").json[0]["effort"] == 6
    days = kc("load", "--unit", "session-rpe", "--json").json
    assert sum(d["load"] for d in days) == round(6 * run["moving_s"] / 60, 4)
    assert kc("runs", "effort", str(run["id"]), "12").code == 2
