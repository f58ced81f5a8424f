"""Import running history from files, folders and whole Strava or Garmin exports, list it,
and report the training load — as views in the runner's units, the same for every face.

Files are read in worker processes (every core; a large file streamed in this process) and
kept as soon as they are read, 64 files to a transaction, so a bad file is reported by name
and never stops the rest, and an interrupted import keeps every batch finished before it
(importing again adds nothing and completes it). Files of one activity become one activity
(domain.merging), whatever order they come in.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import shutil
import tempfile
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, BinaryIO, cast

import numpy as np

from kneecoach.domain import load as L
from kneecoach.domain.activity import Activity, is_run
from kneecoach.domain.advice import Advice
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import Source
from kneecoach.domain.load import Floats, LoadUnit, LoadWarning, Week, check_effort
from kneecoach.domain.merging import Outcome
from kneecoach.domain.plausibility import implausibility
from kneecoach.domain.units import DistanceUnit
from kneecoach.importers import ImportFailure, read_activities
from kneecoach.importers.detect import MAX_FILE_BYTES, too_large
from kneecoach.services.adaptation import too_much_days
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import ImportedFile, StoredActivity
from kneecoach.services.steprate import StepRateView

ACTIVITY_SUFFIXES = (".gpx", ".tcx", ".fit", ".gpx.gz", ".tcx.gz", ".fit.gz")
MAX_ARCHIVE_BYTES = 8 * 1024 * 1024 * 1024
MAX_RATIO = 200
MAX_NESTING = 2
SMALL_FILE_BYTES = 8 * 1024 * 1024
"""Files up to this size (as stored) are read whole and parsed in worker processes; larger
ones are parsed as a stream in this process, so memory stays bounded whatever the file."""
BATCH_FILES = 64
"""Files kept in one transaction (see _Batches)."""
SPOOL_BYTES = 8 * 1024 * 1024
"""An archive inside an archive is unpacked to memory up to this size, to disk beyond."""


@dataclass
class ImportReport:
    """What an import did, in counts that add up: every file seen was read or failed
    (``files == read + len(failed)``), and every activity found was added, merged into one
    already kept, or was already kept (``activities == added + merged + already_kept``)."""

    files: int = 0
    """Activity files seen (a source that could not even be listed counts as one)."""
    activities: int = 0
    """Activities found in the files read."""
    added: int = 0
    merged: int = 0
    """Another file of an activity already kept: listed as one more of its sources."""
    already_kept: int = 0
    """The same file's activity kept before: nothing changed."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(file, reason) for each file that could not be read."""

    @property
    def read(self) -> int:
        return self.files - len(self.failed)

    @property
    def skipped(self) -> int:
        """Activities not added (merged or already kept): the report's older count."""
        return self.merged + self.already_kept

    @property
    def none_read(self) -> bool:
        """No file could be read (or there was none to read)."""
        return self.read == 0


@dataclass(frozen=True, slots=True)
class NamedSource:
    """A file as the person gave it — an activity file or an export zip — by the name they
    gave it (an uploaded file's own name, never where the server keeps it), and a way to
    open its bytes. What a background job would hold for each uploaded file."""

    name: str
    open: Callable[[], BinaryIO]


@dataclass(frozen=True, slots=True)
class ActivityFile:
    """One activity file to read: its name for people (a zip member as archive/path), a
    way to open its bytes, and its size as stored when known."""

    name: str
    open: Callable[[], BinaryIO]
    size: int | None = None
    """What reading it gives (a zip member's unpacked size), when known ahead."""
    refused: str | None = None
    """Why it is not read at all (an archive that cannot be opened, a member too large):
    reported under its own name while the files beside it are read."""


def _refused(name: str, reason: str) -> ActivityFile:
    def never() -> BinaryIO:
        raise ImportFailure(reason)

    return ActivityFile(name, never, 0, reason)


