"""Writes at speed: 100 API clients posting sets and check-ins, against the Today page's
read throughput in the same run, on SQLite and on PostgreSQL.

One uvicorn process serves the real app (``create_app``, run as ``kneecoach serve`` runs
it) on a fixed day. A clinician and N runners are set up first, each runner onboarded with
an API token. Then 100 clients (httpx, async, one process apart from the server) each
write for a fixed time as one runner: a morning check-in (for a day of its own, so every
one is a row of its own) and a set of today's guided session, in turn, each POST with an
``Idempotency-Key`` as a careful client sends it. Then the same 100 clients read the Today
page (signed in, as a browser) for the same time. Reported per database: writes/s and
reads/s, their ratio, p50/p99 of the writes, the errors (any answer but 201/200, or a
dropped connection) and the writes lost: every check-in and set the server acknowledged is
looked up in the database after the server has stopped.

Targets (issue 15, item 4): 0 errors, 0 lost, writes >= 50 % of the Today page's reads,
write p99 < 250 ms. ``--seconds`` shortens a run (default 30 s per phase).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import multiprocessing
import os
import socket
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.postgres import create_database, temporary_server  # noqa: E402

SECONDS = float(os.environ.get("KNEECOACH_BENCH_WRITES_SECONDS", "30"))
CLIENTS = 100
RUNNERS = 10
TODAY = dt.date(2026, 11, 30)
PASSWORD = "a long enough password"
TARGET_RATIO = 0.5
TARGET_P99_MS = 250.0


@dataclass(frozen=True)
class Runner:
    user_id: int
    api_token: str
    cookie: str


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    retried: int = 0
    """Requests sent again on a fresh connection after the server closed a kept-alive one
    under them (see :func:`_send`)."""
    checkins: set[tuple[int, dt.date]] = field(default_factory=set)
    sets: set[tuple[int, str, str, int]] = field(default_factory=set)
    seconds: float = 0.0

    @property
    def done(self) -> int:
        return len(self.latencies)


def _settings(data: str, database_url: str | None) -> Any:
    from kneecoach.config import load_settings

    environ = {"KNEECOACH_DATA_DIR": data}
    if database_url:
        environ["KNEECOACH_DATABASE_URL"] = database_url
    return load_settings(environ)


def _serve(data: str, database_url: str | None, runners: int, port: int, ready: Any) -> None:
    """Set up the clinic and serve the app on TODAY; runs in its own process."""
    import uvicorn

    from kneecoach.bootstrap import build
    from kneecoach.domain.redflags import AgeBand
    from kneecoach.services import onboarding
    from kneecoach.services.accounts import invite, join, new_api_token
    from kneecoach.services.ports import FixedClock
    from kneecoach.web.app import SERVER_OPTIONS, create_app

    settings = _settings(data, database_url)
    clock = FixedClock(TODAY)
    runtime = build(settings, clock=clock)
    accounts = runtime.accounts
    now = clock.now()
    clinician = accounts.create_owner("clinician", PASSWORD, now)
    made = []
    for number in range(runners):
        name = f"runner{number}"
        user = join(accounts, invite(accounts, clinician, now), name, PASSWORD, now)
        onboarding.onboard(
            runtime.runner(user),
            onboarding.default_profile(TODAY),
            onboarding.answers_from_flags([]),
            AgeBand.ADULT,
        )
        cookie, _ = accounts.log_in(name, PASSWORD, now)
        made.append(Runner(user, new_api_token(accounts, user, "bench", now), cookie))
    runtime.engine.dispose()
    app = create_app(settings, clock=clock)
    ready.put(made)
    uvicorn.run(
        app, host="127.0.0.1", port=port, log_level="error", access_log=False, **SERVER_OPTIONS
    )


@contextmanager
def serving(
    data: str, database_url: str | None, runners: int
) -> Iterator[tuple[str, list[Runner]]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ready: Any = multiprocessing.Queue()
    process = multiprocessing.Process(
        target=_serve, args=(data, database_url, runners, port, ready), daemon=True
    )
    process.start()
    try:
        made = ready.get(timeout=300)
        for _ in range(400):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", made
    finally:
        process.terminate()
        process.join(timeout=30)


def _sets_of_today(base: str, runner: Runner) -> list[dict[str, Any]]:
    """Every set of today's session, as the player reports one that ran to its end."""
    import httpx

    answer = httpx.get(
        base + "/api/v1/session", headers={"Authorization": f"Bearer {runner.api_token}"}
    )
    answer.raise_for_status()
    refs = {
        (step["exercise"], step["side"], step["set_number"])
        for step in answer.json()["steps"]
        if step["work"]
    }
    return [
        {"exercise": e, "side": side, "set_number": n, "completed": True}
        for e, side, n in sorted(refs)
    ]


