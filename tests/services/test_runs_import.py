"""Importing running history: files, folders, Strava and Garmin exports, duplicates, bad and
hostile files, and the load report."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import io
import zipfile

import pytest

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import onboarding
from kneecoach.services.context import Preferences
from kneecoach.services.runs import (
    NoSuchActivity,
    import_paths,
    load_report,
    load_view,
    run_view,
    runs_view,
    set_effort,
)
from kneecoach.storage.database import open_database
from kneecoach.storage.sql import SqlStorage
from tests.fitwriter import run_points, write_activity
from tests.helpers import profile, runner_on

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def runner(tmp_path):
    c = runner_on(SqlStorage(open_database(f"sqlite:///{tmp_path / 'k.db'}")), TODAY)
    onboarding.onboard(c, profile(), onboarding.answers_from_flags([]), AgeBand.ADULT)
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


def test_a_nameless_member_fails_alone_and_the_rest_of_the_archive_is_imported(runner, tmp_path):
    export = tmp_path / "odd.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("ok/é.fit", _run(1))
        archive.writestr(zipfile.ZipInfo(""), _run(2, seed=5))
    report = import_paths(runner, [export])
    assert report.added == 1
    [(name, reason)] = report.failed
    assert name.endswith("(a member with no name)") and "no name" in reason


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


def _in(runner, **preferences):
    return dataclasses.replace(runner, preferences=Preferences(**preferences))


def _history(runner, tmp_path, days=range(0, 60, 2)):
    for day in days:
        (tmp_path / f"{day}.fit").write_bytes(_run(day, seconds=1200 + 20 * day, seed=day))
    import_paths(runner, [tmp_path])


def test_the_load_view_shows_miles_to_a_runner_who_reads_miles(runner, tmp_path):
    _history(runner, tmp_path)
    km, mi = load_view(_in(runner, units="km")), load_view(_in(runner, units="mi"))
    assert (km.unit_label, mi.unit_label, mi.quantity) == ("km", "mi", "distance")
    for in_km, in_mi in zip(km.weeks, mi.weeks, strict=True):
        assert in_mi.load == pytest.approx(in_km.load / 1.609344)
        assert in_mi.change == pytest.approx(in_km.change)
    assert mi.today.ctl == pytest.approx(km.today.ctl / 1.609344)
    assert [r.value for r in mi.today.ratios] == pytest.approx([r.value for r in km.today.ratios])


def test_the_load_unit_comes_from_the_settings_unless_asked_for(runner, tmp_path):
    _history(runner, tmp_path)
    minutes = load_view(_in(runner, load_unit="duration"))
    assert (minutes.unit, minutes.unit_label) == ("duration", "min")
    assert sum(d.load for d in minutes.days) == pytest.approx(
        sum(a.activity.moving_s for a in runner.store.activities.all()) / 60
    )
    assert load_view(_in(runner, load_unit="duration"), "distance").unit_label == "km"


def test_each_ratio_today_carries_its_band_and_source_and_the_view_the_caveat(runner, tmp_path):
    _history(runner, tmp_path)
    view = load_view(runner)
    assert [r.key for r in view.today.ratios] == ["rolling", "uncoupled", "ewma"]
    for ratio in view.today.ratios:
        assert ratio.value is not None and ratio.sources
        assert ratio.zone.low is None or ratio.value >= ratio.zone.low
        assert ratio.zone.high is None or ratio.value <= ratio.zone.high
    assert [z.key for z in view.named_zones] == ["sweet-spot", "danger"]
    assert "Impellizzeri" in view.caveat.cited
    assert view.days[0].rolling.value is None and view.days[0].rolling.zone is None
    assert len(view.recent_weeks) <= 12 and view.recent_days[-1] is view.today


def test_a_jump_of_more_than_30_percent_is_flagged_in_the_weeks_and_warned_of(runner, tmp_path):
    _history(runner, tmp_path, days=(15, 8, 7, 6))
    view = load_view(runner)
    jumps = [w for w in view.weeks if w.jump]
    assert jumps and all(w.change > 0.30 for w in jumps)
    assert any(w.kind == "weekly-jump" for w in view.warnings)
    assert "Nielsen" in view.jump_rule.cited


def test_runs_are_listed_newest_first_in_the_runners_unit_with_their_pace(runner, tmp_path):
    _history(runner, tmp_path, days=(1, 3))
    view = runs_view(_in(runner, units="mi"))
    assert [r.start.date() for r in view.runs] == [
        TODAY - dt.timedelta(days=1),
        TODAY - dt.timedelta(days=3),
    ]
    run = view.runs[0]
    assert (run.distance_unit, run.pace_unit, view.pace_unit) == ("mi", "min/mi", "min/mi")
    assert run.distance == pytest.approx(run.distance_m / 1609.344)
    assert run.pace_s == pytest.approx(run.moving_s / run.distance)
    assert run.sport_label == "run" and run.is_run


def test_one_run_in_full_and_a_missing_one_is_named(runner, tmp_path):
    _history(runner, tmp_path, days=(1,))
    [listed] = runs_view(runner).runs
    shown = run_view(runner, listed.id)
    assert shown.samples == 1200 + 20 and shown.laps
    assert sum(lap.distance for lap in shown.laps) == pytest.approx(shown.distance, rel=0.01)
    with pytest.raises(NoSuchActivity, match="no activity 999"):
        run_view(runner, 999)


def test_an_effort_is_kept_for_a_run_and_refused_outside_0_to_10(runner, tmp_path):
    _history(runner, tmp_path, days=(1,))
    [listed] = runs_view(runner).runs
    set_effort(runner, listed.id, 7)
    assert run_view(runner, listed.id).effort == 7
    with pytest.raises(InvalidInput, match="from 0 to 10"):
        set_effort(runner, listed.id, 11)
    with pytest.raises(NoSuchActivity):
        set_effort(runner, 999, 5)


def test_reading_runs_and_load_writes_nothing(tmp_path):
    import sqlalchemy as sa

    from kneecoach.storage.tables import users

    engine = open_database(f"sqlite:///{tmp_path / 'k.db'}")
    reader = runner_on(SqlStorage(engine), TODAY)
    onboarding.onboard(reader, profile(), onboarding.answers_from_flags([]), AgeBand.ADULT)
    (tmp_path / "runs").mkdir()
    _history(reader, tmp_path / "runs", days=(1, 3))

    def revision():
        with engine.connect() as c:
            return c.execute(sa.select(users.c.revision)).scalar_one()

    before = revision()
    [run, _] = runs_view(reader).runs
    run_view(reader, run.id)
    load_view(reader)
    assert revision() == before


def _gpx_at(day: str, lat: str = "45.0") -> bytes:
    points = "".join(
        f'<trkpt lat="{lat if i == 1 else "45.0"}" lon="7.0"><time>{day}T10:{i * 10:02d}:00Z'
        "</time></trkpt>"
        for i in range(3)
    )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="t" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
        f"{points}</trkseg></trk></gpx>"
    ).encode()


def test_a_file_from_a_broken_clock_or_gps_fails_by_name_and_the_rest_is_kept(runner, tmp_path):
    files = {
        "year-one.gpx": _gpx_at("0001-01-01"),
        "year-9999.gpx": _gpx_at("9999-12-31"),
        "off-the-globe.gpx": _gpx_at("2026-11-20", lat="200"),
        "good.gpx": _gpx_at("2026-11-21"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    report = import_paths(runner, [tmp_path / name for name in files], workers=1)
    reasons = {name.rsplit("/", 1)[-1]: why for name, why in report.failed}
    assert (report.files, report.added, len(report.failed)) == (4, 1, 3)
    assert "before 2000-01-01" in reasons["year-one.gpx"]
    assert "in the future" in reasons["year-9999.gpx"]
    assert "latitude 200" in reasons["off-the-globe.gpx"]
    assert [a.activity.start.date() for a in runner.store.activities.all()] == [
        dt.date(2026, 11, 21)
    ]
    report_after = load_report(runner)
    assert report_after is not None and report_after.days[-1] == TODAY


def test_a_bad_archive_in_a_folder_fails_alone_and_the_folder_goes_on(runner, tmp_path):
    folder = tmp_path / "history"
    folder.mkdir()
    (folder / "aaa-broken.zip").write_bytes(b"PK\x03\x04garbage")
    (folder / "bbb-not-a-zip.zip").write_bytes(b"hello")
    (folder / "ccc.fit").write_bytes(_run(3, seed=3))
    (folder / "ddd.zip").write_bytes(_zip({"runs/1.fit": _run(5, seed=5)}))
    report = import_paths(runner, [folder], workers=1)
    failed = dict(report.failed)
    assert (report.files, report.added, len(failed)) == (4, 2, 2)
    assert failed[str(folder / "aaa-broken.zip")] == "not a readable zip archive"
    assert failed[str(folder / "bbb-not-a-zip.zip")] == "not a readable zip archive"


def test_a_refused_member_fails_alone_and_the_rest_of_the_archive_is_read(runner, tmp_path):
    export = tmp_path / "export.zip"
    export.write_bytes(
        _zip(
            {
                "../../evil.fit": _run(1, seed=1),
                "activities/bomb.fit": b"\0" * (2 * 1024 * 1024),
                "activities/good.fit": _run(2, seed=2),
            }
        )
    )
    report = import_paths(runner, [export], workers=1)
    failed = dict(report.failed)
    assert (report.files, report.added) == (3, 1)
    assert failed["export.zip/../../evil.fit"] == "unsafe path inside the archive: refused"
    assert failed["export.zip/activities/bomb.fit"] == "unpacks 200x or more: refused"


LIMIT = 256 * 1024
"""A small file limit for the tests: real files, no 200 MB written."""


def _long_run(day_offset: int, seed: int) -> bytes:
    """A FIT file a little over :data:`LIMIT` (it packs only a few times: under the ratio)."""
    data = _run(day_offset, seconds=12000, seed=seed)
    assert LIMIT < len(data) < 2 * LIMIT
    return data


def test_a_member_past_the_file_limit_is_refused_by_name_and_the_rest_is_read(runner, tmp_path):
    big = _long_run(3, seed=3)
    export = tmp_path / "export.zip"
    export.write_bytes(
        _zip(
            {
                "activities/big.fit": big,
                "activities/big.gpx.gz": gzip.compress(gpx_of(4, 9000)),
                "activities/small.fit": _run(5, seed=5),
            }
        )
    )
    with zipfile.ZipFile(export) as archive:
        info = archive.getinfo("activities/big.fit")
        assert info.file_size / info.compress_size < 200  # the ratio check lets it through
    limited = dataclasses.replace(runner, file_limit=LIMIT)
    report = import_paths(limited, [export], workers=1)
    failed = dict(report.failed)
    reason = "larger than 262144 bytes unpacked (the limit for one file): refused"
    assert failed == {
        "export.zip/activities/big.fit": reason,
        "export.zip/activities/big.gpx.gz": reason,
    }
    assert (report.files, report.activities, report.added) == (3, 1, 1)
    # with the default limit the same archive is read whole
    again = import_paths(runner, [export], workers=1)
    assert again.failed == [] and (again.added, again.already_kept) == (2, 1)


def test_a_gzip_file_past_the_file_limit_is_refused_as_a_member_is(runner, tmp_path):
    (tmp_path / "long.fit.gz").write_bytes(gzip.compress(_long_run(3, seed=3)))
    (tmp_path / "short.fit.gz").write_bytes(gzip.compress(_run(5, seed=5)))
    limited = dataclasses.replace(runner, file_limit=LIMIT)
    report = import_paths(limited, [tmp_path], workers=1)
    assert report.failed == [
        (
            str(tmp_path / "long.fit.gz"),
            "larger than 262144 bytes unpacked (the limit for one file): refused",
        )
    ]
    assert report.added == 1


def test_an_archive_inside_an_archive_is_held_to_the_limit_member_by_member(runner, tmp_path):
    inner = _zip({"1_ACTIVITY.fit": _long_run(3, seed=3), "2_ACTIVITY.fit": _run(5, seed=5)})
    padded = _zip({"pad.fit": _long_run(7, seed=7), "1_ACTIVITY.fit": _run(6, seed=6)})
    export = tmp_path / "garmin.zip"
    export.write_bytes(_zip({"UploadedFiles_0.zip": inner, "UploadedFiles_1.zip": padded}))
    limited = dataclasses.replace(runner, file_limit=LIMIT)
    report = import_paths(limited, [export], workers=1)
    assert sorted(name for name, _ in report.failed) == [
        "garmin.zip/UploadedFiles_0.zip/1_ACTIVITY.fit",
        "garmin.zip/UploadedFiles_1.zip/pad.fit",
    ]
    assert report.added == 2


def gpx_of(day_offset: int, seconds: int) -> bytes:
    from tests.xmlwriter import gpx

    start = dt.datetime.combine(TODAY - dt.timedelta(days=day_offset), dt.time(7), dt.UTC)
    return gpx(run_points(int(start.timestamp()), seconds, seed=day_offset))
