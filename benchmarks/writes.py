"""Writes at speed: 100 API clients posting sets and check-ins, against the Today page's
read throughput in the same run, and the writes' latency at a person's pace, on SQLite and
on PostgreSQL.

One uvicorn process serves the real app (``create_app``, run as ``kneecoach serve`` runs
it) on a fixed day. A clinician and N runners are set up first, each runner onboarded with
an API token. Each write is a morning check-in (for a day of its own, so every one is a
row of its own) or a set of today's guided session, in turn, each POST with an
``Idempotency-Key`` as a careful client sends it. Four phases, on the same server:

1. **Throughput, closed loop**: 100 clients (httpx, async, one process apart from the
   server) each send their next write as soon as the last is answered, for a fixed time.
2. **The same 100 clients read the Today page** (signed in, as a browser), closed loop, for
   the same time. The ratio writes/s : reads/s is the throughput figure.
3. **Latency at a stated offered load, open loop**: the 100 clients each send one write
   every ``--every`` seconds (2 s: a person logs a set every few tens of seconds, so this
   is generous), on a fixed schedule whatever the answers, staggered over the interval:
   100 / 2 s = 50 writes/s offered. Latency is timed from when a write was due, so a slow
   answer delays nobody's clock (no coordinated omission).
4. **The floor, closed loop**: the 100 clients send check-ins the API refuses at
   validation (422), each with its own key: every step a write takes (the bearer token,
   the key claimed and its answer kept, the body parsed and checked, the answer) but no
   work of its own. Its rate against the reads is the highest ratio any write could reach
   on this server and this stack, so a reader sees how much of a write's cost is its work.

Why two measurements of latency: in a closed loop the clients wait for each other, so by
Little's law its latency is clients / throughput: p99 < 250 ms at 100 clients would need
more than 400 answers a second, which two cores give for neither writes nor reads (the
closed-loop p50/p99 are still printed). The latency target is judged at the open loop's
stated load; the throughput target in the closed loop.

Each simulated client has an HTTP client of its own (see :func:`_clients`), and the cores
that the server and the clients kept busy in each closed loop are reported, so a reader sees
which side a figure measured.

Reported per database: writes/s and reads/s and their ratio, the closed loop's write
p50/p99, the paced phase's rate sent (offered) and answered (over the time until its last
answer: below the rate sent when the server falls behind) and its p50/p99, the errors (any
answer but 201/200, or a dropped connection) and the writes lost — in both writing phases:
every check-in and set the server acknowledged is looked up in the database after the
server has stopped.

Targets (issue 15, item 4): 0 errors and 0 lost (every phase), writes >= 50 % of the Today
page's reads (closed loop), write p99 < 250 ms (open loop at the stated load).
``--seconds`` shortens a run (default 30 s per phase).
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
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.postgres import create_database, temporary_server  # noqa: E402

SECONDS = float(os.environ.get("KNEECOACH_BENCH_WRITES_SECONDS", "30"))
CLIENTS = 100
EVERY = 2.0
"""Seconds between one client's writes in the paced (open-loop) phase."""
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
    offered: int = 0
    """Writes sent on schedule (the paced phase), over ``seconds``."""
    drained: float = 0.0
    """Seconds from the paced phase's start until its last answer came."""

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
) -> Iterator[tuple[str, list[Runner], int]]:
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
        assert process.pid is not None
        yield f"http://127.0.0.1:{port}", made, process.pid
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


