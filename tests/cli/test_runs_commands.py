"""`runs import|list|show` and `load` as a script uses them."""

from __future__ import annotations

import datetime as dt

import pytest

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
    assert report.code == 1, report.err  # one file failed
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
    assert set(days[0]) >= {
        "date",
        "load",
        "acwr_rolling",
        "acwr_uncoupled",
        "acwr_ewma",
        "ctl",
        "atl",
        "tsb",
        "warnings",
        "unit",
        "acwr_zones",
        "acwr_caveat",
    }
    assert days[-1]["date"] == TODAY.isoformat()
    assert sum(d["load"] for d in days) > 10
    assert "Weekly running distance (km)" in kc("load").out
    assert "Runs (3)" in kc("runs", "list").out


def test_the_load_command_cites_banister_and_coggan_beside_fitness_and_fatigue(kc, tmp_path):
    from kneecoach.domain.load import FITNESS_FATIGUE

    kc(*SCRIPTED_INIT)
    kc("runs", "import", str(_export(tmp_path)))
    shown = " ".join(kc("load").out.split())
    fitness = shown.index("Fitness ")
    assert f"[{FITNESS_FATIGUE.labels}]" in shown[fitness:]


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


def test_a_runner_who_reads_miles_sees_miles_in_every_runs_and_load_command(
    kc, tmp_path, monkeypatch
):
    kc(*SCRIPTED_INIT)
    kc("runs", "import", str(_export(tmp_path)))
    in_km = kc("load", "--json").json
    monkeypatch.setenv("KNEECOACH_UNITS", "mi")
    runs = kc("runs", "list", "--json").json
    assert {(r["distance_unit"], r["pace_unit"]) for r in runs} == {("mi", "min/mi")}
    assert runs[0]["distance"] == pytest.approx(runs[0]["distance_m"] / 1609.344, abs=1e-3)
    table = kc("runs", "list").out
    assert " mi " in table and "min/mi" in table and " km " not in table
    shown = kc("runs", "show", str(runs[0]["id"]))
    assert f"{runs[0]['distance']:.2f} mi in" in shown.out and "min/mi" in shown.out
    assert kc("runs", "show", str(runs[0]["id"]), "--json").json["distance_unit"] == "mi"
    in_mi = kc("load", "--json").json
    assert {d["unit"] for d in in_mi} == {"mi"}
    assert sum(d["load"] for d in in_mi) == pytest.approx(
        sum(d["load"] for d in in_km) / 1.609344, rel=1e-3
    )
    assert "Weekly running distance (mi)" in kc("load").out


def test_the_load_unit_setting_counts_minutes_unless_the_flag_says_otherwise(
    kc, tmp_path, monkeypatch
):
    kc(*SCRIPTED_INIT)
    kc("runs", "import", str(_export(tmp_path)))
    monkeypatch.setenv("KNEECOACH_LOAD_UNIT", "duration")
    runs = kc("runs", "list", "--json").json
    days = kc("load", "--json").json
    assert {d["unit"] for d in days} == {"min"}
    assert sum(d["load"] for d in days) == pytest.approx(
        sum(r["moving_s"] for r in runs) / 60, rel=1e-4
    )
    assert "Weekly running time (min)" in kc("load").out
    assert {d["unit"] for d in kc("load", "--unit", "distance", "--json").json} == {"km"}


def test_the_load_shows_each_ratio_with_its_band_and_the_caveat_with_its_sources(kc, tmp_path):
    from kneecoach.domain import load as L

    kc(*SCRIPTED_INIT)
    kc("runs", "import", str(_export(tmp_path, days=range(1, 50, 2))))
    days = kc("load", "--json").json
    today = days[-1]
    assert today["acwr_rolling"] is not None
    zone = L.acwr_zone(today["acwr_rolling"])
    assert today["acwr_zones"]["rolling"] == zone.key
    assert "Impellizzeri" in " ".join(today["acwr_caveat"]["sources"])
    assert days[0]["acwr_rolling"] is None and days[0]["acwr_caveat"] is None
    shown = kc("load")
    assert zone.label in shown.flat and f"{today['acwr_rolling']:.2f}" in shown.flat
    assert L.RATIO_CAVEAT.text in shown.flat and "Lolli 2019; Impellizzeri 2021" in shown.flat