def is_activity_file(name: str) -> bool:
    return name.lower().endswith(ACTIVITY_SUFFIXES)


def _member_problem(info: zipfile.ZipInfo, limit: int = MAX_FILE_BYTES) -> str | None:
    """Why an archive's member is not read: a path out of the archive, a size past the
    file limit (``limit``, as for a gzip file: importers.detect), or a compression ratio
    only a hostile file has. A member inside archives is not held to the file limit: its
    own members are, one by one."""
    name = info.filename
    if name.startswith(("/", "\\")) or ".." in Path(name).parts:
        return "unsafe path inside the archive: refused"
    if info.file_size > limit and not name.lower().endswith(".zip"):
        return too_large(limit)
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
        return f"unpacks {MAX_RATIO}x or more: refused"
    return None


def _zip_files(
    label: str, stream: BinaryIO, depth: int = 0, limit: int = MAX_FILE_BYTES
) -> Iterator[ActivityFile]:
    """The activity files of a zip archive read from ``stream`` (kept open while they are
    read); an archive inside it is unpacked to a spooled temporary file, never whole into
    memory. A member past ``limit`` bytes unpacked is refused by name; the others are
    read."""
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ImportFailure(f"{label}: not a readable zip archive") from None
    infos = archive.infolist()
    if sum(i.file_size for i in infos) > MAX_ARCHIVE_BYTES:
        raise ImportFailure(f"{label}: unpacks to more than 8 GB: refused")
    for info in infos:
        if not info.filename:  # a nameless member (a name cut at a NUL byte): not a file
            yield _refused(f"{label}/(a member with no name)", "no name in the archive: refused")
            continue
        if info.is_dir():
            continue
        inner = f"{label}/{info.filename}"
        wanted = info.filename.lower().endswith(".zip") or is_activity_file(info.filename)
        problem = _member_problem(info, limit) if wanted else None
        if problem is None and info.filename.lower().endswith(".zip") and depth >= MAX_NESTING:
            problem = "archives nested too deep: refused"
        if problem is not None:
            yield _refused(inner, problem)
        elif info.filename.lower().endswith(".zip"):
            spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (kept open while its files are read)
            with archive.open(info) as member:
                shutil.copyfileobj(member, spooled)
            spooled.seek(0)
            yield from _zip_files(inner, cast(BinaryIO, spooled), depth + 1, limit)
        elif is_activity_file(info.filename):
            yield ActivityFile(
                inner, cast(Callable[[], BinaryIO], partial(archive.open, info)), info.file_size
            )


def activity_files(paths: list[Path], limit: int = MAX_FILE_BYTES) -> Iterator[ActivityFile]:
    """Every activity file in the given files, folders and zip archives (members past
    ``limit`` bytes unpacked refused by name)."""
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and (is_activity_file(child.name) or child.suffix == ".zip"):
                    try:  # a bad archive in a folder fails alone; the folder goes on
                        found = list(activity_files([child], limit))
                    except ImportFailure as error:
                        found = [_refused(str(child), str(error).removeprefix(f"{child.name}: "))]
                    yield from found
        elif path.suffix.lower() == ".zip" and path.is_file():
            yield from _zip_files(path.name, path.open("rb"), limit=limit)
        elif path.is_file():
            opener = cast(Callable[[], BinaryIO], partial(path.open, "rb"))
            yield ActivityFile(str(path), opener, path.stat().st_size)
        else:
            raise ImportFailure(f"{path}: no such file or folder")


def source_files(source: NamedSource, limit: int = MAX_FILE_BYTES) -> Iterator[ActivityFile]:
    """The activity files of one named source: the file itself, or an export zip's activity
    files (each named archive/path; members past ``limit`` bytes unpacked refused)."""
    if source.name.lower().endswith(".zip"):
        yield from _zip_files(source.name, source.open(), limit=limit)
    else:
        yield ActivityFile(source.name, source.open)