@dataclass
class Writes:
    """What each client writes next, kept across the writing phases so that every check-in
    acknowledged, in any phase, is for a day of its own."""

    runners: list[Runner]
    sets: dict[int, list[dict[str, Any]]]
    turns: list[int] = field(default_factory=lambda: [0] * CLIENTS)

    def runner(self, number: int) -> Runner:
        return self.runners[number % len(self.runners)]

    def next(self, number: int) -> tuple[str, dict[str, Any], int, Any]:
        """The path, body and expected status of client ``number``'s next write, and what
        to note once it is acknowledged."""
        runner = self.runner(number)
        # the clients of one runner take turns at the days: each day is one client's
        slot, slots = number // len(self.runners), -(-CLIENTS // len(self.runners))
        turn = self.turns[number]
        self.turns[number] += 1
        if turn % 2 == 0:
            day = TODAY - dt.timedelta(days=slot + slots * (turn // 2))
            body = {"pain_morning": 1, "date": day.isoformat()}
            return "/api/v1/checkins", body, 201, ("checkin", (runner.user_id, day))
        sets = self.sets[runner.user_id]
        body = sets[(turn // 2) % len(sets)]
        ref = (runner.user_id, body["exercise"], body["side"], body["set_number"])
        return "/api/v1/session/sets", body, 200, ("set", ref)


async def _write(
    client: Any, base: str, writes: Writes, number: int, tally: Tally, started: float
) -> None:
    """Client ``number``'s next write, timed from ``started`` (when it was sent, or due)."""
    path, body, expected, noted = writes.next(number)
    headers = {"Authorization": f"Bearer {writes.runner(number).api_token}"}
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
        return
    tally.latencies.append(time.perf_counter() - started)
    if answer.status_code != expected:
        tally.errors.append(f"{path}: {answer.status_code} {answer.text[:120]}")
    elif noted[0] == "checkin":
        tally.checkins.add(noted[1])
    else:
        tally.sets.add(noted[1])


async def _writer(
    client: Any, base: str, writes: Writes, number: int, until: float, tally: Tally
) -> None:
    """Closed loop: the next write as soon as the last is answered."""
    while time.perf_counter() < until:
        await _write(client, base, writes, number, tally, time.perf_counter())


async def _paced_writer(
    client: Any,
    base: str,
    writes: Writes,
    number: int,
    start: float,
    until: float,
    every: float,
    tally: Tally,
) -> None:
    """Open loop: one write every ``every`` seconds from ``start``, each sent when due
    whether or not the ones before were answered, timed from when it was due."""
    sent: list[asyncio.Task[None]] = []
    due = start
    while due < until:
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        sent.append(asyncio.create_task(_write(client, base, writes, number, tally, due)))
        tally.offered += 1
        due += every
    await asyncio.gather(*sent)


REFUSED_BODY = {"pain_morning": "none", "date": TODAY.isoformat()}
"""A check-in the API refuses at validation (422): it goes through every step a write
takes (the connection, the bearer token, the Idempotency-Key claimed and its answer kept,
the body parsed and checked, the answer) except any work of its own."""


async def _asking(
    client: Any,
    tally: Tally,
    until: float,
    what: str,
    expected: int,
    request: Callable[[], tuple[str, str, dict[str, Any]]],
) -> None:
    """Closed loop of ``request()`` (method, URL, options), each sent as soon as the one
    before is answered; any answer but ``expected`` (or none) is an error, named ``what``."""
    while time.perf_counter() < until:
        method, url, options = request()
        started = time.perf_counter()
        try:
            answer = await _send(client, tally, method, url, **options)
        except Exception as error:
            tally.errors.append(f"{what}: {type(error).__name__}")
            continue
        tally.latencies.append(time.perf_counter() - started)
        if answer.status_code != expected:
            tally.errors.append(f"{what}: {answer.status_code} {answer.text[:120]}")


async def _refused_writer(
    client: Any, base: str, runner: Runner, until: float, tally: Tally
) -> None:
    """Closed loop of writes refused at validation (:data:`REFUSED_BODY`), each with a key
    of its own."""
    token = f"Bearer {runner.api_token}"

    def refused() -> tuple[str, str, dict[str, Any]]:
        headers = {"Authorization": token, "Idempotency-Key": str(uuid.uuid4())}
        return "POST", base + "/api/v1/checkins", {"json": REFUSED_BODY, "headers": headers}

    await _asking(client, tally, until, "refused check-in", 422, refused)


async def _reader(client: Any, base: str, runner: Runner, until: float, tally: Tally) -> None:
    page = ("GET", base + "/today", {"headers": {"Cookie": f"kc_session={runner.cookie}"}})
    await _asking(client, tally, until, "/today", 200, lambda: page)


@asynccontextmanager
async def _clients() -> AsyncIterator[list[Any]]:
    """One HTTP client per simulated client, as each person's phone or browser has its own.

    Not one client shared by all 100: httpx's connection pool looks over every connection
    for every request it queues, so with 100 connections and a queue the benchmark's own
    process spent a whole core on that bookkeeping (seen with py-spy) while the server
    was three quarters idle, and the slower answers (writes) made the queue and so the
    bookkeeping grow: the figures measured the client. A pool of its own per client stays
    small (a few connections in the paced phase, where a client may wait on more than one
    answer)."""
    import httpx

    limits = httpx.Limits(max_connections=8, max_keepalive_connections=8)
    clients = [httpx.AsyncClient(limits=limits, timeout=30) for _ in range(CLIENTS)]
    try:
        yield clients
    finally:
        await asyncio.gather(*(client.aclose() for client in clients))


async def _closed_loop(
    base: str,
    runners: list[Runner],
    writes: Writes | None,
    seconds: float,
    *,
    refused: bool = False,
) -> Tally:
    """Every client writing (``writes``), reading Today, or sending writes refused at
    validation (``refused``), each request sent as soon as the one before is answered."""
    tally = Tally()
    async with _clients() as clients:
        until = time.perf_counter() + seconds
        jobs = []
        for number, client in enumerate(clients):
            runner = runners[number % len(runners)]
            if writes is not None:
                jobs.append(_writer(client, base, writes, number, until, tally))
            elif refused:
                jobs.append(_refused_writer(client, base, runner, until, tally))
            else:
                jobs.append(_reader(client, base, runner, until, tally))
        started = time.perf_counter()
        await asyncio.gather(*jobs)
        tally.seconds = time.perf_counter() - started
    return tally


async def _paced(writes: Writes, base: str, seconds: float, every: float) -> Tally:
    """Every client writing once every ``every`` seconds, open loop, their starts spread
    evenly over the first interval."""
    tally = Tally()
    async with _clients() as clients:
        start = time.perf_counter() + 0.1
        until = start + seconds
        jobs = [
            _paced_writer(
                client, base, writes, number, start + every * number / CLIENTS, until, every, tally
            )
            for number, client in enumerate(clients)
        ]
        await asyncio.gather(*jobs)
        tally.drained = time.perf_counter() - start
    tally.seconds = seconds
    return tally


def _writes_of(base: str, runners: list[Runner]) -> Writes:
    return Writes(runners, {r.user_id: _sets_of_today(base, r) for r in runners})


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
    """In ms; infinite without any answer (no target is met by answering nothing)."""
    if not values:
        return float("inf")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


@dataclass
class Cores:
    """Cores kept busy over a phase (CPU seconds / wall seconds): the server's process and
    the clients' (this one). Whichever is near 1.0 (one Python thread's worth) is what the
    phase measured: a server well below it was waiting, not working."""

    server: float = float("nan")
    clients: float = float("nan")


def _cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of process ``pid`` so far, all its threads (Linux's
    /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def busy(server: int) -> Iterator[Cores]:
    cores = Cores()
    server_before, clients_before = _cpu_seconds(server), time.process_time()
    started = time.perf_counter()
    yield cores
    elapsed = time.perf_counter() - started
    cores.server = (_cpu_seconds(server) - server_before) / elapsed
    cores.clients = (time.process_time() - clients_before) / elapsed


@dataclass(frozen=True)
class Measured:
    writes: Tally
    reads: Tally
    paced: Tally
    lost: int
    paced_lost: int
    every: float
    writing_cores: Cores = field(default_factory=Cores)
    reading_cores: Cores = field(default_factory=Cores)
    refused: Tally = field(default_factory=Tally)
    refused_cores: Cores = field(default_factory=Cores)

    @property
    def ratio(self) -> float:
        return self._of_reads(self.writes)

    @property
    def floor_ratio(self) -> float:
        """Writes refused at validation against the reads: the highest ratio a write that
        does any work of its own could reach on this server."""
        return self._of_reads(self.refused)

    def _of_reads(self, tally: Tally) -> float:
        reads = self.reads.done / self.reads.seconds
        return (tally.done / tally.seconds) / reads if reads and tally.seconds else 0.0

    @property
    def errors(self) -> int:
        return sum(len(t.errors) for t in (self.writes, self.reads, self.paced, self.refused))

    @property
    def ok(self) -> bool:
        return (
            self.errors == 0
            and self.lost == 0
            and self.paced_lost == 0
            and self.paced.offered == self.paced.done
            and self.ratio >= TARGET_RATIO
            and _percentile(self.paced.latencies, 0.99) < TARGET_P99_MS
        )


def measure(
    label: str, database_url: str | None, seconds: float, runners: int, every: float
) -> bool:
    with tempfile.TemporaryDirectory() as data:
        with serving(data, database_url, runners) as (base, made, server):
            writes = _writes_of(base, made)
            with busy(server) as closed_cpu:
                closed = asyncio.run(_closed_loop(base, made, writes, seconds))
            with busy(server) as reads_cpu:
                reads = asyncio.run(_closed_loop(base, made, None, seconds))
            paced = asyncio.run(_paced(writes, base, seconds, every))
            with busy(server) as refused_cpu:
                refused = asyncio.run(_closed_loop(base, made, None, seconds, refused=True))
        measured = Measured(
            closed,
            reads,
            paced,
            _lost(data, database_url, closed),
            _lost(data, database_url, paced),
            every,
            closed_cpu,
            reads_cpu,
            refused,
            refused_cpu,
        )
    _report(label, measured)
    return measured.ok


def _report(label: str, m: Measured) -> None:
    w, r, p = m.writes, m.reads, m.paced
    print(
        f"{label:<10} {w.done / w.seconds:>8.0f} {r.done / r.seconds:>8.0f} {m.ratio:>6.0%} "
        f"{_percentile(w.latencies, 0.5):>7.0f} {_percentile(w.latencies, 0.99):>7.0f} "
        f"{_percentile(r.latencies, 0.99):>7.0f} "
        f"{p.offered / p.seconds:>7.0f} {p.done / max(p.drained, p.seconds):>7.0f} "
        f"{_percentile(p.latencies, 0.5):>7.1f} {_percentile(p.latencies, 0.99):>7.1f} "
        f"{m.errors:>6} {m.lost + m.paced_lost:>5} {w.retried + r.retried + p.retried:>7}  "
        f"{'ok' if m.ok else 'UNDER TARGET'}"
    )
    wc, rc = m.writing_cores, m.reading_cores
    print(
        f"           cores busy, closed loops: writing {wc.server:.2f} server, "
        f"{wc.clients:.2f} clients; reading {rc.server:.2f} server, {rc.clients:.2f} clients"
    )
    f, fc = m.refused, m.refused_cores
    print(
        f"           writes refused at validation (every step of a write but its own work): "
        f"{f.done / f.seconds:.0f}/s, {m.floor_ratio:.0%} of the reads, server "
        f"{fc.server:.2f} cores: the most any write could reach here"
    )
    if p.offered != p.done:
        print(f"           paced: {p.offered} writes sent, {p.done} answered")
    for line in sorted(set(w.errors + r.errors + p.errors + f.errors))[:5]:
        print(f"           error: {line}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=SECONDS, help="per phase (30)")
    parser.add_argument("--runners", type=int, default=RUNNERS, help="runners written to (10)")
    parser.add_argument(
        "--every",
        type=float,
        default=EVERY,
        help=f"seconds between one client's writes in the paced phase ({EVERY:g})",
    )
    parser.add_argument("--only", choices=("sqlite", "postgresql"), help="one database only")
    options = parser.parse_args(argv if argv is not None else [])
    load = os.getloadavg()
    print(
        f"\nWrites at speed: {CLIENTS} clients, {options.runners} runners, "
        f"{options.seconds:g} s each: writing (closed loop), reading Today (closed loop), "
        f"writing at a pace of one write per client every {options.every:g} s (open loop, "
        f"{CLIENTS / options.every:g} writes/s offered) "
        f"(load before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})"
    )
    print(
        f"{'':<10} {'closed loop':-^49} {'paced, open loop':-^31}"
        f"\n{'database':<10} {'writes/s':>8} {'reads/s':>8} {'ratio':>6} {'w p50':>7} "
        f"{'w p99':>7} {'r p99':>7} {'sent/s':>7} {'answ/s':>7} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'lost':>5} {'retried':>7}"
    )
    print(
        f"{'targets':<10} {'':>8} {'':>8} {'>=50%':>6} {'':>7} {'':>7} {'':>7} {'':>7} "
        f"{'':>7} {'':>7} {'<250':>7} {0:>6} {0:>5}"
    )
    if options.only != "postgresql":
        measure("SQLite", None, options.seconds, options.runners, options.every)
    if options.only != "sqlite":
        try:
            with temporary_server() as server:
                url = create_database(server, "kneecoach_writes")
                measure("PostgreSQL", url, options.seconds, options.runners, options.every)
        except RuntimeError as error:
            print(f"PostgreSQL skipped: {error}")
    load = os.getloadavg()
    print(
        f"(load after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}. The ratio is the throughput "
        "figure: both closed loops ran on the same server in the same run; in a closed loop "
        f"latency is {CLIENTS} clients / throughput (Little's law), so the latency target is "
        "judged in the paced phase at its stated offered load, timed from when each write "
        "was due. Errors and lost count every phase; 'retried' counts requests sent again "
        "after the server closed a kept-alive connection under them)"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
