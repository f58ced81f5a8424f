"""The clinic dashboard of 200 runners: GET /clinic against the clinician's own Today page.

A clinic is seeded through the services on SQLite, as it would grow over eight weeks: the
owner (a clinician who follows a program too) and 200 runners who joined by invitation,
each with their sessions logged on most planned days and the next morning's check-in, two
AKPS scores six weeks apart and about three runs a week imported as GPX files. A few were
paused by pain of 8/10 today, a few ran every day for the last eleven days (a load spike), a
few stopped logging ten days ago, a few scored the AKPS worse by the MCID, and two joined
but never set up. The seeded clinic is kept under .bench/
(keyed by ``VERSION``), so a second run times without seeding again.

Timed: GET /clinic as the clinician through the app in process (FastAPI's TestClient), 30
requests after 3 warm-ups, median and p95 in ms, the median CPU ms of the process (what a
loaded machine inflates least), the page's size and the SQL statements one request sends
(counted as benchmarks/queries.py counts them); the first request of the process apart, and
the cold first visit: /clinic with no row kept (services.clinic.KeptSummaries emptied before
each of 3 requests, KNEECOACH_BENCH_CLINIC_COLD to change it: every row made from its
runner's record, as on the day's first look), its seconds and statements reported apart.
Named peer in the same run: the same clinician's GET /today, the app's everyday page (kept
rendered per data revision, as the dashboard's rows are). Target (issue 16): the /clinic
median under 300 ms. On PostgreSQL too with KNEECOACH_BENCH_CLINIC_PG=1, when a throwaway
server can be started (as benchmarks/queries.py does): the same clinic copied in through the
runners' backups (not yet run to the end: the copy is slow).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from kneecoach.bootstrap import Runtime, build
from kneecoach.config import load_settings
from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.outcomes import DISLOCATION_ITEM, ITEMS
from kneecoach.domain.planning import SessionPlan
from kneecoach.domain.profile import Knee, Profile
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import accounts as account_service
from kneecoach.services import backup, journal, onboarding, outcomes, runs, today
from kneecoach.services.clinic import KeptSummaries
from kneecoach.services.context import NotSetUp
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from tests.helpers import Calendar  # noqa: E402
from tests.postgres import temporary_server  # noqa: E402

from queries import counting  # noqa: E402

VERSION = "clinic-v1"
"""Change it when the seed changes: the kept clinic is then seeded anew."""
CACHE = ROOT / ".bench" / VERSION
RUNNERS = int(os.environ.get("KNEECOACH_BENCH_CLINIC_RUNNERS", "200"))
TODAY = dt.date(2026, 11, 30)
START = TODAY - dt.timedelta(weeks=8)
OWNER = "ana"
PASSWORD = "a long enough password"
WARM_UPS, REQUESTS = 3, 30
COLD_REQUESTS = int(os.environ.get("KNEECOACH_BENCH_CLINIC_COLD", "3"))
TARGET_MS = 300.0
EQUIPMENT = frozenset(
    {Equipment.LOW_BENCH, Equipment.WALL, Equipment.PAD, Equipment.RESISTANCE_BAND}
)


@dataclass(frozen=True)
class Kind:
    """What happens to one runner over the eight weeks."""

    paused: bool = False
    """Logs today's session with pain 8/10: the program pauses."""
    spike: bool = False
    """Runs every day for the last eleven days after a run every fourth day."""
    away: bool = False
    """Logs nothing for the last ten days."""
    akps_worse: bool = False
    """The second AKPS worse than the first by more than the MCID."""
    not_set_up: bool = False
    """Joined and never set up a program."""


def kind_of(number: int) -> Kind:
    return Kind(
        paused=number % 50 == 7,
        spike=number % 40 == 13,
        away=number % 30 == 19,
        akps_worse=number % 45 == 22,
        not_set_up=number % 100 == 99,
    )


def akps_answers(quality: float) -> list[int]:
    """Thirteen option numbers, each the option that far from the worst (0) to the best (1)
    of its item; never a kneecap dislocation (a red flag, which would pause the runner)."""
    answers = []
    for item in ITEMS:
        ranked = sorted(range(len(item.options)), key=lambda i: item.options[i].points)
        chosen = 1.0 if item.number == DISLOCATION_ITEM else quality  # no red flag here
        answers.append(ranked[round(chosen * (len(ranked) - 1))] + 1)
    return answers