def _parse(
    name: str, data: bytes | BinaryIO, limit: int = MAX_FILE_BYTES
) -> tuple[str, list[Activity] | str]:
    try:
        return name, read_activities(data, name, limit)
    except ImportFailure as error:
        return name, str(error)
    except (OSError, EOFError, zipfile.BadZipFile) as error:
        return name, f"could not be read: {error}"
    except Exception as error:  # a decoder bug must not stop the whole import
        return name, f"could not be read ({type(error).__name__})"


def _parse_file(file: ActivityFile, limit: int) -> tuple[str, list[Activity] | str]:
    """Open, stream and parse one file in this process (its stream closed after)."""
    if file.refused is not None:
        return file.name, file.refused
    try:
        stream = file.open()
    except (OSError, zipfile.BadZipFile, ImportFailure) as error:
        return file.name, f"could not be read: {error}"
    with stream:
        return _parse(file.name, stream, limit)


def import_paths(
    runner: RunnerContext,
    paths: list[Path],
    on_file: Callable[[ImportReport], None] = lambda report: None,
    on_total: Callable[[int], None] = lambda total: None,
    workers: int | None = None,
) -> ImportReport:
    """Read every file in parallel and keep each file's activities in one transaction; a
    file's source is the path as given (an archive's member as archive/path)."""
    limit = runner.file_limit
    found = [(str(path), partial(activity_files, [path], limit)) for path in paths]
    return _import(runner, found, on_file, on_total, workers)


def import_sources(
    runner: RunnerContext,
    sources: Sequence[NamedSource],
    on_file: Callable[[ImportReport], None] = lambda report: None,
    on_total: Callable[[int], None] = lambda total: None,
    workers: int | None = 1,
) -> ImportReport:
    """Import named byte sources (uploaded files, export zips opened), each activity's
    source being the name the person gave. ``on_file`` is called after each file with the
    report so far (for progress); by default read in the caller's thread, one at a time."""
    found = [(source.name, partial(source_files, source, runner.file_limit)) for source in sources]
    return _import(runner, found, on_file, on_total, workers)


def import_uploads(runner: RunnerContext, uploads: list[tuple[str, bytes]]) -> ImportReport:
    """Import files held in memory (name and bytes each; zip archives opened)."""
    return import_sources(
        runner, [NamedSource(name, partial(io.BytesIO, data)) for name, data in uploads]
    )


def _import(
    runner: RunnerContext,
    sources: Sequence[tuple[str, Callable[[], Iterable[ActivityFile]]]],
    on_file: Callable[[ImportReport], None] = lambda report: None,
    on_total: Callable[[int], None] = lambda total: None,
    workers: int | None = None,
) -> ImportReport:
    """List the activity files of every source (a source that cannot be listed fails under
    its own name), then read them and keep each file's activities in one transaction."""
    runner.stored_profile()
    report = ImportReport()
    listed: list[ActivityFile] = []
    for name, files in sources:
        try:
            listed.extend(files())
        except (ImportFailure, OSError) as error:
            report.files += 1
            report.failed.append((name, str(error)))
    listed = richest_first(listed)
    on_total(len(listed) + report.files)
    workers = workers or os.cpu_count() or 1

    today = runner.clock.today()
    with _Batches(runner) as batches:

        def keep(name: str, outcome: list[Activity] | str) -> None:
            report.files += 1
            if not isinstance(outcome, str):
                outcome = _plausible(outcome, today)
            if isinstance(outcome, str):
                report.failed.append((name, outcome))
            else:
                report.activities += len(outcome)
                for result in batches.add(ImportedFile(name, tuple(outcome))):
                    if result is Outcome.ADDED:
                        report.added += 1
                    elif result is Outcome.MERGED:
                        report.merged += 1
                    else:
                        report.already_kept += 1
            on_file(report)

        _read_all(listed, keep, workers, runner.file_limit)
    return report


