"""Keeping a file matches it against what the SQL store remembers of the runner's activities
between transactions: it must find what another writer kept or changed meanwhile, forget
what a failed transaction wrote, and find the same activities the database holds."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecoach.domain.activity import Activity
from kneecoach.domain.merging import Outcome
from kneecoach.services.ports import ImportedFile
from kneecoach.storage.database import open_database
from kneecoach.storage.memory import MemoryStorage
from kneecoach.storage.sql import SqlStorage
from kneecoach.storage.sql.activities import STRETCH_DAYS
from tests.conftest import fresh_database
from tests.helpers import activity

pytestmark = pytest.mark.own_dates

ADDED, MERGED, ALREADY = Outcome.ADDED, Outcome.MERGED, Outcome.ALREADY_KEPT
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
BOUNDARY = EPOCH + dt.timedelta(days=STRETCH_DAYS * 640)
"""Where one stretch of days the store reads at a time ends and the next begins (in 2026)."""


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sql(request, tmp_path):
    engine = open_database(fresh_database(request.param, request, tmp_path))
    yield SqlStorage(engine)
    engine.dispose()


def _activity(
    start: dt.datetime, minutes: float = 30.0, km: float = 5.0, fmt: str = "fit"
) -> Activity:
    return activity(start, km, minutes, format=fmt, device_distance=fmt != "gpx")


def _file(name: str, start: dt.datetime, **kwargs: float | str) -> ImportedFile:
    return ImportedFile(name, (_activity(start, **kwargs),))  # type: ignore[arg-type]


def _kept(record) -> list[tuple[dt.datetime, float, tuple[str, ...]]]:
    return [(k.activity.start, k.activity.distance_m, k.sources) for k in record.activities.all()]


def test_an_import_finds_what_another_writer_kept_or_dropped_between_its_transactions(sql):
    runner = sql.user_id("local")
    importing, other = sql.for_runner(runner), sql.for_runner(runner)
    monday = BOUNDARY + dt.timedelta(hours=7)
    assert importing.activities.add(_file("mon.fit", monday)) == (ADDED,)
    assert other.activities.add(_file("tue.fit", monday + dt.timedelta(days=1))) == (ADDED,)
    assert other.activities.add(_file("mon.gpx", monday, fmt="gpx")) == (MERGED,)
    tuesday = monday + dt.timedelta(days=1, minutes=1)
    assert importing.activities.add(_file("tue.gpx", tuesday, fmt="gpx")) == (MERGED,)
    assert importing.activities.add(_file("mon.gpx", monday, fmt="gpx")) == (ALREADY,)
    assert other.activities.drop_source("tue.fit") is not None
    assert importing.activities.add(_file("tue.fit", monday + dt.timedelta(days=1))) == (MERGED,)
    assert [sorted(sources) for _, _, sources in _kept(importing)] == [
        ["mon.fit", "mon.gpx"],
        ["tue.fit", "tue.gpx"],
    ]


def test_what_a_failed_use_case_kept_is_forgotten_by_the_next_import(sql):
    record = sql.for_runner(sql.user_id("local"))
    monday = BOUNDARY + dt.timedelta(hours=7)
    assert record.activities.add(_file("mon.fit", monday)) == (ADDED,)
    with pytest.raises(RuntimeError), record.transaction():
        record.activities.add(_file("mon.gpx", monday, fmt="gpx"))
        record.activities.add(_file("tue.fit", monday + dt.timedelta(days=1)))
        raise RuntimeError("the use case fails after keeping two files")
    assert record.activities.add(_file("mon.gpx", monday, fmt="gpx")) == (MERGED,)
    assert record.activities.add(_file("tue.fit", monday + dt.timedelta(days=1))) == (ADDED,)
    assert [sorted(s) for _, _, s in _kept(record)] == [["mon.fit", "mon.gpx"], ["tue.fit"]]


def test_a_file_is_matched_across_the_edge_of_the_days_read_at_once_and_inside_a_long_activity(
    sql,
):
    runner = sql.user_id("local")
    first = sql.for_runner(runner)
    before_edge = BOUNDARY - dt.timedelta(seconds=30)
    assert first.activities.add(_file("edge.fit", before_edge)) == (ADDED,)
    hike = BOUNDARY + dt.timedelta(days=STRETCH_DAYS - 1)
    assert first.activities.add(_file("hike.fit", hike, minutes=3 * 24 * 60.0, km=60)) == (ADDED,)
    fresh = sql.for_runner(runner)  # remembers nothing yet: reads the stretches it needs
    after_edge = BOUNDARY + dt.timedelta(seconds=60)
    assert fresh.activities.add(_file("edge.gpx", after_edge, fmt="gpx")) == (MERGED,)
    inside = hike + dt.timedelta(days=2, hours=3)  # two stretches on, in the hike's third day
    assert fresh.activities.add(_file("walk.gpx", inside, minutes=40, fmt="gpx")) == (MERGED,)
    assert [sorted(s) for _, _, s in _kept(fresh)] == [
        ["edge.fit", "edge.gpx"],
        ["hike.fit", "walk.gpx"],
    ]


_counter = itertools.count()

FILES = st.lists(
    st.tuples(
        st.integers(0, 3 * STRETCH_DAYS),  # day from two days before a stretch's edge
        st.sampled_from([0.0, 1.0, 2.5, 20.0, 23 * 60.0]),  # minutes after 07:00
        st.sampled_from([5.0, 30.0, 60.0, 26 * 60.0]),  # minutes long (the last: over a day)
        st.sampled_from(["fit", "tcx", "gpx"]),
        st.booleans(),  # kept through the second store (another writer) or the first
        st.booleans(),  # in one transaction with the file before it
    ),
    min_size=1,
    max_size=10,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=FILES)
def test_the_sql_store_keeps_every_sequence_of_files_as_the_reference_store_does(sql, files):
    runner = sql.user_id(f"runner-{next(_counter)}")
    stores = (sql.for_runner(runner), sql.for_runner(runner))
    memory = MemoryStorage()
    reference = memory.for_runner(memory.user_id("reference"))
    origin = BOUNDARY - dt.timedelta(days=2)
    found = [
        _file(
            f"{number}.{fmt}",
            origin + dt.timedelta(days=day, hours=7, minutes=minute),
            minutes=minutes,
            km=minutes / 6,
            fmt=fmt,
        )
        for number, (day, minute, minutes, fmt, _, _) in enumerate(files)
    ]
    got, expected = [], []
    pending: list[ImportedFile] = []
    writer = stores[0]

    def flush() -> None:
        with writer.transaction():
            for each in pending:
                got.extend(writer.activities.add(each))
        pending.clear()

    for each, (*_, second, together) in zip(found, files, strict=True):
        if pending and not (together and stores[second] is writer):
            flush()
        writer = stores[second]
        pending.append(each)
        expected.extend(reference.activities.add(each))
    flush()
    assert got == expected

    def shape(record):
        return sorted(
            (k.activity.start, k.activity.distance_m, k.activity.format, sorted(k.sources))
            for k in record.activities.all()
        )

    assert shape(stores[0]) == shape(reference) == shape(stores[1])
    fresh = sql.for_runner(runner)  # every file again, through a store that read nothing yet
    assert [o for f in found for o in fresh.activities.add(f)] == [
        o for f in found for o in reference.activities.add(f)
    ]
    assert shape(fresh) == shape(reference)


def _formats(day: int) -> list[ImportedFile]:
    """One run as a watch's FIT, Garmin's TCX and Strava's GPX (20 s late) give it."""
    from kneecoach.importers import read_activities
    from tests.fitwriter import run_points, write_activity
    from tests.xmlwriter import gpx, tcx

    start = int((BOUNDARY + dt.timedelta(days=day, hours=7)).timestamp())
    points = run_points(start, 300, seed=day)
    files = (
        ("fit", write_activity(points)),
        ("tcx", tcx(points)),
        ("gpx", gpx(points[20:], kind="9")),
    )
    return [
        ImportedFile(f"{day}.{fmt}", tuple(read_activities(data, f"{day}.{fmt}")))
        for fmt, data in files
    ]


