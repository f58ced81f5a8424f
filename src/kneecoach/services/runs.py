"""Import running history from files, folders and whole Strava or Garmin exports, and
report the training load.

Files are read in worker processes (every core) and each file's activities are written in
one transaction as soon as it is read, so a bad file is reported by name and never stops
the rest, and an interrupted import keeps every file finished before it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from kneecoach.domain import load as L
from kneecoach.domain.activity import Activity, Sport
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.load import Floats, LoadWarning, Week
from kneecoach.importers import ImportFailure, read_activities
from kneecoach.services.adaptation import too_much_days
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import ImportedFile

ACTIVITY_SUFFIXES = (".gpx", ".tcx", ".fit", ".gpx.gz", ".tcx.gz", ".fit.gz")
MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_ARCHIVE_BYTES = 8 * 1024 * 1024 * 1024
MAX_RATIO = 200
MAX_NESTING = 2


@dataclass
class ImportReport:
    files: int = 0
    added: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Source:
    """One file to read: its name for people, and a way to get its bytes."""

    name: str
    read: Callable[[], bytes]


def is_activity_file(name: str) -> bool:
    return name.lower().endswith(ACTIVITY_SUFFIXES)


def _check_member(archive: str, info: zipfile.ZipInfo) -> None:
    name = info.filename
    if name.startswith(("/", "\\")) or ".." in Path(name).parts:
        raise ImportFailure(f"{archive}: unsafe path inside the archive: {name}")
    if info.file_size > MAX_MEMBER_BYTES:
        raise ImportFailure(f"{archive}: {name} is larger than 256 MB unpacked")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        raise ImportFailure(f"{archive}: {name} unpacks {MAX_RATIO}x or more: refused")


def _zip_sources(label: str, data: bytes, depth: int = 0) -> Iterator[Source]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportFailure(f"{label}: not a readable zip archive") from None
    infos = archive.infolist()
    if sum(i.file_size for i in infos) > MAX_ARCHIVE_BYTES:
        raise ImportFailure(f"{label}: unpacks to more than 8 GB: refused")
    for info in infos:
        if info.is_dir():
            continue
        _check_member(label, info)
        inner = f"{label}/{info.filename}"
        if info.filename.lower().endswith(".zip"):
            if depth + 1 > MAX_NESTING:
                raise ImportFailure(f"{inner}: archives nested too deep")
            yield from _zip_sources(inner, archive.read(info), depth + 1)
        elif is_activity_file(info.filename):
            yield Source(inner, lambda a=archive, i=info: a.read(i))


def sources(paths: list[Path]) -> Iterator[Source]:
    """Every activity file in the given files, folders and zip archives."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and (is_activity_file(child.name) or child.suffix == ".zip"):
                    yield from sources([child])
        elif path.suffix.lower() == ".zip":
            yield from _zip_sources(path.name, path.read_bytes())
        elif path.is_file():
            yield Source(str(path), path.read_bytes)
        else:
            raise ImportFailure(f"{path}: no such file or folder")


def _parse(name: str, data: bytes) -> tuple[str, list[Activity] | str]:
    try:
        return name, read_activities(data, name)
    except ImportFailure as error:
        return name, str(error)
    except Exception as error:  # a decoder bug must not stop the whole import
        return name, f"could not be read ({type(error).__name__})"


def import_paths(
    runner: RunnerContext,
    paths: list[Path],
    on_file: Callable[[ImportReport], None] = lambda report: None,
    on_total: Callable[[int], None] = lambda total: None,
    workers: int | None = None,
) -> ImportReport:
    """Read every file in parallel and keep each file's activities in one transaction."""
    runner.stored_profile()
    report = ImportReport()
    listed: list[Source] = []
    for path in paths:
        try:
            listed.extend(sources([path]))
        except (ImportFailure, OSError) as error:
            report.files += 1
            report.failed.append((str(path), str(error)))
    on_total(len(listed) + report.files)
    workers = workers or os.cpu_count() or 1

    def keep(name: str, outcome: list[Activity] | str) -> None:
        report.files += 1
        if isinstance(outcome, str):
            report.failed.append((name, outcome))
        else:
            added, skipped = runner.store.activities.add(ImportedFile(name, tuple(outcome)))
            report.added += added
            report.skipped += skipped
        on_file(report)

    if workers == 1 or len(listed) < 4:
        for source in listed:
            data = _read(source)
            keep(*(_parse(source.name, data) if isinstance(data, bytes) else (source.name, data)))
        return report
    window = workers * 4  # files in flight: bounded, so a 10-year export fits in memory
    with ProcessPoolExecutor(max_workers=workers) as pool:
        in_flight: deque[tuple[str, Future[tuple[str, list[Activity] | str]] | str]] = deque()
        for source in listed:
            data = _read(source)
            job = pool.submit(_parse, source.name, data) if isinstance(data, bytes) else data
            in_flight.append((source.name, job))
            if len(in_flight) >= window:
                _finish(in_flight.popleft(), keep)
        while in_flight:
            _finish(in_flight.popleft(), keep)
    return report


def _finish(
    item: tuple[str, Future[tuple[str, list[Activity] | str]] | str],
    keep: Callable[[str, list[Activity] | str], None],
) -> None:
    name, job = item
    keep(*(job.result() if isinstance(job, Future) else (name, job)))


def _read(source: Source) -> bytes | str:
    try:
        return source.read()
    except (OSError, zipfile.BadZipFile, ImportFailure) as error:
        return f"could not be read: {error}"


@dataclass(frozen=True)
class LoadReport:
    """Daily series from the first run to today, weekly totals and warnings."""

    unit: str
    first: dt.date
    days: list[dt.date]
    load: Floats
    acwr_rolling: Floats
    acwr_uncoupled: Floats
    acwr_ewma: Floats
    ctl: Floats
    atl: Floats
    tsb: Floats
    weeks: list[Week]
    warnings: list[LoadWarning]


def load_report(runner: RunnerContext, unit: str = "distance") -> LoadReport | None:
    """The running load from the first run to today; None before any run."""

    if unit not in ("distance", "duration", "session-rpe"):
        raise InvalidInput(f"the load unit must be distance, duration or session-rpe, not '{unit}'")
    kept = [a for a in runner.store.activities.all() if a.activity.sport is Sport.RUN]
    if not kept:
        return None
    runs = [a.activity for a in kept]
    today = runner.clock.today()
    first = min(r.start.date() for r in runs)
    last = max(today, max(r.start.date() for r in runs))
    if unit == "session-rpe":
        # effort × minutes; a run without an effort adds nothing, and says so in the view
        amounts = [(a.effort or 0) * a.activity.moving_s / 60 for a in kept]
    elif unit == "duration":
        amounts = [r.moving_s / 60 for r in runs]
    else:
        amounts = [r.distance_m / 1000 for r in runs]
    series = L.daily_load([r.start.date() for r in runs], first, last, amounts)
    block = series[np.newaxis, :]
    days = [first + dt.timedelta(days=i) for i in range(series.shape[0])]
    return LoadReport(
        unit=unit,
        first=first,
        days=days,
        load=series,
        acwr_rolling=L.acwr_rolling(block)[0],
        acwr_uncoupled=L.acwr_uncoupled(block)[0],
        acwr_ewma=L.acwr_ewma(block)[0],
        ctl=L.fitness(block)[0],
        atl=L.fatigue(block)[0],
        tsb=L.form(block)[0],
        weeks=L.weeks(series, first),
        warnings=L.warnings(
            series,
            first,
            too_much_days(runner, first, last),
            sorted({r.start.date() for r in runs}),
        ),
    )