def _plausible(activities: list[Activity], today: dt.date) -> list[Activity] | str:
    """The file's activities, or why the file is refused: one impossible activity (a
    broken clock or GPS) makes the whole file suspect, so none of it is kept."""
    for number, activity in enumerate(activities, 1):
        problem = implausibility(activity, today)
        if problem:
            which = f"activity {number} " if len(activities) > 1 else "the activity "
            return f"{which}{problem}"
    return activities


def richest_first(files: list[ActivityFile]) -> list[ActivityFile]:
    """FIT files, then TCX, then GPX (by name), otherwise in the order given: the files of
    one activity then arrive richest first, so the others only add themselves as sources
    instead of replacing its figures and samples. The result is the same in any order
    (domain.merging); this order is only the cheaper one."""
    from kneecoach.domain.merging import FORMAT_RANK

    def rank(file: ActivityFile) -> int:
        stem = file.name.lower().removesuffix(".gz")
        return -FORMAT_RANK.get(stem.rsplit(".", 1)[-1] if "." in stem else "", 0)

    return sorted(files, key=rank)


class _Batches:
    """Files kept :data:`BATCH_FILES` to a transaction: one commit per file would cost more
    than keeping it. An interrupted import keeps every batch finished before it (importing
    again adds nothing and completes it)."""

    def __init__(self, runner: RunnerContext) -> None:
        self.runner = runner
        self.stack = ExitStack()
        self.files = 0

    def add(self, found: ImportedFile) -> tuple[Outcome, ...]:
        if self.files == 0:
            self.stack.enter_context(self.runner.store.transaction())
        outcomes = self.runner.store.activities.add(found)
        self.files += 1
        if self.files >= BATCH_FILES:
            self.stack.close()
            self.files = 0
        return outcomes

    def __enter__(self) -> _Batches:
        return self

    def __exit__(self, *failure: Any) -> None:
        self.stack.__exit__(*failure)


def _read_all(
    listed: list[ActivityFile],
    keep: Callable[[str, list[Activity] | str], None],
    workers: int,
    limit: int = MAX_FILE_BYTES,
) -> None:
    """Parse every file (small ones in worker processes, large ones streamed here) and keep
    each in the order listed; a file past ``limit`` bytes unpacked is refused."""
    if workers == 1 or len(listed) < 4:
        for file in listed:
            keep(*_parse_file(file, limit))
        return
    window = workers * 4  # small files in flight: bounded, so a 10-year export fits
    with ProcessPoolExecutor(max_workers=workers) as pool:
        in_flight: deque[tuple[str, Future[tuple[str, list[Activity] | str]] | str]] = deque()
        for file in listed:
            if file.size is None or file.size > SMALL_FILE_BYTES:
                while in_flight:  # keep the files' order: finish those before it
                    _finish(in_flight.popleft(), keep)
                keep(*_parse_file(file, limit))
                continue
            data = _read(file)
            job = pool.submit(_parse, file.name, data, limit) if isinstance(data, bytes) else data
            in_flight.append((file.name, job))
            if len(in_flight) >= window:
                _finish(in_flight.popleft(), keep)
        while in_flight:
            _finish(in_flight.popleft(), keep)


def _finish(
    item: tuple[str, Future[tuple[str, list[Activity] | str]] | str],
    keep: Callable[[str, list[Activity] | str], None],
) -> None:
    name, job = item
    keep(*(job.result() if isinstance(job, Future) else (name, job)))


def _read(file: ActivityFile) -> bytes | str:
    if file.refused is not None:
        return file.refused
    try:
        with file.open() as stream:
            return stream.read(SMALL_FILE_BYTES + 1)
    except (OSError, EOFError, zipfile.BadZipFile, ImportFailure) as error:
        return f"could not be read: {error}"


class NoSuchActivity(InvalidInput):
    """An activity id that is not in the runner's record."""