def gpx_run(day: dt.date, minutes: int, seed: int) -> bytes:
    """A run as a GPX track, a point every 5 s at about 3 m/s (the dashboard reads no
    samples: the points only need to make the run's distance and time)."""
    rng = random.Random(seed)
    start = dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)
    lat, points = 46.05, []
    for i in range(minutes * 12 + 1):
        when = start + dt.timedelta(seconds=5 * i)
        lat += (3.0 + rng.uniform(-0.2, 0.2)) * 5 / 111_200
        points.append(
            f'<trkpt lat="{lat:.6f}" lon="14.5"><time>{when:%Y-%m-%dT%H:%M:%SZ}</time></trkpt>'
        )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="bench" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><type>running</type><trkseg>'
        + "".join(points)
        + "</trkseg></trk></gpx>"
    ).encode()


@contextmanager
def cheap_password_hashing() -> Iterator[None]:
    """Seeding only: 200 joins at argon2's product cost would take minutes and say nothing
    of the dashboard (a signed-in request checks a session token, not a password)."""
    from argon2 import PasswordHasher, Type

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    original = account_service._hasher
    account_service._hasher = lambda: cheap
    account_service._stand_in_hash.cache_clear()
    try:
        yield
    finally:
        account_service._hasher = original
        account_service._stand_in_hash.cache_clear()


def runtime_on(url: str, data: str, clock: Calendar) -> Runtime:
    settings = load_settings({"KNEECOACH_DATA_DIR": data, "KNEECOACH_DATABASE_URL": url})
    return build(settings, clock=clock)


def seed_runner(runtime: Runtime, clock: Calendar, owner: int, number: int) -> None:
    """One runner's eight weeks, through the services, the clock moved day by day."""
    rng = random.Random(number)
    kind = kind_of(number)
    clock.day = START - dt.timedelta(days=1)
    token = account_service.invite(runtime.accounts, owner, clock.now())
    user = account_service.join(
        runtime.accounts, token, f"runner {number:03d}", PASSWORD, clock.now()
    )
    if kind.not_set_up:
        return
    runner = runtime.runner(user, clock)
    profile = Profile(
        affected_knee=(Knee.LEFT, Knee.RIGHT, Knee.BOTH)[number % 3],
        pain_at_rest=rng.randint(0, 2),
        pain_running=rng.randint(2, 5),
        equipment=EQUIPMENT,
        sessions_per_week=(3, 3, 4, 5)[number % 4],
        start_date=START,
    )
    clock.day = START
    onboarding.onboard(runner, profile, onboarding.answers_from_flags([]), AgeBand.ADULT)
    outcomes.record_akps(runner, akps_answers(rng.uniform(0.55, 0.75)), START)
    run_days = {1, 3, 5} if number % 2 else {0, 2, 5}
    last_logged = TODAY - dt.timedelta(days=10) if kind.away else TODAY
    waiting: list[tuple[str, bytes]] = []
    logged_yesterday = False
    day = START
    while day <= TODAY:
        clock.day = day
        if logged_yesterday:
            pain = rng.choice((0, 1, 1, 2, 2, 3))
            journal.record_checkin(runner, pain, day)
        logged_yesterday = False
        last_days = (TODAY - day).days
        if kind.spike:
            runs_today = last_days <= 10 or last_days % 4 == 0
        else:
            runs_today = day.weekday() in run_days
        if runs_today:
            minutes = rng.randint(25, 45)
            waiting.append((f"{day}.gpx", gpx_run(day, minutes, number * 1000 + last_days)))
        if day.weekday() == 6 or day == TODAY:
            if waiting:
                runs.import_uploads(runner, waiting)
            waiting = []
        if day == START + dt.timedelta(weeks=6):
            quality = rng.uniform(0.1, 0.25) if kind.akps_worse else rng.uniform(0.75, 0.95)
            outcomes.record_akps(runner, akps_answers(quality), day)
        if day <= last_logged and isinstance(today.plan_for(runner, day), SessionPlan):
            if day == TODAY and kind.paused:
                pain = 8
            elif rng.random() < 0.15:  # a planned session skipped
                pain = -1
            else:
                pain = rng.choice((1, 2, 2, 3, 3, 4))
            if pain >= 0:
                plan = today.session_for(runner, day)
                done = journal.planned_as_done(plan)
                journal.record_session(runner, day, done, pain, effort=rng.randint(3, 6))
                logged_yesterday = True
        day += dt.timedelta(days=1)