async def _send(client: Any, tally: Tally, method: str, url: str, **options: Any) -> Any:
    """A request, sent once more if the connection it went out on was closed before any
    answer came. HTTP/1.1 keep-alive has that race (the server closes a connection idle for
    its keep-alive time just as the client reuses it), and clients retry such a request:
    a write safely so, with the same Idempotency-Key (stored once). Counted apart from the
    errors; a second failure is an error."""
    import httpx

    try:
        return await client.request(method, url, **options)
    except (httpx.ReadError, httpx.RemoteProtocolError, httpx.WriteError):
        tally.retried += 1
        return await client.request(method, url, **options)


async def _writer(
    client: Any,
    base: str,
    runner: Runner,
    slot: int,
    slots: int,
    sets: list[dict[str, Any]],
    until: float,
    tally: Tally,
) -> None:
    headers = {"Authorization": f"Bearer {runner.api_token}"}
    turn = 0
    while time.perf_counter() < until:
        if turn % 2 == 0:
            day = TODAY - dt.timedelta(days=slot + slots * (turn // 2))
            path, body = "/api/v1/checkins", {"pain_morning": 1, "date": day.isoformat()}
            expected = 201
        else:
            body = sets[(turn // 2) % len(sets)]
            path, expected = "/api/v1/session/sets", 200
        turn += 1
        started = time.perf_counter()
        try:
            answer = await _send(
                client,
                tally,
                "POST",
                base + path,
                json=body,
                headers={**headers, "Idempotency-Key": str(uuid.uuid4())},
            )
        except Exception as error:  # a dropped connection or a timeout is an error
            tally.errors.append(f"{path}: {type(error).__name__}")
            continue
        tally.latencies.append(time.perf_counter() - started)
        if answer.status_code != expected:
            tally.errors.append(f"{path}: {answer.status_code} {answer.text[:120]}")
        elif path.endswith("checkins"):
            tally.checkins.add((runner.user_id, day))
        else:
            tally.sets.add((runner.user_id, body["exercise"], body["side"], body["set_number"]))


async def _reader(client: Any, base: str, runner: Runner, until: float, tally: Tally) -> None:
    while time.perf_counter() < until:
        started = time.perf_counter()
        try:
            answer = await _send(
                client,
                tally,
                "GET",
                base + "/today",
                headers={"Cookie": f"kc_session={runner.cookie}"},
            )
        except Exception as error:
            tally.errors.append(f"/today: {type(error).__name__}")
            continue
        tally.latencies.append(time.perf_counter() - started)
        if answer.status_code != 200:
            tally.errors.append(f"/today: {answer.status_code}")


async def _phase(base: str, runners: list[Runner], seconds: float, *, writing: bool) -> Tally:
    import httpx

    tally = Tally()
    sets = {r.user_id: _sets_of_today(base, r) for r in runners} if writing else {}
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        until = time.perf_counter() + seconds
        jobs = []
        for number in range(CLIENTS):
            runner = runners[number % len(runners)]
            if writing:
                # the clients of one runner take turns at the days: each day is one
                # client's, so every check-in acknowledged is a row of its own
                slot, slots = number // len(runners), -(-CLIENTS // len(runners))
                jobs.append(
                    _writer(client, base, runner, slot, slots, sets[runner.user_id], until, tally)
                )
            else:
                jobs.append(_reader(client, base, runner, until, tally))
        started = time.perf_counter()
        await asyncio.gather(*jobs)
        tally.seconds = time.perf_counter() - started
    return tally


def _lost(data: str, database_url: str | None, tally: Tally) -> int:
    """Acknowledged writes that are not in the database."""
    from kneecoach.bootstrap import build
    from kneecoach.services.ports import FixedClock

    runtime = build(_settings(data, database_url), clock=FixedClock(TODAY))
    lost = 0
    try:
        by_runner: dict[int, set[dt.date]] = {}
        for user, day in tally.checkins:
            by_runner.setdefault(user, set()).add(day)
        for user, days in by_runner.items():
            journal = runtime.runner(user).store.journal
            kept = {c.date for c in journal.checkins(min(days), max(days))}
            lost += len(days - kept)
        sets_by_runner: dict[int, set[tuple[str, str, int]]] = {}
        for user, exercise, side, number in tally.sets:
            sets_by_runner.setdefault(user, set()).add((exercise, side, number))
        for user, refs in sets_by_runner.items():
            open_session = runtime.runner(user).store.journal.unfinished_session()
            kept_sets = (
                {(s.exercise, s.side.value, s.set_number) for s in open_session.sets}
                if open_session is not None
                else set()
            )
            lost += len(refs - kept_sets)
    finally:
        runtime.engine.dispose()
    return lost


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def measure(label: str, database_url: str | None, seconds: float, runners: int) -> bool:
    with tempfile.TemporaryDirectory() as data:
        with serving(data, database_url, runners) as (base, made):
            writes = asyncio.run(_phase(base, made, seconds, writing=True))
            reads = asyncio.run(_phase(base, made, seconds, writing=False))
        lost = _lost(data, database_url, writes)
    write_rps = writes.done / writes.seconds
    read_rps = reads.done / reads.seconds
    ratio = write_rps / read_rps
    p50, p99 = _percentile(writes.latencies, 0.5), _percentile(writes.latencies, 0.99)
    errors = len(writes.errors) + len(reads.errors)
    ok = errors == 0 and lost == 0 and ratio >= TARGET_RATIO and p99 < TARGET_P99_MS
    print(
        f"{label:<10} {write_rps:>8.0f} {read_rps:>8.0f} {ratio:>6.0%} {p50:>7.1f} {p99:>7.1f} "
        f"{_percentile(reads.latencies, 0.99):>9.1f} {errors:>6} {lost:>5} "
        f"{writes.retried + reads.retried:>7}  {'ok' if ok else 'UNDER TARGET'}"
    )
    for line in sorted(set(writes.errors + reads.errors))[:5]:
        print(f"           error: {line}")
    return ok


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=SECONDS, help="per phase (30)")
    parser.add_argument("--runners", type=int, default=RUNNERS, help="runners written to (10)")
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database only")
    options = parser.parse_args(argv if argv is not None else [])
    load = os.getloadavg()
    print(
        f"\nWrites at speed: {CLIENTS} clients, {options.runners} runners, "
        f"{options.seconds:g} s writing then {options.seconds:g} s reading Today "
        f"(load before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})"
    )
    print(
        f"{'database':<10} {'writes/s':>8} {'reads/s':>8} {'ratio':>6} {'w p50':>7} "
        f"{'w p99':>7} {'r p99 ms':>9} {'errors':>6} {'lost':>5} {'retried':>7}"
    )
    print(f"{'targets':<10} {'':>8} {'':>8} {'>=50%':>6} {'':>7} {'<250':>7} {'':>9} {0:>6} {0:>5}")
    if options.only != "postgresql":
        measure("SQLite", None, options.seconds, options.runners)
    if options.only != "sqlite":
        try:
            with temporary_server() as server:
                url = create_database(server, "kneecoach_writes")
                measure("PostgreSQL", url, options.seconds, options.runners)
        except RuntimeError as error:
            print(f"PostgreSQL skipped: {error}")
    load = os.getloadavg()
    print(
        f"(load after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; the ratio is the figure: "
        "both phases ran on the same server in the same run; 'retried' counts requests "
        "sent again after the server closed a kept-alive connection under them)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