def _stored_runs(runner: RunnerContext, all_sports: bool = False) -> list[StoredActivity]:
    """The runner's activities, oldest first: runs only, unless every sport is asked for."""
    return [a for a in runner.store.activities.all() if all_sports or is_run(a.activity)]


@dataclass(frozen=True, slots=True)
class LapView:
    start: dt.datetime
    elapsed_s: float
    distance_m: float
    distance: float
    """In the runner's unit (the run's ``distance_unit``)."""


@dataclass(frozen=True, slots=True)
class RunView:
    """One activity as every face shows it: distance and pace in the runner's unit, and the
    device's own figures (metres, seconds) for scripts."""

    id: int
    start: dt.datetime
    """In UTC."""
    sport: str
    sport_label: str
    """'run', or the sport marked as cross-training."""
    is_run: bool
    name: str
    distance_m: float
    distance: float
    distance_unit: str
    moving_s: float
    elapsed_s: float
    pace_s: float | None
    """Seconds per ``distance_unit`` while moving; None without a distance."""
    pace_unit: str
    ascent_m: float | None
    avg_hr: float | None
    max_hr: float | None
    avg_cadence: float | None
    effort: int | None
    """How hard the runner said it felt (0-10), if they said."""
    indoor: bool
    sources: tuple[str, ...]
    samples: int
    laps: tuple[LapView, ...]
    format: str = ""
    """The format of the file its figures come from (the richest of its sources)."""
    step_rate: float | None = None
    """Median step rate at easy pace (steps/min, domain.steprate); None without cadence."""


@dataclass(frozen=True, slots=True)
class RunsView:
    runs: tuple[RunView, ...]
    """Newest first."""
    all_sports: bool
    distance_unit: str
    pace_unit: str
    cross_training: tuple[RunView, ...] = ()
    """Every other sport, newest first: kept and listed, never counted as running load."""


def _run_view(stored: StoredActivity, unit: DistanceUnit) -> RunView:
    a = stored.activity
    run = is_run(a)
    return RunView(
        id=stored.id,
        start=a.start,
        sport=a.sport.value,
        sport_label=a.sport.value if run else f"{a.sport.value} (cross-training)",
        is_run=run,
        name=a.name,
        distance_m=a.distance_m,
        distance=unit.of(a.distance_m),
        distance_unit=unit.value,
        moving_s=a.moving_s,
        elapsed_s=a.elapsed_s,
        pace_s=unit.pace(a.moving_s, a.distance_m),
        pace_unit=unit.pace_label,
        ascent_m=a.ascent_m,
        avg_hr=a.avg_hr,
        max_hr=a.max_hr,
        avg_cadence=a.avg_cadence,
        effort=stored.effort,
        indoor=a.indoor,
        sources=stored.sources,
        samples=len(a.samples),
        laps=tuple(
            LapView(lap.start, lap.elapsed_s, lap.distance_m, unit.of(lap.distance_m))
            for lap in a.laps
        ),
        format=a.format,
        step_rate=a.step_rate,
    )


def runs_view(runner: RunnerContext, all_sports: bool = False) -> RunsView:
    """The runner's runs, newest first, in their distance unit (``all_sports`` adds
    cross-training)."""
    runner.stored_profile()
    unit = DistanceUnit.parse(runner.preferences.units)
    every = [_run_view(a, unit) for a in reversed(_stored_runs(runner, all_sports=True))]
    return RunsView(
        tuple(v for v in every if all_sports or v.is_run),
        all_sports,
        unit.value,
        unit.pace_label,
        tuple(v for v in every if not v.is_run),
    )


def run_view(runner: RunnerContext, activity_id: int) -> RunView:
    """One activity in full, its laps included; NoSuchActivity if it is not the runner's."""
    runner.stored_profile()
    stored = runner.store.activities.get(activity_id)
    if stored is None:
        raise NoSuchActivity(f"no activity {activity_id}")
    return _run_view(stored, DistanceUnit.parse(runner.preferences.units))