def _statements(record, files: list[ImportedFile]) -> tuple[int, list[Outcome]]:
    from tests.helpers import counting

    outcomes: list[Outcome] = []
    with counting() as seen, record.transaction():
        for found in files:
            outcomes.extend(record.activities.add(found))
    return len(seen), outcomes


def test_another_file_of_a_kept_activity_costs_no_statement_of_its_own(sql):
    """An import's batch keeping each run's TCX and GPX besides its FIT sends no more
    statements than keeping the FIT files alone, but for the batched origins updates."""
    runs = [_formats(day) for day in range(0, 24, 3)]  # 8 runs, across two stretches read
    once, once_outcomes = _statements(
        sql.for_runner(sql.user_id("once")), [fit for fit, _, _ in runs]
    )
    every = [fit for fit, _, _ in runs] + [f for _, tcx, gpx in runs for f in (tcx, gpx)]
    merged, outcomes = _statements(sql.for_runner(sql.user_id("every")), every)
    assert once_outcomes == [ADDED] * 8
    assert outcomes == [ADDED] * 8 + [MERGED] * 16
    assert merged - once <= 2  # one UPDATE for all the files that only add themselves
    again, outcomes = _statements(sql.for_runner(sql.user_id("every")), every)
    assert outcomes == [ALREADY] * 24
    assert again <= 4  # the revision checked, the days read: nothing written