def seed(url: str, data: str, report: Callable[[str], None]) -> None:
    clock = Calendar(START - dt.timedelta(days=1))
    runtime = runtime_on(url, data, clock)
    owner = runtime.accounts.create_owner(OWNER, PASSWORD, clock.now())
    onboarding.onboard(
        runtime.runner(owner, clock),
        Profile(Knee.LEFT, 1, 3, EQUIPMENT, 3, START),
        onboarding.answers_from_flags([]),
        AgeBand.ADULT,
    )
    began = time.perf_counter()
    for number in range(RUNNERS):
        seed_runner(runtime, clock, owner, number)
        if (number + 1) % 25 == 0:
            report(f"  seeded {number + 1}/{RUNNERS} runners ({time.perf_counter() - began:.0f} s)")
    runtime.engine.dispose()


def kept_clinic() -> Path:
    """The seeded SQLite clinic's folder under .bench/, seeded first when missing."""
    database = CACHE / f"{RUNNERS}" / "kneecoach.db"
    if database.exists():
        return database.parent
    print(f"\nSeeding a clinic of {RUNNERS} runners into {database.parent} (kept for next runs)")
    building = database.parent.with_name(f"{RUNNERS}.seeding")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    with cheap_password_hashing():
        seed(f"sqlite:///{building / 'kneecoach.db'}", str(building), print)
    building.rename(database.parent)
    return database.parent


def copy_to_postgres(kept: Path, url: str, data: str) -> None:
    """The kept clinic on a PostgreSQL database: the same accounts made anew (the owner,
    each runner by invitation) and each runner's record restored from their backup."""
    clock = Calendar(TODAY)
    source = runtime_on(f"sqlite:///{kept / 'kneecoach.db'}", str(kept), clock)
    target = runtime_on(url, data, clock)
    with cheap_password_hashing():
        owner = target.accounts.create_owner(OWNER, PASSWORD, clock.now())
        old_owner = source.accounts.store.account(OWNER)
        assert old_owner is not None
        for old, name in [(old_owner.id, OWNER), *source.accounts.runners_of(old_owner.id)]:
            if old == old_owner.id:
                new = owner
            else:
                token = account_service.invite(target.accounts, owner, clock.now())
                new = account_service.join(target.accounts, token, name, PASSWORD, clock.now())
            try:
                document = backup.make_backup(source.runner(old, clock)).data
            except NotSetUp:
                continue  # not set up: nothing to restore
            backup.restore_document(target.runner(new, clock), json.loads(document), name)
    source.engine.dispose()
    target.engine.dispose()


@dataclass(frozen=True)
class Timed:
    page: str
    first_ms: float
    """The first request of the process: nothing kept in memory yet."""
    first_statements: int
    times_ms: list[float]
    size: int
    statements: int
    cpu_ms: list[float]
    """The process's CPU time of each timed request."""

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.times_ms, n=20, method="inclusive")[18]


def get(client: TestClient, path: str) -> tuple[float, int]:
    """One request: its time in ms and the page's size in bytes."""
    elapsed, _, size = get_timed(client, path)
    return elapsed, size


def get_timed(client: TestClient, path: str) -> tuple[float, float, int]:
    """One request: its wall time and the process's CPU time in ms, and the page's size."""
    began, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    elapsed = (time.perf_counter() - began) * 1000
    cpu_ms = (time.process_time() - cpu) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code}")
    return elapsed, cpu_ms, len(response.content)


