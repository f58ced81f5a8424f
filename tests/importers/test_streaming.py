"""Bounded memory whatever the file: GPX and TCX read as streams, gzip unpacked as a stream
within size and ratio limits, a document type refused wherever and however it is written,
and the sports each format names."""

from __future__ import annotations

import gzip
import io
import os
import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecoach.domain.activity import Sport
from kneecoach.importers import ImportFailure, read_activities
from kneecoach.importers.detect import MAX_RATIO, gunzip, unpacking
from tests.fitwriter import run_points, write_activity
from tests.xmlwriter import gpx, tcx

pytestmark = pytest.mark.own_dates

START = 1_767_250_800  # 2026-01-01T07:00:00Z
POINTS = run_points(START, 300, seed=3)


class Trickle(io.RawIOBase):
    """A stream that hands out its bytes a few at a time, as a network upload may."""

    def __init__(self, data: bytes, sizes: list[int]) -> None:
        self.data, self.sizes, self.at, self.turn = data, sizes, 0, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        size = min(len(buffer), self.sizes[self.turn % len(self.sizes)])
        self.turn += 1
        chunk = self.data[self.at : self.at + size]
        buffer[: len(chunk)] = chunk
        self.at += len(chunk)
        return len(chunk)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["gpx", "tcx", "gpx.gz", "tcx.gz"]),
    st.lists(st.integers(1, 5000), min_size=1, max_size=5),
)
def test_a_file_read_as_a_trickling_stream_gives_what_its_bytes_give(kind, sizes):
    data = gpx(POINTS) if kind.startswith("gpx") else tcx(POINTS)
    if kind.endswith(".gz"):
        data = gzip.compress(data)
    whole = read_activities(data, f"run.{kind}")
    streamed = read_activities(io.BufferedReader(Trickle(data, sizes)), f"run.{kind}")
    assert streamed == whole
    assert len(streamed[0].samples) == len(POINTS)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 20_000),
            st.floats(-80, 80),
            st.floats(-179, 179),
            st.one_of(st.none(), st.integers(40, 220)),
        ),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from(["9", "1", "running", "cycling", None]),
)
def test_a_streamed_gpx_keeps_every_timed_point_in_time_order(points, kind):
    body = "".join(
        f'<trkpt lat="{lat}" lon="{lon}"><time>2026-01-01T07:00:00Z</time>'.replace(
            "07:00:00", f"{7 + t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}"
        )
        + ("" if hr is None else f"<extensions><x:e><x:hr>{hr}</x:hr></x:e></extensions>")
        + "</trkpt>"
        for t, lat, lon, hr in points
    )
    kind_tag = "" if kind is None else f"<type>{kind}</type>"
    document = (
        '<gpx xmlns="http://www.topografix.com/GPX/1/1" xmlns:x="urn:x">'
        f"<trk>{kind_tag}<trkseg>{body}</trkseg></trk></gpx>"
    ).encode()
    (activity,) = read_activities(document, "a.gpx")
    assert len(activity.samples) == len(points)
    seconds = list(activity.samples.seconds)
    assert seconds == sorted(seconds) and seconds[0] == 0
    expected = {"9": Sport.RUN, "1": Sport.CYCLE, "running": Sport.RUN, "cycling": Sport.CYCLE}
    assert activity.sport is expected.get(kind or "", Sport.RUN)
    assert activity.format == "gpx" and not activity.device_distance


def _doctype_after_a_long_comment() -> bytes:
    return (
        '<?xml version="1.0"?>\n<!-- ' + "x" * 70_000 + " -->\n"
        '<!DOCTYPE gpx [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
        '<gpx><trk><trkseg><trkpt lat="1" lon="2"><time>2026-01-01T07:00:00Z</time>'
        "<name>&lol2;</name></trkpt></trkseg></trk></gpx>"
    ).encode()


@pytest.mark.parametrize(
    "document",
    [
        _doctype_after_a_long_comment(),
        _doctype_after_a_long_comment()
        .decode()
        .replace('version="1.0"', 'version="1.0" encoding="UTF-16"')
        .encode("utf-16"),
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE TrainingCenterDatabase SYSTEM "file:///etc/passwd"><TrainingCenterDatabase/>'.encode(
            "utf-16-le"
        ),
        gzip.compress(_doctype_after_a_long_comment()),
    ],
    ids=["after-70kb-comment", "utf-16-with-bom", "utf-16-without-bom-tcx", "gzipped"],
)
def test_a_document_type_is_refused_wherever_and_however_it_is_written(document):
    with pytest.raises(ImportFailure, match="DTD"):
        read_activities(document, "hostile.gpx")


def test_a_utf16_gpx_without_a_document_type_reads():
    text = gpx(POINTS).decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    (activity,) = read_activities(text.encode("utf-16"), "run.gpx")
    assert len(activity.samples) == len(POINTS)