def test_the_import_report_adds_up_and_exits_1_when_a_file_failed(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    folder = _export(tmp_path)
    first = kc("runs", "import", str(folder), "--json")
    assert first.code == 1
    assert {k: first.json[k] for k in ("files", "read", "activities", "added", "merged")} == {
        "files": 4,
        "read": 3,
        "activities": 3,
        "added": 3,
        "merged": 0,
    }
    assert first.json["failed"][0]["file"] == str(folder / "notes.gpx")
    (folder / "notes.gpx").unlink()
    again = kc("runs", "import", str(folder))
    assert again.code == 0, again.out
    assert "3 files: 3 read, 0 failed · 3 activities found: 0 added, 0 merged" in again.out
    assert "3 already kept" in again.out


def test_a_path_that_does_not_exist_exits_2_and_is_named(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    missing = tmp_path / "nope.fit"
    result = kc("runs", "import", str(missing), "--json")
    assert result.code == 2
    assert result.json["failed"] == [
        {"file": str(missing), "reason": f"{missing}: no such file or folder"}
    ]
    assert result.json["files"] == 1 and result.json["read"] == 0
    assert kc("runs", "import", str(missing)).code == 2


def test_when_every_file_fails_the_import_exits_2(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    (tmp_path / "a.gpx").write_bytes(b"<gpx><oops")
    (tmp_path / "b.fit").write_bytes(b"not a fit file")
    result = kc("runs", "import", str(tmp_path), "--json")
    assert result.code == 2 and len(result.json["failed"]) == 2


def test_a_ride_is_kept_and_listed_as_cross_training_not_hidden(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    start = dt.datetime.combine(TODAY - dt.timedelta(days=2), dt.time(7), dt.UTC)
    ride = write_activity(run_points(int(start.timestamp()), 900, seed=4), sport=2)
    (tmp_path / "ride.fit").write_bytes(ride)
    assert kc("runs", "import", str(tmp_path / "ride.fit")).code == 0
    assert kc("runs", "list", "--json").json == []  # runs only, as before
    listed = kc("runs", "list")
    assert "Cross-training (1)" in listed.out and "cycle" in listed.out
    every = kc("runs", "list", "--all", "--json").json
    assert [(a["sport"], a["cross_training"], a["format"]) for a in every] == [
        ("cycle", True, "fit")
    ]


def test_a_watch_file_and_stravas_gpx_of_one_run_are_one_run_with_the_watchs_distance(kc, tmp_path):
    from tests.xmlwriter import gpx, tcx

    kc(*SCRIPTED_INIT)
    start = dt.datetime.combine(TODAY - dt.timedelta(days=1), dt.time(7), dt.UTC)
    points = run_points(int(start.timestamp()), 1200, seed=9)
    (tmp_path / "strava.gpx").write_bytes(gpx(points, kind="9"))
    (tmp_path / "garmin.tcx").write_bytes(tcx(points))
    (tmp_path / "watch.fit").write_bytes(write_activity(points))
    report = kc("runs", "import", str(tmp_path), "--json").json
    assert (report["activities"], report["added"], report["merged"]) == (3, 1, 2)
    (run,) = kc("runs", "list", "--json").json
    assert run["format"] == "fit" and run["sport"] == "run"
    assert sorted(run["sources"]) == sorted(
        str(tmp_path / n) for n in ("garmin.tcx", "strava.gpx", "watch.fit")
    )
    watch = kc("runs", "show", str(run["id"]), "--json").json
    assert watch["samples"] == 1200