def set_effort(runner: RunnerContext, activity_id: int, effort: int) -> None:
    """Keep how hard a run felt (0-10), for load counted as session-RPE."""
    check_effort(effort)
    runner.stored_profile()
    if not runner.store.activities.set_effort(activity_id, effort):
        raise NoSuchActivity(f"no activity {activity_id}")


@dataclass(frozen=True)
class LoadReport:
    """Daily series from the first run to today, weekly totals and warnings."""

    unit: LoadUnit
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


def load_report(
    runner: RunnerContext, unit: str = "distance", distance: DistanceUnit = DistanceUnit.KM
) -> LoadReport | None:
    """The running load from the first run to today, distances in ``distance``; None before
    any run."""
    load_unit = LoadUnit.parse(unit)
    kept = _stored_runs(runner)
    if not kept:
        return None
    runs = [a.activity for a in kept]
    today = runner.clock.today()
    first = min(r.start.date() for r in runs)
    last = max(today, max(r.start.date() for r in runs))
    amounts = [
        load_unit.of_run(distance, a.activity.distance_m, a.activity.moving_s, a.effort)
        for a in kept
    ]
    series = L.daily_load([r.start.date() for r in runs], first, last, amounts)
    block = series[np.newaxis, :]
    days = [first + dt.timedelta(days=i) for i in range(series.shape[0])]
    return LoadReport(
        unit=load_unit,
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


RECENT_WEEKS = 12
RECENT_DAYS = 56
RECENT_WARNING_DAYS = 28
"""How much of the history the load's faces show at a glance (kneecoach defaults); the JSON
carries every day."""


@dataclass(frozen=True, slots=True)
class ZoneView:
    """A band of the acute:chronic ratio, with its bounds for charts (None: open ended)."""

    key: str
    label: str
    low: float | None
    high: float | None
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class RatioView:
    """One acute:chronic ratio on one day, with its band; None without 28 days of history."""

    key: str
    label: str
    value: float | None
    zone: ZoneView | None
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class LoadWarningView:
    day: dt.date
    """The day it applies to; for a ratio spike over several days, the last of them."""
    kind: str
    advice: Advice
    since: dt.date | None = None
    """The first day of a ratio spike over several days; else None."""


@dataclass(frozen=True, slots=True)
class LoadDayView:
    """One day: its load, the three ratios, fitness, fatigue and form, and its warnings."""

    day: dt.date
    load: float
    rolling: RatioView
    uncoupled: RatioView
    ewma: RatioView
    ctl: float
    atl: float
    tsb: float
    warnings: tuple[LoadWarningView, ...]
    step_rate: float | None = None
    """The day's runs' step rate at easy pace (steps/min; None without a run with cadence)."""
    step_rate_baseline: float | None = None
    """The step-rate baseline, target and ceiling as they stood that day (services.steprate)."""
    step_rate_target: int | None = None
    step_rate_ceiling: int | None = None

    @property
    def ratios(self) -> tuple[RatioView, RatioView, RatioView]:
        return self.rolling, self.uncoupled, self.ewma


@dataclass(frozen=True, slots=True)
class LoadWeekView:
    monday: dt.date
    load: float
    change: float | None
    """Fraction over the week before (0.35 = 35 % more); None after an empty week."""
    jump: bool
    """Over the weekly-jump limit (the view's ``jump_rule``)."""


@dataclass(frozen=True, slots=True)
class LoadView:
    """The running load as every face shows it: loads (and fitness, fatigue and form) in
    ``unit_label``, the ratios with their bands, and the caveat to show beside any ratio."""

    unit: str
    """What load counts: distance, duration or session-rpe."""
    unit_label: str
    """What the loads are in: km or mi, min, or effort × min."""
    quantity: str
    """What the load measures, in words: distance, time or load."""
    days: tuple[LoadDayView, ...]
    """Every day from the first run to today."""
    recent_days: tuple[LoadDayView, ...]
    today: LoadDayView
    weeks: tuple[LoadWeekView, ...]
    recent_weeks: tuple[LoadWeekView, ...]
    jump_rule: Advice
    zones: tuple[ZoneView, ...]
    """Every band of the ratio, lowest first."""
    named_zones: tuple[ZoneView, ...]
    """The bands the source names (the 'sweet spot', the 'danger zone'): a chart's shading."""
    warnings: tuple[LoadWarningView, ...]
    recent_warnings: tuple[LoadWarningView, ...]
    caveat: Advice
    no_ratio: str
    """Why a day has no ratio, in words."""
    fitness_model: Advice
    """What fitness, fatigue and form are, and their source."""
    step_rate: StepRateView | None = None
    """Step rate at easy pace, the baseline and the suggested target, as of today."""


def load_view(runner: RunnerContext, unit: str | None = None) -> LoadView | None:
    """The running load in the runner's units (``unit`` overrides the load unit of their
    settings); None before any run."""
    runner.stored_profile()
    distance = DistanceUnit.parse(runner.preferences.units)
    report = load_report(runner, unit or runner.preferences.load_unit, distance)
    if report is None:
        return None
    zones = {zone.key: _zone_view(zone) for zone in L.ZONES}
    warned: dict[dt.date, list[LoadWarningView]] = {}
    for warning in report.warnings:
        warned.setdefault(warning.day, []).append(
            LoadWarningView(
                warning.day, warning.kind, Advice(warning.text, warning.sources), warning.since
            )
        )

    def ratio(kind: L.RatioKind, computed: float) -> RatioView:
        value = None if math.isnan(computed) else float(computed)
        zone = L.acwr_zone(value)
        return RatioView(
            kind.key, kind.label, value, None if zone is None else zones[zone.key], (kind.source,)
        )

    from kneecoach.domain.steprate import by_day, targets_by_day
    from kneecoach.services.steprate import run_step_rates, step_rate_view

    stepped = run_step_rates(runner)
    step_days = by_day(stepped, report.days)
    step_targets = targets_by_day(stepped, report.days)
    days = tuple(
        LoadDayView(
            day,
            float(report.load[i]),
            ratio(L.ROLLING, report.acwr_rolling[i]),
            ratio(L.UNCOUPLED, report.acwr_uncoupled[i]),
            ratio(L.EWMA, report.acwr_ewma[i]),
            float(report.ctl[i]),
            float(report.atl[i]),
            float(report.tsb[i]),
            tuple(warned.get(day, ())),
            step_days[i],
            *(step_targets[i] or (None, None, None)),
        )
        for i, day in enumerate(report.days)
    )
    weeks = tuple(LoadWeekView(w.monday, w.load, w.change, w.jump) for w in report.weeks)
    warnings = tuple(w for day in days for w in day.warnings)
    today = days[-1]
    return LoadView(
        unit=report.unit.value,
        unit_label=report.unit.label(distance),
        quantity=report.unit.quantity,
        days=days,
        recent_days=days[-RECENT_DAYS:],
        today=today,
        weeks=weeks,
        recent_weeks=weeks[-RECENT_WEEKS:],
        jump_rule=L.WEEKLY_JUMP_RULE,
        zones=tuple(zones.values()),
        named_zones=tuple(zones[zone.key] for zone in L.NAMED_ZONES),
        warnings=warnings,
        recent_warnings=tuple(
            w for w in warnings if (today.day - w.day).days <= RECENT_WARNING_DAYS
        ),
        caveat=L.RATIO_CAVEAT,
        no_ratio=L.NO_RATIO,
        fitness_model=L.FITNESS_FATIGUE,
        step_rate=step_rate_view(runner, stepped),
    )


def _zone_view(zone: L.Zone) -> ZoneView:
    return ZoneView(zone.key, zone.label, zone.low, zone.high, (zone.source,))