def test_gzip_that_unpacks_past_the_ratio_is_refused_early():
    bomb = gzip.compress(b"<gpx>" + b"<x></x>" * (10 * 1024 * 1024))
    assert len(bomb) * MAX_RATIO < 70 * 1024 * 1024
    with pytest.raises(ImportFailure, match=f"unpacks {MAX_RATIO}x or more"):
        read_activities(bomb, "bomb.gpx.gz")
    stream = unpacking(io.BytesIO(bomb))
    with pytest.raises(ImportFailure, match="refused"):
        while stream.read(1024 * 1024):
            pass
    # refused once past the ratio to what was read, not after the 70 MB are out
    assert stream.raw.count <= MAX_RATIO * len(bomb) + 1024 * 1024  # type: ignore[attr-defined]


def test_gzip_past_the_size_limit_is_refused_whatever_its_ratio():
    data = os.urandom(3 * 1024 * 1024)
    with pytest.raises(ImportFailure, match="larger than 2 MB unpacked"):
        gunzip(gzip.compress(data), limit=2 * 1024 * 1024)
    assert gunzip(gzip.compress(data), limit=4 * 1024 * 1024) == data


def test_damaged_and_cut_gzip_fail_with_a_reason():
    packed = gzip.compress(gpx(POINTS))
    with pytest.raises(ImportFailure, match="truncated gzip"):
        read_activities(packed[: len(packed) // 2], "cut.gpx.gz")
    broken = packed[:20] + bytes(b ^ 0xFF for b in packed[20:40]) + packed[40:]
    with pytest.raises(ImportFailure):
        read_activities(broken, "broken.gpx.gz")


def test_a_treadmill_run_in_fit_is_a_run_and_an_elliptical_is_not():
    treadmill = write_activity(run_points(START, 60, indoor=True), sport=4, sub_sport=1)
    assert read_activities(treadmill)[0].sport is Sport.RUN
    elliptical = write_activity(run_points(START, 60, indoor=True), sport=4, sub_sport=15)
    assert read_activities(elliptical)[0].sport is Sport.OTHER


def test_each_format_says_what_it_is_and_whether_the_distance_is_the_devices():
    fit = read_activities(write_activity(POINTS))[0]
    tcx_run = read_activities(tcx(POINTS))[0]
    gpx_run = read_activities(gpx(POINTS, kind="9"))[0]
    assert (fit.format, fit.device_distance) == ("fit", True)
    assert (tcx_run.format, tcx_run.device_distance) == ("tcx", True)
    assert (gpx_run.format, gpx_run.device_distance, gpx_run.sport) == ("gpx", False, Sport.RUN)
    assert read_activities(tcx(POINTS, sport="Biking"))[0].sport is Sport.CYCLE
    assert read_activities(gpx(POINTS, kind="1"))[0].sport is Sport.CYCLE


HOSTILE = textwrap.dedent(
    """
    import gzip, resource, sys, time
    from kneecoach.importers import ImportFailure, read_activities

    path = sys.argv[1]
    began = time.perf_counter()
    try:
        with open(path, "rb") as f:
            result = f"read {len(read_activities(f, 'big.gpx.gz'))}"
    except ImportFailure as error:
        result = f"refused: {error}"
    # this process's own peak: ru_maxrss would carry the parent's across fork and exec
    try:
        with open("/proc/self/status") as status:
            line = next(l for l in status if l.startswith("VmHWM:"))
        peak = int(line.split()[1]) // 1024
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{result}|{peak}|{time.perf_counter() - began:.1f}")
    """
)


def write_hostile_gpx_gz(path, megabytes: int = 240) -> None:
    """A GPX of ``megabytes`` MB of near-identical points inside a small gzip."""
    head = b'<?xml version="1.0"?><gpx xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
    point = (
        b'<trkpt lat="46.0500000" lon="14.5000000"><ele>300.0</ele>'
        b"<time>2026-01-01T07:00:00Z</time></trkpt>"
    )
    block = point * (1024 * 1024 // len(point) + 1)
    with gzip.open(path, "wb", compresslevel=6) as out:
        out.write(head)
        for _ in range(megabytes):
            out.write(block[: 1024 * 1024])
        out.write(b"</trkseg></trk></gpx>")


def test_a_240_mb_gpx_in_a_small_gzip_is_refused_in_bounded_memory(tmp_path):
    path = tmp_path / "big.gpx.gz"
    write_hostile_gpx_gz(path)
    assert path.stat().st_size < 2 * 1024 * 1024
    done = subprocess.run(
        [sys.executable, "-c", HOSTILE, str(path)], capture_output=True, text=True, check=True
    )
    result, peak_mb, _ = done.stdout.strip().split("|")
    assert result.startswith("refused: unpacks 200x or more"), result
    assert int(peak_mb) < 300