def time_pages(url: str, data: str) -> list[Timed]:
    """/clinic and /today as the clinician, in a new process's app: the first request
    (nothing kept in memory yet) and its statements, the other warm-ups, then the timed
    requests, then one more whose statements are counted."""
    settings = load_settings({"KNEECOACH_DATA_DIR": data, "KNEECOACH_DATABASE_URL": url})
    clock = FixedClock(TODAY)
    app = create_app(settings, clock=clock)
    token, _ = build(settings, clock=clock).accounts.log_in(OWNER, PASSWORD, clock.now())
    timed = []
    with TestClient(app, follow_redirects=False) as client:
        client.cookies.set("kc_session", token)
        for path in ("/clinic", "/today"):
            with counting() as first_seen:
                first, _ = get(client, path)
            for _ in range(WARM_UPS - 1):
                get(client, path)
            both = [get_timed(client, path)[:2] for _ in range(REQUESTS)]
            with counting() as seen:
                _, size = get(client, path)
            times, cpus = [t for t, _ in both], [c for _, c in both]
            timed.append(Timed(path, first, len(first_seen), times, size, len(seen), cpus))
            if path == "/clinic":
                timed.append(made_anew(client, app.state.web.runtime.kept_summaries))
    return timed


def made_anew(client: TestClient, kept: KeptSummaries) -> Timed:
    """/clinic with no row kept: every runner's row made from their record (the first look
    of a day, or a process just started)."""
    times, cpus, statements, size = [], [], 0, 0
    for _ in range(COLD_REQUESTS):
        kept.clear()
        with counting() as seen:
            elapsed, cpu, size = get_timed(client, "/clinic")
        times.append(elapsed)
        cpus.append(cpu)
        statements = len(seen)
    return Timed("/clinic, no row kept", times[0], statements, times, size, statements, cpus)


def table(database: str, timed: list[Timed]) -> None:
    print(
        f"{'page':<22}{'first ms':>10}{'first SQL':>11}{'median ms':>11}{'p95 ms':>9}"
        f"{'CPU ms':>9}{'KiB':>7}{'SQL/request':>13}"
    )
    for t in timed:
        print(
            f"{t.page:<22}{t.first_ms:>10.0f}{t.first_statements:>11}{t.median:>11.1f}"
            f"{t.p95:>9.1f}{t.cpu_median:>9.1f}{t.size / 1024:>7.0f}{t.statements:>13}"
        )
    clinic, anew, peer = timed
    verdict = "ok" if clinic.median < TARGET_MS else "OVER TARGET"
    print(
        f"  {database}: /clinic / /today median {clinic.median / peer.median:.1f}x; "
        f"/clinic median {clinic.median:.0f} ms (target < {TARGET_MS:.0f} ms, issue 16): "
        f"{verdict}; CPU /clinic / /today {clinic.cpu_median / peer.cpu_median:.1f}x"
    )
    print(
        f"  {database}: cold first visit (no row kept, {RUNNERS} runners): "
        f"{anew.median / 1000:.1f} s median of {COLD_REQUESTS} "
        f"(CPU {anew.cpu_median / 1000:.1f} s), {anew.statements} statements "
        f"({anew.statements / RUNNERS:.1f} per runner); warm: {clinic.median:.0f} ms, "
        f"{clinic.statements} statements"
    )


def main() -> None:
    kept = kept_clinic()
    load = os.getloadavg()
    print(
        f"\nClinic dashboard of {RUNNERS} runners on {TODAY} (8 weeks each), as the clinician, "
        f"{REQUESTS} requests after {WARM_UPS} warm-ups; load average {load[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as data:
        shutil.copytree(kept, data, dirs_exist_ok=True)  # the kept clinic stays as seeded
        table("SQLite", time_pages(f"sqlite:///{data}/kneecoach.db", data))
    if os.environ.get("KNEECOACH_BENCH_CLINIC_PG") != "1":
        print("  PostgreSQL left out: set KNEECOACH_BENCH_CLINIC_PG=1 (copies 200 records)")
        return
    with ExitStack() as stack, tempfile.TemporaryDirectory() as data:
        try:
            server = stack.enter_context(temporary_server())
        except RuntimeError as error:
            print(f"  PostgreSQL left out: {error}")
            return
        copy_to_postgres(kept, server, data)
        table("PostgreSQL", time_pages(server, data))


if __name__ == "__main__":
    main()
