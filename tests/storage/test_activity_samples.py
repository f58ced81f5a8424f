"""An activity's samples are kept apart from its row (migration 0031): another file of the
activity leaves them as they are, a richer one replaces them, and an activity kept before
the upgrade keeps its own."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from kneecoach.importers import read_activities
from kneecoach.services.ports import ImportedFile
from kneecoach.storage.database import create_engine, open_database
from kneecoach.storage.samples_codec import pack
from kneecoach.storage.sql import SqlStorage
from kneecoach.storage.tables import activity_samples
from tests.fitwriter import run_points, write_activity
from tests.storage.old_schema import activities_at
from tests.xmlwriter import gpx

pytestmark = pytest.mark.own_dates

START = int(dt.datetime(2026, 11, 23, 7, tzinfo=dt.UTC).timestamp())


def _found(name: str, data: bytes) -> ImportedFile:
    return ImportedFile(name, tuple(read_activities(data, name)))


@pytest.fixture
def storage(database_url):
    storage = SqlStorage(open_database(database_url))
    yield storage
    storage.engine.dispose()


def _blobs(storage: SqlStorage) -> list[bytes]:
    with storage.engine.connect() as c:
        return list(c.execute(sa.select(activity_samples.c.samples)).scalars())


def test_another_file_of_an_activity_leaves_its_samples_and_a_richer_one_replaces_them(storage):
    points = run_points(START, 600)
    watch = _found("watch.fit", write_activity(points))
    strava = _found("strava.gpx", gpx(points[20:], kind="9"))
    first = storage.for_runner(storage.user_id("watch-first"))
    first.activities.add(watch)
    kept_before = _blobs(storage)
    first.activities.add(strava)
    (kept,) = first.activities.all()
    assert _blobs(storage) == kept_before == [pack(watch.activities[0].samples)]
    assert len(first.activities.get(kept.id).activity.samples) == len(points)

    second = storage.for_runner(storage.user_id("strava-first"))
    second.activities.add(strava)
    second.activities.add(watch)
    (kept,) = second.activities.all()
    assert len(second.activities.get(kept.id).activity.samples) == len(points)
    assert len(_blobs(storage)) == 2  # one per activity: the GPX's were replaced


def test_a_file_that_joins_two_activities_keeps_the_samples_of_the_richest(storage):
    points = run_points(START, 1200)
    record = storage.for_runner(storage.user_id("local"))
    record.activities.add(_found("first.gpx", gpx(points[:500])))
    record.activities.add(_found("later.fit", write_activity(points[700:])))
    whole = _found("whole.gpx", gpx(points))  # GPS of the whole run: joins the two
    record.activities.add(whole)
    (kept,) = record.activities.all()
    assert kept.activity.format == "fit"
    assert len(record.activities.get(kept.id).activity.samples) == 500
    assert len(_blobs(storage)) == 1


@pytest.mark.real_migrations
def test_upgrading_moves_every_activitys_samples_to_their_own_table(database_url):
    (run,) = read_activities(write_activity(run_points(START, 600)), "watch.fit")
    activities_at(database_url, "0030", [("run", 7, pack(run.samples)), ("run", 18, None)])
    storage = SqlStorage(open_database(database_url))
    record = storage.for_runner(1)
    morning, evening = record.activities.all()
    assert len(record.activities.get(morning.id).activity.samples) == len(run.samples)
    assert len(record.activities.get(evening.id).activity.samples) == 0
    assert _blobs(storage) == [pack(run.samples)]
    with storage.engine.connect() as c:
        columns = {column["name"] for column in sa.inspect(c).get_columns("activities")}
    assert "samples" not in columns
    storage.engine.dispose()


def _downgrade(database_url: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    from kneecoach.storage.database import MIGRATIONS

    engine = create_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)
    engine.dispose()


def _as_read(storage: SqlStorage, user_id: int) -> list[tuple[object, bytes | None]]:
    record = storage.for_runner(user_id)
    out: list[tuple[object, bytes | None]] = []
    for kept in record.activities.all():
        whole = record.activities.get(kept.id)
        assert whole is not None
        samples = whole.activity.samples
        out.append((whole, pack(samples) if len(samples) else None))
    return out


@pytest.mark.real_migrations
def test_a_downgrade_puts_the_samples_back_in_the_rows_and_an_upgrade_reads_the_same(
    database_url,
):
    points = run_points(START, 900)
    storage = SqlStorage(open_database(database_url))
    user_id = storage.user_id("local")
    record = storage.for_runner(user_id)
    record.activities.add(_found("watch.fit", write_activity(points)))
    record.activities.add(_found("strava.gpx", gpx(points[20:], kind="9")))
    evening = run_points(START + 11 * 3600, 600)
    record.activities.add(_found("evening.gpx", gpx(evening)))
    before = _as_read(storage, user_id)
    storage.engine.dispose()
    assert [blob is not None for _, blob in before] == [True, True]

    _downgrade(database_url, "0030")
    engine = create_engine(database_url)
    with engine.connect() as c:
        assert "activity_samples" not in sa.inspect(c).get_table_names()
        in_rows = c.execute(sa.text("SELECT samples FROM activities ORDER BY start")).scalars()
        assert [bytes(blob) for blob in in_rows] == [blob for _, blob in before]
    engine.dispose()

    storage = SqlStorage(open_database(database_url))  # upgraded to the head again
    assert _as_read(storage, user_id) == before
    storage.engine.dispose()
