"""Importing running history: files, folders, Strava and Garmin exports, duplicates, bad and
hostile files, and the load report."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zipfile

import pytest

from kneecoach.services import onboarding
from kneecoach.services.runs import import_paths, load_report
from kneecoach.storage.database import open_database
from kneecoach.storage.sql import SqlStorage
from tests.fitwriter import run_points, write_activity
from tests.helpers import profile, runner_on

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def runner(tmp_path):
    c = runner_on(SqlStorage(open_database(f"sqlite:///{tmp_path / 'k.db'}")), TODAY)
    onboarding.onboard(c, profile(), onboarding.answers_from_flags([]))
    return c


def _run(day_offset: int, seconds: int = 1800, seed: int = 0, **options) -> bytes:
    start = dt.datetime.combine(TODAY - dt.timedelta(days=day_offset), dt.time(7), dt.UTC)
    return write_activity(run_points(int(start.timestamp()), seconds, seed=seed), **options)


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_strava_export_imports_every_run_and_a_second_import_adds_nothing(runner, tmp_path):
    export = tmp_path / "export_1234.zip"
    export.write_bytes(
        _zip(
            {
                "activities.csv": b"Activity ID,Activity Date,Activity Name\n1,x,Morning Run\n",
                **{f"activities/{i}.fit.gz": gzip.compress(_run(i * 2, seed=i)) for i in range(6)},
                "activities/broken.gpx": b"<gpx><trk>",
                "profile.jpg": b"\xff\xd8",
            }
        )
    )
    report = import_paths(runner, [export], workers=2)
    assert (report.files, report.added, report.skipped) == (7, 6, 0)
    assert report.failed == [
        (
            "export_1234.zip/activities/broken.gpx",
            "not well-formed XML: Premature end of data in tag trk line 1",
        )
    ] or (len(report.failed) == 1 and report.failed[0][0].endswith("broken.gpx"))
    again = import_paths(runner, [export], workers=2)
    assert (again.added, again.skipped) == (0, 6)
    assert len(runner.store.activities.all()) == 6


def test_a_garmin_export_with_fit_files_in_nested_zips(runner, tmp_path):
    inner = _zip({f"{i}_ACTIVITY.fit": _run(i, seed=10 + i) for i in range(3)})
    export = tmp_path / "garmin.zip"
    export.write_bytes(_zip({"DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0.zip": inner}))
    assert import_paths(runner, [export]).added == 3


def test_the_same_run_from_two_sources_is_kept_once_with_both_sources(runner, tmp_path):
    data = _run(1, seed=3)
    (tmp_path / "watch.fit").write_bytes(data)
    (tmp_path / "strava.fit.gz").write_bytes(gzip.compress(data))
    report = import_paths(runner, [tmp_path], workers=1)
    assert (report.added, report.skipped) == (1, 1)
    [kept] = runner.store.activities.all()
    assert sorted(s.rsplit("/", 1)[-1] for s in kept.sources) == ["strava.fit.gz", "watch.fit"]


@pytest.mark.parametrize(
    ("member", "reason"),
    [("../../evil.fit", "unsafe path"), ("/etc/evil.fit", "unsafe path")],
)
def test_an_archive_with_unsafe_paths_is_refused(runner, tmp_path, member, reason):
    export = tmp_path / "evil.zip"
    export.write_bytes(_zip({member: _run(1)}))
    report = import_paths(runner, [export])
    assert report.added == 0 and reason in report.failed[0][1]


def test_an_archive_that_unpacks_absurdly_is_refused(runner, tmp_path):
    export = tmp_path / "bomb.zip"
    export.write_bytes(_zip({"a.fit": b"\0" * (2 * 1024 * 1024)}))
    report = import_paths(runner, [export])
    assert report.added == 0 and "refused" in report.failed[0][1]


def test_a_missing_path_is_reported_not_raised(runner, tmp_path):
    report = import_paths(runner, [tmp_path / "nope.fit"])
    assert report.failed and "no such file" in report.failed[0][1]


def test_the_load_report_follows_the_imported_runs(runner, tmp_path):
    for day in range(0, 60, 2):
        (tmp_path / f"{day}.fit").write_bytes(_run(day, seconds=1200 + 20 * day, seed=day))
    import_paths(runner, [tmp_path])
    report = load_report(runner)
    assert report.days[-1] == TODAY
    assert report.load.sum() == pytest.approx(
        sum(a.activity.distance_m for a in runner.store.activities.all()) / 1000
    )
    assert not (report.acwr_rolling[27:] != report.acwr_rolling[27:]).all()  # has ratios
    minutes = load_report(runner, "duration")
    assert minutes.load.sum() > 0
