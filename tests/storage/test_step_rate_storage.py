"""Each activity's step rate is kept with its figures, follows the richest file when files
merge, and is worked out on upgrade (0021) for activities kept before."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kneecoach.importers import read_activities
from kneecoach.services.ports import ImportedFile
from kneecoach.storage.database import open_database
from kneecoach.storage.samples_codec import pack
from kneecoach.storage.sql import SqlStorage
from tests.fitwriter import run_points, write_activity
from tests.storage.old_schema import activities_at
from tests.xmlwriter import gpx

pytestmark = pytest.mark.own_dates

START = int(dt.datetime(2026, 11, 23, 7, tzinfo=dt.UTC).timestamp())


def _points(cadence: int | None):
    return [dataclasses.replace(p, cadence=cadence) for p in run_points(START, 600)]


def test_the_step_rate_is_kept_and_read_back(database_url):
    storage = SqlStorage(open_database(database_url))
    record = storage.for_runner(storage.user_id("local"))
    record.activities.add(
        ImportedFile("watch.fit", tuple(read_activities(write_activity(_points(83)), "watch.fit")))
    )
    (kept,) = record.activities.all()
    assert kept.activity.step_rate == 166.0
    assert record.activities.get(kept.id).activity.step_rate == 166.0
    storage.engine.dispose()


def test_merged_files_show_the_richest_files_step_rate_in_any_order(database_url):
    fit = read_activities(write_activity(_points(83)), "watch.fit")
    strava = read_activities(gpx(_points(90)), "strava.gpx")  # same run, another account
    for order in (
        (("watch.fit", fit), ("strava.gpx", strava)),
        (("strava.gpx", strava), ("watch.fit", fit)),
    ):
        storage = SqlStorage(open_database(database_url))
        record = storage.for_runner(storage.user_id(f"runner-{order[0][0]}"))
        for name, found in order:
            record.activities.add(ImportedFile(name, tuple(found)))
        (kept,) = record.activities.all()
        assert kept.activity.step_rate == 166.0  # the device's FIT, not the GPX
        storage.engine.dispose()


@pytest.mark.real_migrations
def test_upgrading_works_out_the_step_rate_of_runs_kept_before(database_url):
    (run,) = read_activities(write_activity(_points(84)), "watch.fit")
    rows = [("run", 7, pack(run.samples)), ("cycle", 12, pack(run.samples)), ("run", 18, None)]
    activities_at(database_url, "0017", rows)
    storage = SqlStorage(open_database(database_url))
    kept = storage.for_runner(1).activities.all()
    assert [(a.activity.sport.value, a.activity.step_rate) for a in kept] == [
        ("run", 168.0),
        ("cycle", None),
        ("run", None),
    ]
    storage.engine.dispose()


def test_a_backup_written_before_step_rates_restores_them_from_the_samples(tmp_path):
    storage = SqlStorage(open_database(f"sqlite:///{tmp_path / 'from.db'}"))
    record = storage.for_runner(storage.user_id("local"))
    found = read_activities(write_activity(_points(83)), "watch.fit")
    record.activities.add(ImportedFile("watch.fit", tuple(found)))
    document = record.backup.export(dt.datetime(2026, 11, 24, tzinfo=dt.UTC))
    assert document["tables"]["activities"][0]["step_rate"] == 166.0
    for row in document["tables"]["activities"]:
        del row["step_rate"]
    target = SqlStorage(open_database(f"sqlite:///{tmp_path / 'to.db'}"))
    restored = target.for_runner(target.user_id("local"))
    restored.backup.restore(document)
    (kept,) = restored.activities.all()
    assert kept.activity.step_rate == 166.0
