"""GPX and TCX from real devices and hand-written edge cases; hostile XML refused cleanly."""

from __future__ import annotations

import contextlib
import gzip
from pathlib import Path

import gpxpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.domain.activity import Sport
from kneecoach.importers import ImportFailure, read_activities
from kneecoach.importers.detect import gunzip

pytestmark = pytest.mark.own_dates

DATA = Path(__file__).parents[1] / "data"


def read(name: str):
    path = next(DATA.rglob(name))
    return read_activities(path.read_bytes(), path.name)


def test_a_real_gpx_track_matches_gpxpy_in_distance_time_and_climb():
    activities = read("korita-zbevnica.gpx")
    parsed = gpxpy.parse((DATA / "gpx" / "korita-zbevnica.gpx").read_text())
    timed = [t for t in parsed.tracks if t.get_time_bounds().start_time is not None]
    assert len(activities) == len(timed) == 2  # the file's two untimed tracks are skipped
    for activity, track in zip(activities, timed, strict=True):
        assert activity.distance_m == pytest.approx(track.length_2d(), rel=0.01)
        bounds = track.get_time_bounds()
        assert activity.start == bounds.start_time
        assert activity.elapsed_s == (bounds.end_time - bounds.start_time).total_seconds()
        assert activity.ascent_m is not None and activity.ascent_m > 0


def test_garmin_extension_heart_rate_and_cadence():
    [activity] = read("gpxtpx_v1.gpx")
    assert (activity.avg_hr, activity.max_hr, activity.avg_cadence) == (100.5, 101, 80.5)


def test_gpx_1_0_reads():
    assert len(read("gpx1.0_with_all_fields.gpx")) == 2


def test_strava_types_become_sports():
    [ride] = read("strava_type.gpx")
    assert ride.sport is Sport.CYCLE


def test_tcx_running_with_cadence_and_laps_and_the_devices_distance():
    [run] = read("running.tcx")
    assert run.sport is Sport.RUN
    assert run.distance_m == 10 and run.avg_cadence == 85.5  # the lap total, not GPS's 14 m
    assert run.laps and run.laps[0].distance_m == 10


def test_tcx_without_positions_keeps_the_devices_distance():
    activities = read("multi_activity.tcx")
    assert [a.sport for a in activities] == [Sport.CYCLE, Sport.RUN]
    assert all(a.indoor for a in activities)
    assert activities[1].distance_m == 1000


def test_gzipped_copies_read_the_same():
    path = DATA / "tcx" / "running.tcx"
    assert read_activities(gzip.compress(path.read_bytes()), "x.tcx.gz") == read("running.tcx")


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<gpx><trk><trkseg><trkpt lat="1" lon="1"><time>&lol2;</time></trkpt></trkseg></trk></gpx>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<gpx><trk><name>&xxe;</name></trk></gpx>"""


@pytest.mark.parametrize("hostile", [BOMB, XXE], ids=["billion-laughs", "external-entity"])
def test_hostile_xml_is_refused_cleanly(hostile):
    with pytest.raises(ImportFailure, match="DTD or entity"):
        read_activities(hostile, "evil.gpx")


def test_a_gzip_bomb_is_refused():
    bomb = gzip.compress(b"\0" * (5 * 1024 * 1024))
    with pytest.raises(ImportFailure, match="larger than 1 MB unpacked"):
        gunzip(bomb, limit=1024 * 1024)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<gpx><trk><trkseg><trkpt", "not well-formed XML"),
        (b"<gpx></gpx>", "no timed track points"),
        (b"<kml></kml>", "neither GPX nor TCX"),
        (b"hello", "not GPX, TCX or FIT"),
        (gzip.compress(b"<gpx>", mtime=0)[:-6], "truncated gzip data"),
    ],
)
def test_bad_files_get_a_specific_reason(data, message):
    with pytest.raises(ImportFailure, match=message):
        read_activities(data, "file.gpx")


points = st.lists(
    st.tuples(st.floats(-90, 90), st.floats(-180, 180), st.integers(0, 10**6)), max_size=20
)


@settings(max_examples=200, deadline=None)
@given(points, st.sampled_from(["run", "Ride", "", "hike"]))
def test_generated_gpx_always_imports_or_fails_cleanly(pts, kind):
    body = "".join(
        f'<trkpt lat="{lat}" lon="{lon}"><time>2026-01-01T00:00:00Z</time><ele>{e}</ele></trkpt>'
        for lat, lon, e in pts
    )
    doc = f'<gpx version="1.1"><trk><type>{kind}</type><trkseg>{body}</trkseg></trk></gpx>'
    try:
        for activity in read_activities(doc.encode(), "g.gpx"):
            assert activity.distance_m >= 0
    except ImportFailure:
        pass


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.sampled_from([b"<gpx>", b"<TrainingCenterDatabase>", b""]))
def test_any_bytes_import_or_fail_cleanly(blob, prefix):
    with contextlib.suppress(ImportFailure):
        read_activities(prefix + blob, "x")


def test_channels_some_points_lack_stay_aligned_with_their_points():
    doc = (
        b'<gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        b'<trkpt lat="1" lon="1"><time>2026-01-01T00:00:00Z</time>'
        b"<extensions><hr>120</hr></extensions></trkpt>"
        b'<trkpt lat="1.001" lon="1"><time>2026-01-01T00:00:05.5+00:00</time><ele>7</ele></trkpt>'
        b"</trkseg></trk></gpx>"
    )
    [activity] = read_activities(doc, "x.gpx")
    assert activity.samples.heart_rate[0] == 120
    assert activity.samples.heart_rate[1] != activity.samples.heart_rate[1]  # NaN
    assert activity.samples.altitude[1] == 7
    assert activity.samples.seconds.tolist() == [0.0, 5.5]


@pytest.mark.parametrize(
    ("kind", "sport"),
    [
        ("9", Sport.RUN),
        ("53", Sport.RUN),
        ("Trail Run", Sport.RUN),
        ("Virtual Run", Sport.RUN),
        ("1", Sport.CYCLE),
        ("10", Sport.WALK),
        ("30", Sport.OTHER),
        ("Weight Training", Sport.OTHER),
        ("Elliptical", Sport.OTHER),
    ],
)
def test_a_strava_gpx_type_gives_the_activity_its_sport(kind, sport):
    from tests.fitwriter import run_points
    from tests.xmlwriter import gpx

    (activity,) = read_activities(gpx(run_points(1_700_000_000, 120), kind=kind), "s.gpx")
    assert activity.sport is sport
