"""The FIT decoder against Garmin's own SDK (and fitdecode where the SDK cannot read)."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import struct
from pathlib import Path

import fitdecode
import numpy as np
import pytest
from garmin_fit_sdk import Decoder, Stream
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.domain.activity import Sport
from kneecoach.importers import ImportFailure, read_activities
from kneecoach.importers.fit import SEMICIRCLE_DEG, read_fit
from tests.fitwriter import run_points, write_activity

pytestmark = pytest.mark.own_dates

DATA = Path(__file__).parents[1] / "data" / "fit"
START = 1_700_000_000


def sdk(data: bytes):
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return messages


def assert_records_match(activity, records):
    s = activity.samples
    assert len(s) == len(records)
    for i, r in enumerate(records):
        when = r["timestamp"].timestamp() - activity.start.timestamp()
        assert s.seconds[i] == pytest.approx(when)
        for mine, theirs in (
            (s.latitude[i], r.get("position_lat")),
            (s.longitude[i], r.get("position_long")),
        ):
            if theirs is None:
                assert math.isnan(mine)
            else:
                assert mine == pytest.approx(theirs * SEMICIRCLE_DEG)
        assert s.distance[i] == pytest.approx(r.get("distance"))
        assert s.heart_rate[i] == r.get("heart_rate")
        if r.get("cadence") is None:
            assert math.isnan(s.cadence[i])
        else:  # the whole cadence with its fraction, as the SDK scales it
            assert s.cadence[i] == pytest.approx(r["cadence"] + r.get("fractional_cadence", 0))
        if "enhanced_altitude" in r:
            assert s.altitude[i] == pytest.approx(r["enhanced_altitude"])
        if "enhanced_speed" in r:
            assert s.speed[i] == pytest.approx(r["enhanced_speed"])


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"big_endian": True},
        {"developer": True},
        {"sessions": 3},
        {"watch_fields": True, "developer": True},
        {"hrv_every": 3},
        {"hrv_every": 40, "big_endian": True},
    ],
    ids=[
        "plain",
        "big-endian",
        "developer-fields",
        "three-sessions",
        "watch-fields",
        "interleaved",
        "runs-between-other-messages",
    ],
)
def test_every_record_value_equals_garmins_sdk(options):
    data = write_activity(run_points(START, 900, seed=2), **options)
    messages = sdk(data)
    activities = read_fit(data)
    sessions = messages["session_mesgs"]
    assert len(activities) == len(sessions)
    records = messages["record_mesgs"]
    offset = 0
    for activity, session in zip(activities, sessions, strict=True):
        mine = records[offset : offset + len(activity.samples)]
        offset += len(activity.samples)
        assert_records_match(activity, mine)
        assert activity.start == session["start_time"]
        assert activity.elapsed_s == pytest.approx(session["total_elapsed_time"])
        assert activity.moving_s == pytest.approx(session["total_timer_time"])
        assert activity.distance_m == pytest.approx(session["total_distance"])
        assert activity.avg_hr == session["avg_heart_rate"]
        assert activity.max_hr == session["max_heart_rate"]
        assert activity.avg_cadence == session["avg_cadence"]
        assert activity.sport is Sport.RUN
    assert offset == len(records)


def test_a_real_watch_file_matches_garmins_sdk():
    data = (DATA / "garmin-fenix-5-run.fit").read_bytes()
    messages = sdk(data)
    [activity] = read_fit(data)
    assert_records_match(activity, messages["record_mesgs"])
    session = messages["session_mesgs"][0]
    assert activity.distance_m == pytest.approx(session["total_distance"])
    assert activity.elapsed_s == pytest.approx(session["total_elapsed_time"])
    assert activity.ascent_m == session["total_ascent"]
    assert [lap.distance_m for lap in activity.laps] == pytest.approx(
        [lap["total_distance"] for lap in messages["lap_mesgs"]]
    )


def test_compressed_timestamps_match_fitdecode():
    """Garmin's SDK does not read compressed-timestamp headers; fitdecode does."""
    data = write_activity(run_points(START, 300, seed=3), compressed_every=4)
    [activity] = read_fit(data)
    stamps = []
    with fitdecode.FitReader(data) as reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "record":
                stamps.append(frame.get_value("timestamp"))
    assert len(stamps) == len(activity.samples) == 300
    starts = [s.timestamp() - activity.start.timestamp() for s in stamps]
    np.testing.assert_allclose(activity.samples.seconds, starts)


def test_a_treadmill_run_without_gps_keeps_the_devices_distance():
    data = write_activity(run_points(START, 600, seed=4, indoor=True))
    [activity] = read_fit(data)
    assert activity.indoor
    assert activity.distance_m == pytest.approx(sdk(data)["session_mesgs"][0]["total_distance"])
    assert activity.ascent_m is None


def test_gzipped_fit_reads_the_same():
    import gzip

    data = write_activity(run_points(START, 120, seed=5))
    assert read_activities(gzip.compress(data), "run.fit.gz")[0] == read_fit(data)[0]


@pytest.mark.parametrize("cut", [13, 40, 200, -3])
def test_a_truncated_file_is_a_clear_error(cut):
    data = write_activity(run_points(START, 120, seed=6))
    with pytest.raises(ImportFailure, match=r"truncated|too short|bad header"):
        read_fit(data[:cut])


def test_a_data_message_before_its_definition_is_a_clear_error():
    data = bytearray(write_activity(run_points(START, 10, seed=7)))
    data[14] = 0x05  # first record header now points at an undefined local message
    with pytest.raises(ImportFailure, match="before its definition"):
        read_fit(bytes(data))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_activities_or_a_clean_error(blob):
    for candidate in (blob, _with_fit_header(blob)):
        with contextlib.suppress(ImportFailure):
            read_activities(candidate, "x.fit")


@settings(max_examples=200, deadline=None)
@given(st.integers(15, 3000), st.integers(0, 255))
def test_corrupting_one_byte_of_a_real_file_never_crashes(position, value):
    data = bytearray((DATA / "garmin-fenix-5-run.fit").read_bytes())
    data[position % len(data)] = value
    with contextlib.suppress(ImportFailure):
        read_activities(bytes(data), "x.fit")


def _with_fit_header(body: bytes) -> bytes:
    return struct.pack("<BBHI4sH", 14, 0x20, 2132, len(body), b".FIT", 0) + body + b"\0\0"


def test_start_times_are_utc():
    [activity] = read_fit(write_activity(run_points(START, 60)))
    assert activity.start == dt.datetime.fromtimestamp(START, dt.UTC)


def test_a_definition_naming_one_field_twice_is_read_without_crashing():
    """Found by the corruption fuzz test: the later copy of a field is skipped."""
    data = bytearray((DATA / "garmin-fenix-5-run.fit").read_bytes())
    for position in range(15, 600):
        corrupted = bytearray(data)
        corrupted[position] = 253  # make some field number a second timestamp
        with contextlib.suppress(ImportFailure):
            read_activities(bytes(corrupted), "x.fit")
