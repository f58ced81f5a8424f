"""What the Strava tests share: a virtual clock that the fake Strava and the sync both read
(waiting for the next window moves it instead of sleeping), and a runner connected to a
fake served on a free port."""

from __future__ import annotations

import base64
import datetime as dt
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy.engine import Engine

from kneecoach.bootstrap import Runtime, build
from kneecoach.config import StravaSettings, load_settings
from kneecoach.domain.redflags import AgeBand
from kneecoach.integrations.strava import HttpStrava
from kneecoach.integrations.strava_fake import FakeStrava, FakeStravaServer
from kneecoach.services import onboarding
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import FixedClock
from kneecoach.services.strava import StravaLink, connect
from kneecoach.storage.sql import SqlStorage
from kneecoach.storage.strava import SqlStravaStore
from tests.helpers import profile, runner_on

KEY = base64.urlsafe_b64decode(b"q" * 43 + b"=")


class VirtualClock:
    """Strava's time in the tests: starts at noon of the tests' day; ``sleep`` moves it."""

    def __init__(self, day: dt.date) -> None:
        self.moment = dt.datetime.combine(day, dt.time(12, 0, 30), tzinfo=dt.UTC)
        self.lock = threading.Lock()
        self.slept: list[float] = []

    def now(self) -> dt.datetime:
        with self.lock:
            return self.moment

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.slept.append(seconds)
            self.moment += dt.timedelta(seconds=seconds)


def fake_strava(clock: VirtualClock, day: dt.date, **options: object) -> FakeStravaServer:
    state = FakeStrava(until=day, now=clock.now, **options)  # type: ignore[arg-type]
    return FakeStravaServer(state).start()


def link_to(server: FakeStravaServer, engine: Engine, clock: VirtualClock) -> StravaLink:
    settings = StravaSettings(server.fake.client_id, server.fake.client_secret, server.api_url)
    return StravaLink(
        HttpStrava(settings),
        SqlStravaStore(engine, KEY),
        now=clock.now,
        sleep=clock.sleep,
        rng=random.Random(7),
    )


@contextmanager
def connected_runtime(
    data: Path, clock: VirtualClock, day: dt.date, **options: object
) -> Iterator[tuple[Runtime, RunnerContext, FakeStravaServer]]:
    """The app's runtime as the worker builds it, on a SQLite file in ``data``, with ana
    onboarded on ``day`` and connected (as athlete 100) to a fake Strava made with
    ``options``; the runtime's Strava link runs on the virtual clock."""
    with fake_strava(clock, day, **options) as server:
        env = {
            "KNEECOACH_DATA_DIR": str(data / "data"),
            "KNEECOACH_DATABASE_URL": f"sqlite:///{data / 'kneecoach.db'}",
            "KNEECOACH_TODAY": day.isoformat(),
        }
        runtime = build(load_settings(env), clock=FixedClock(day))
        link = link_to(server, runtime.engine, clock)
        runtime.__dict__["strava"] = link
        runner = onboarded(runtime.engine, day, "ana")
        connect(link, runner, consent(link, 100))
        try:
            yield runtime, runner, server
        finally:
            runtime.engine.dispose()


def onboarded(engine: Engine, day: dt.date, name: str = "local") -> RunnerContext:
    runner = runner_on(SqlStorage(engine), day, name)
    onboarding.onboard(runner, profile(), onboarding.answers_from_flags([]), AgeBand.ADULT)
    return runner


def consent(link: StravaLink, athlete_id: int) -> str:
    """Go through the fake's consent page as the athlete would: the code it redirects with."""
    address = link.api.authorize_url("http://127.0.0.1:9/callback", "st4te")
    page = httpx.get(address)
    assert page.status_code == 200 and "Authorize as" in page.text
    approve = urlsplit(address)._replace(
        path="/oauth/authorize/approve",
        query=urlsplit(address).query + f"&athlete={athlete_id}",
    )
    answer = httpx.get(approve.geturl(), follow_redirects=False)
    assert answer.status_code == 302
    query = parse_qs(urlsplit(answer.headers["Location"]).query)
    assert query["state"] == ["st4te"]
    return query["code"][0]


@dataclass
class Connected:
    runner: RunnerContext
    link: StravaLink
    athlete_id: int
