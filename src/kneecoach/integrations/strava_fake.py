"""A contract-faithful fake of Strava's API, for tests and for trying the connection
without an account: a real HTTP server on 127.0.0.1 (``kneecoach strava fake --port N``).

It serves what kneecoach uses, shaped as Strava documents it (integrations.strava_models):
the OAuth pages (``/oauth/authorize``, ``/oauth/token``, ``/oauth/deauthorize``), and under
``/api/v3`` the athlete, their activities (paged, newest first; oldest first when only
``after`` is given, as Strava does) and an activity's streams. Every API answer carries
``X-RateLimit-Limit`` and ``X-RateLimit-Usage`` for the application (15-minute windows
starting at :00, :15, :30 and :45, and the UTC day); past either limit the answer is 429.
Access tokens expire (6 hours, as Strava's) and are renewed with the refresh token.

Push subscriptions as Strava's Webhook Events API: ``POST /api/v3/push_subscriptions``
(the application's id and secret, a callback address and a verify token) checks the
callback with ``hub.challenge`` first, as Strava does; then a new, edited or deleted
activity (:meth:`FakeStrava.post_activity`, :meth:`~FakeStrava.update_activity`,
:meth:`~FakeStrava.delete_activity`) and an athlete revoking the application
(:meth:`~FakeStrava.revoke`) are posted to the callback as Strava's events.

Athletes and their activities are made up from a seed, the same every time: about five
activities a week (mostly runs, some rides and walks), runs with streams of time,
distance, latlng, altitude, heartrate and cadence.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import random
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

from kneecoach.domain.digits import ascii_digits

SHORT_WINDOW_S = 900
TOKEN_LIFETIME_S = 6 * 3600
"""Strava's access tokens last six hours."""
SAMPLE_EVERY_S = 10
"""The fake's streams have a point every 10 s (Strava's are about 1 s): small and fast."""


@dataclass
class FakeActivity:
    id: int
    athlete_id: int
    sport_type: str
    name: str
    start: dt.datetime
    elapsed_s: int
    distance_m: float
    trainer: bool = False

    @property
    def is_run(self) -> bool:
        return self.sport_type in ("Run", "TrailRun", "VirtualRun")


@dataclass
class FakeAthlete:
    id: int
    firstname: str
    lastname: str
    activities: list[FakeActivity] = field(default_factory=list)
    """Newest first."""


def make_athletes(
    until: dt.date, days: int = 400, count: int = 3, seed: int = 17, per_week: float = 5.0
) -> list[FakeAthlete]:
    """``count`` athletes, each with about ``per_week`` activities a week over the ``days``
    before ``until`` (mostly runs; every fifth day or so a ride or a walk)."""
    names = [("Ada", "Runner"), ("Ben", "Jogger"), ("Cleo", "Strider"), ("Dev", "Pacer")]
    athletes: list[FakeAthlete] = []
    next_id = 10_000_000_000
    for n in range(count):
        rng = random.Random(seed * 1000 + n)
        first, last = names[n % len(names)]
        athlete = FakeAthlete(100 + n, first, last)
        for back in range(days, 0, -1):
            if rng.random() > per_week / 7:
                continue
            day = until - dt.timedelta(days=back)
            start = dt.datetime.combine(day, dt.time(6 + rng.randrange(12), rng.randrange(60)))
            start = start.replace(tzinfo=dt.UTC)
            roll = rng.random()
            if roll < 0.78:
                minutes = rng.randint(20, 70)
                sport, speed = ("TrailRun" if rng.random() < 0.1 else "Run"), rng.uniform(2.6, 3.4)
                name = "Morning Run" if start.hour < 12 else "Evening Run"
            elif roll < 0.92:
                minutes, sport, speed, name = (
                    rng.randint(40, 120),
                    "Ride",
                    rng.uniform(6, 8),
                    "Ride",
                )
            else:
                minutes, sport, speed, name = rng.randint(30, 90), "Walk", 1.4, "Walk"
            next_id += rng.randint(1, 999)
            elapsed = minutes * 60
            athlete.activities.append(
                FakeActivity(
                    next_id,
                    athlete.id,
                    sport,
                    name,
                    start,
                    elapsed,
                    round(elapsed * speed, 1),
                    trainer=sport == "Run" and rng.random() < 0.05,
                )
            )
        athlete.activities.reverse()
        athletes.append(athlete)
    return athletes


def streams_of(activity: FakeActivity) -> dict[str, list[Any]]:
    """The activity's streams (the same every time): a loop around a park."""
    rng = random.Random(activity.id)
    points = activity.elapsed_s // SAMPLE_EVERY_S + 1
    time = [i * SAMPLE_EVERY_S for i in range(points)]
    speed = activity.distance_m / max(activity.elapsed_s, 1)
    distance = [round(min(t * speed, activity.distance_m), 1) for t in time]
    radius = max(activity.distance_m / (2 * math.pi), 50.0) / 111_195  # metres a degree
    lat0, lon0 = 51.5 + rng.uniform(-0.05, 0.05), -0.1 + rng.uniform(-0.05, 0.05)
    squeeze = math.cos(math.radians(lat0))  # a degree of longitude is shorter up north
    turn = 2 * math.pi / max(activity.distance_m, 1)
    latlng = [
        [
            round(lat0 + radius * math.sin(turn * d), 6),
            round(lon0 + radius * math.cos(turn * d) / squeeze, 6),
        ]
        for d in distance
    ]
    altitude = [round(30 + 8 * math.sin(t / 300), 1) for t in time]
    heartrate = [min(185, 110 + int(t / 30) + rng.randint(-3, 3)) for t in time]
    cadence = [rng.randint(80, 88) for _ in time]  # per foot, as Strava keeps a run's
    found: dict[str, list[Any]] = {"time": time, "distance": distance, "altitude": altitude}
    if not activity.trainer:
        found["latlng"] = latlng
    found["heartrate"] = heartrate
    if activity.is_run:
        found["cadence"] = cadence
    return found


def _fault(message: str, resource: str, field_: str, code: str) -> dict[str, Any]:
    return {"message": message, "errors": [{"resource": resource, "field": field_, "code": code}]}


@dataclass
class _Token:
    athlete_id: int
    expires_at: int
    scope: str


class FakeStrava:
    """The fake's state: athletes, grants and tokens, the application's usage, and the
    faults a test asks for. ``now`` is its clock (a test moves it)."""

    def __init__(
        self,
        *,
        until: dt.date,
        now: Callable[[], dt.datetime],
        days: int = 400,
        athletes: int = 3,
        per_week: float = 5.0,
        client_id: str = "4242",
        client_secret: str = "fake-secret",
        short_limit: int = 100,
        daily_limit: int = 1000,
        token_lifetime_s: int = TOKEN_LIFETIME_S,
    ) -> None:
        self.now = now
        self.athletes = {a.id: a for a in make_athletes(until, days, athletes, per_week=per_week)}
        self.client_id, self.client_secret = client_id, client_secret
        self.short_limit, self.daily_limit = short_limit, daily_limit
        self.token_lifetime_s = token_lifetime_s
        self.lock = threading.Lock()
        self.codes: dict[str, tuple[int, str]] = {}
        self.access: dict[str, _Token] = {}
        self.refresh_tokens: dict[str, tuple[int, str]] = {}
        self.usage: dict[tuple[str, int], int] = {}
        self.failures: list[int] = []
        self.requests: list[str] = []
        """Every API request's method and path, in order (for the tests)."""
        self.answered: list[tuple[str, int]] = []
        """Every API request's path and the status it was answered with, in order."""
        self.refreshed = 0
        self.rate_limited = 0
        self.subscription: tuple[int, str] | None = None
        """The push subscription: its id and callback address."""
        self.events: list[tuple[dict[str, Any], int]] = []
        """Every event posted to the subscription's callback, with the status it got."""
        self.webhook_client: httpx.Client | None = None
        """What posts events (a test may hand in its in-process client); httpx by default."""

    # faults a test asks for ---------------------------------------------------------
    def fail_next(self, status: int, times: int = 1) -> None:
        """The next ``times`` API requests are answered with ``status`` (e.g. 503)."""
        with self.lock:
            self.failures.extend([status] * times)

    def expire_tokens(self) -> None:
        """Every access token ends now (as if hours had passed)."""
        with self.lock:
            for token in self.access.values():
                token.expires_at = 0

    def post_activity(
        self,
        athlete_id: int,
        start: dt.datetime,
        *,
        sport_type: str = "Run",
        minutes: int = 30,
        speed_m_s: float = 3.0,
        name: str = "Lunch Run",
        notify: bool = True,
    ) -> FakeActivity:
        """A new activity of the athlete's, as their watch would upload it (the event sent
        to a push subscription, if there is one)."""
        with self.lock:
            athlete = self.athletes[athlete_id]
            newest = max((a.id for b in self.athletes.values() for a in b.activities), default=0)
            elapsed = minutes * 60
            activity = FakeActivity(
                newest + 1, athlete_id, sport_type, name, start, elapsed, elapsed * speed_m_s
            )
            athlete.activities.append(activity)
            athlete.activities.sort(key=lambda a: a.start, reverse=True)
        if notify:
            self.notify("activity", "create", activity.id, athlete_id, {})
        return activity

    def update_activity(
        self, activity_id: int, *, name: str | None = None, sport_type: str | None = None
    ) -> dict[str, Any] | None:
        """The athlete renames the activity or changes its sport; the event is sent."""
        with self.lock:
            activity = self.activity(activity_id)
            if activity is None:
                raise KeyError(activity_id)
            updates: dict[str, str] = {}
            if name is not None:
                activity.name = updates["title"] = name
            if sport_type is not None:
                activity.sport_type = updates["type"] = sport_type
        return self.notify("activity", "update", activity_id, activity.athlete_id, updates)

    def delete_activity(self, activity_id: int) -> dict[str, Any] | None:
        """The athlete deletes the activity; the event is sent."""
        with self.lock:
            activity = self.activity(activity_id)
            if activity is None:
                raise KeyError(activity_id)
            self.athletes[activity.athlete_id].activities.remove(activity)
        return self.notify("activity", "delete", activity_id, activity.athlete_id, {})

    def revoke(self, athlete_id: int) -> dict[str, Any] | None:
        """The athlete removes the application on Strava's settings page: every token of
        theirs stops working, and the event is sent."""
        with self.lock:
            self.access = {k: v for k, v in self.access.items() if v.athlete_id != athlete_id}
            self.refresh_tokens = {
                k: v for k, v in self.refresh_tokens.items() if v[0] != athlete_id
            }
        return self.notify("athlete", "update", athlete_id, athlete_id, {"authorized": "false"})

    def forget_refresh_tokens(self) -> None:
        """Every refresh token stops working (as once an athlete revoked the application),
        the access tokens with them."""
        with self.lock:
            self.refresh_tokens.clear()
            self.access.clear()

    # webhooks ---------------------------------------------------------------------------
    def subscribe(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """POST /push_subscriptions: the callback is checked with a challenge first."""
        if (form.get("client_id"), form.get("client_secret")) != (
            self.client_id,
            self.client_secret,
        ):
            return 401, _fault("Authorization Error", "Application", "client_secret", "invalid")
        callback, verify = form.get("callback_url", ""), form.get("verify_token", "")
        if not callback.startswith(("http://", "https://")) or not verify:
            return 400, _fault("Bad Request", "PushSubscription", "callback_url", "invalid")
        if self.subscription is not None:
            return 400, _fault("Bad Request", "PushSubscription", "callback_url", "already exists")
        challenge = secrets.token_urlsafe(12)
        params = {"hub.mode": "subscribe", "hub.challenge": challenge, "hub.verify_token": verify}
        try:
            answer = self._call("GET", callback, params=params)
            echoed = answer.status_code == 200 and answer.json().get("hub.challenge") == challenge
        except (httpx.HTTPError, ValueError, AttributeError):
            echoed = False
        if not echoed:
            return 400, _fault("Bad Request", "PushSubscription", "callback_url", "not verifiable")
        self.subscription = (1, callback)
        return 201, {"id": 1}

    def _call(self, method: str, url: str, **options: Any) -> httpx.Response:
        if self.webhook_client is not None:
            return self.webhook_client.request(method, url, **options)
        with httpx.Client(timeout=5.0) as client:
            return client.request(method, url, **options)

    def notify(
        self, object_type: str, aspect: str, object_id: int, owner: int, updates: dict[str, str]
    ) -> dict[str, Any] | None:
        """Post one event to the subscription's callback (none without a subscription), as
        Strava does: within seconds of the change, once; the event."""
        if self.subscription is None:
            return None
        event = {
            "aspect_type": aspect,
            "event_time": int(self.now().timestamp()),
            "object_id": object_id,
            "object_type": object_type,
            "owner_id": owner,
            "subscription_id": self.subscription[0],
            "updates": updates,
        }
        try:
            status = self._call("POST", self.subscription[1], json=event).status_code
        except httpx.HTTPError:
            status = 0
        self.events.append((event, status))
        return event

    def activity(self, activity_id: int) -> FakeActivity | None:
        for athlete in self.athletes.values():
            for activity in athlete.activities:
                if activity.id == activity_id:
                    return activity
        return None

    # rate limits ----------------------------------------------------------------------
    def _windows(self) -> tuple[tuple[str, int], tuple[str, int]]:
        epoch = int(self.now().timestamp())
        return ("short", epoch // SHORT_WINDOW_S), ("day", epoch // 86_400)

    def count_request(self) -> tuple[dict[str, str], bool]:
        """Count one API request; its rate-limit headers and whether it is over a limit."""
        short, day = self._windows()
        with self.lock:
            self.usage[short] = self.usage.get(short, 0) + 1
            self.usage[day] = self.usage.get(day, 0) + 1
            used_short, used_day = self.usage[short], self.usage[day]
        headers = {
            "X-RateLimit-Limit": f"{self.short_limit},{self.daily_limit}",
            "X-RateLimit-Usage": f"{used_short},{used_day}",
        }
        return headers, used_short > self.short_limit or used_day > self.daily_limit

    # oauth ------------------------------------------------------------------------------
    def grant(self, athlete_id: int, scope: str) -> str:
        code = secrets.token_hex(16)
        with self.lock:
            self.codes[code] = (athlete_id, scope)
        return code

    def _tokens(self, athlete_id: int, scope: str) -> dict[str, Any]:
        access, refresh = secrets.token_hex(20), secrets.token_hex(20)
        expires_at = int(self.now().timestamp()) + self.token_lifetime_s
        self.access[access] = _Token(athlete_id, expires_at, scope)
        self.refresh_tokens[refresh] = (athlete_id, scope)
        return {
            "token_type": "Bearer",
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": expires_at,
            "expires_in": self.token_lifetime_s,
        }

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if form.get("client_id") != self.client_id:
            return 400, _fault("Bad Request", "Application", "client_id", "invalid")
        if form.get("client_secret") != self.client_secret:
            return 401, _fault("Authorization Error", "Application", "client_secret", "invalid")
        grant = form.get("grant_type")
        with self.lock:
            if grant == "authorization_code":
                found = self.codes.pop(form.get("code", ""), None)
                if found is None:
                    return 400, _fault("Bad Request", "RequestToken", "code", "invalid")
                athlete = self.athletes[found[0]]
                answer = self._tokens(*found)
                answer["athlete"] = self.summary_athlete(athlete)
                return 200, answer
            if grant == "refresh_token":
                kept = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
                if kept is None:
                    return 400, _fault("Bad Request", "RefreshToken", "refresh_token", "invalid")
                self.refreshed += 1
                return 200, self._tokens(*kept)
        return 400, _fault("Bad Request", "RequestToken", "grant_type", "invalid")

    def deauthorize(self, access_token: str) -> tuple[int, dict[str, Any]]:
        with self.lock:
            token = self.access.get(access_token)
            if token is None:
                return 401, _fault("Authorization Error", "Athlete", "access_token", "invalid")
            athlete = token.athlete_id
            self.access = {k: v for k, v in self.access.items() if v.athlete_id != athlete}
            self.refresh_tokens = {k: v for k, v in self.refresh_tokens.items() if v[0] != athlete}
        return 200, {"access_token": access_token}

    def athlete_of(self, authorization: str | None) -> FakeAthlete | None:
        if not authorization or not authorization.startswith("Bearer "):
            return None
        with self.lock:
            token = self.access.get(authorization.removeprefix("Bearer ").strip())
        if token is None or token.expires_at <= self.now().timestamp():
            return None
        return self.athletes[token.athlete_id]

    # answers -----------------------------------------------------------------------------
    @staticmethod
    def summary_athlete(athlete: FakeAthlete) -> dict[str, Any]:
        return {
            "id": athlete.id,
            "resource_state": 2,
            "firstname": athlete.firstname,
            "lastname": athlete.lastname,
            "city": "London",
            "country": "United Kingdom",
        }

    @staticmethod
    def summary(activity: FakeActivity) -> dict[str, Any]:
        streams = streams_of(activity) if activity.is_run else {}
        heart = streams.get("heartrate") or []
        cadence = streams.get("cadence") or []
        start = activity.start.astimezone(dt.UTC)
        answer: dict[str, Any] = {
            "id": activity.id,
            "resource_state": 2,
            "athlete": {"id": activity.athlete_id},
            "name": activity.name,
            "distance": activity.distance_m,
            "moving_time": activity.elapsed_s,
            "elapsed_time": activity.elapsed_s,
            "total_elevation_gain": 12.0,
            "type": activity.sport_type if activity.sport_type != "TrailRun" else "Run",
            "sport_type": activity.sport_type,
            "start_date": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "start_date_local": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "timezone": "(GMT+00:00) Europe/London",
            "trainer": activity.trainer,
            "commute": False,
            "manual": False,
            "private": False,
            "average_speed": round(activity.distance_m / max(activity.elapsed_s, 1), 3),
            "has_heartrate": bool(heart),
        }
        if heart:
            answer["average_heartrate"] = round(sum(heart) / len(heart), 1)
            answer["max_heartrate"] = float(max(heart))
        if cadence:
            answer["average_cadence"] = round(sum(cadence) / len(cadence), 1)
        return answer

    def list_activities(self, athlete: FakeAthlete, query: dict[str, str]) -> tuple[int, Any]:
        try:
            before = int(query["before"]) if query.get("before") else None
            after = int(query["after"]) if query.get("after") else None
            page = int(query.get("page") or 1)
            per_page = int(query.get("per_page") or 30)
        except ValueError:
            return 400, _fault("Bad Request", "Activity", "page", "invalid")
        if page < 1 or not 1 <= per_page <= 200:
            return 400, _fault("Bad Request", "Activity", "per_page", "invalid")
        found = [
            a
            for a in athlete.activities
            if (before is None or a.start.timestamp() < before)
            and (after is None or a.start.timestamp() > after)
        ]
        if after is not None and before is None:
            found.reverse()  # Strava gives the oldest first when only 'after' is given
        chosen = found[(page - 1) * per_page : page * per_page]
        return 200, [self.summary(a) for a in chosen]

    def streams(
        self, athlete: FakeAthlete, activity_id: int, query: dict[str, str]
    ) -> tuple[int, Any]:
        activity = self.activity(activity_id)
        if activity is None or activity.athlete_id != athlete.id:
            return 404, _fault("Record Not Found", "Activity", "id", "not found")
        every = streams_of(activity)
        asked = [k for k in (query.get("keys") or "").split(",") if k] or ["time", "distance"]
        keys = [k for k in asked if k in every]
        if keys and "time" not in keys and "time" in every:
            keys.append("time")  # Strava always adds the series it is sampled on
        if "distance" in every and "distance" not in keys:
            keys.append("distance")
        size = len(every["time"])
        streams = {
            k: {
                "data": every[k],
                "series_type": "distance",
                "original_size": size,
                "resolution": "high",
            }
            for k in keys
        }
        if (query.get("key_by_type") or "").lower() == "true":
            return 200, streams
        return 200, [{"type": k, **v} for k, v in streams.items()]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive, as Strava: every answer has its length
    # An answer goes out as two writes (its head, then its body): on a kept-alive connection
    # Nagle's algorithm held the body back until the client acknowledged the head, which
    # the client delays by up to 40 ms: every request to the fake took about 45 ms.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests run many
        pass

    def _send(
        self, status: int, body: Any, headers: dict[str, str] | None = None, html_page: bool = False
    ) -> None:
        data = (body if html_page else json.dumps(body)).encode()
        path = urlsplit(self.path).path
        if path.startswith("/api/v3/"):
            self.server.fake.answered.append((path, status))
        self.send_response(status)
        self.send_header(
            "Content-Type",
            "text/html; charset=utf-8" if html_page else "application/json; charset=utf-8",
        )
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode() if length else ""
        query = urlsplit(self.path).query
        merged = parse_qs(query)
        merged.update(parse_qs(raw))
        return {k: v[-1] for k, v in merged.items()}

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        fake = self.server.fake
        if parts.path == "/oauth/authorize":
            self._authorize_page(query)
            return
        if parts.path == "/oauth/authorize/approve":
            self._approve(query)
            return
        if parts.path == "/":
            self._athletes_page(query.get("posted", ""))
            return
        if not parts.path.startswith("/api/v3/"):
            self._send(404, _fault("Record Not Found", "Path", "path", "not found"))
            return
        fake.requests.append(f"GET {parts.path}")
        headers, over = fake.count_request()
        with fake.lock:
            failure = fake.failures.pop(0) if fake.failures else None
        if failure is not None:
            self._send(failure, _fault("Server Error", "Application", "server", "error"), headers)
            return
        if over:
            with fake.lock:
                fake.rate_limited += 1
            self._send(
                429, _fault("Rate Limit Exceeded", "Application", "rate limit", "exceeded"), headers
            )
            return
        athlete = fake.athlete_of(self.headers.get("Authorization"))
        if athlete is None:
            self._send(
                401, _fault("Authorization Error", "Athlete", "access_token", "invalid"), headers
            )
            return
        path = parts.path.removeprefix("/api/v3")
        if path == "/athlete":
            self._send(200, fake.summary_athlete(athlete), headers)
        elif path == "/athlete/activities":
            self._send(*fake.list_activities(athlete, query), headers)
        elif path.startswith("/activities/") and ascii_digits(path.removeprefix("/activities/")):
            found = fake.activity(int(path.removeprefix("/activities/")))
            if found is None or found.athlete_id != athlete.id:
                self._send(404, _fault("Record Not Found", "Activity", "id", "not found"), headers)
                return
            self._send(200, {**fake.summary(found), "resource_state": 3}, headers)
        elif path.startswith("/activities/") and path.endswith("/streams"):
            number = path.removeprefix("/activities/").removesuffix("/streams")
            if not ascii_digits(number):
                self._send(404, _fault("Record Not Found", "Activity", "id", "not found"), headers)
                return
            self._send(*fake.streams(athlete, int(number), query), headers)
        else:
            self._send(404, _fault("Record Not Found", "Path", "path", "not found"), headers)

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        fake = self.server.fake
        form = self._form()
        if parts.path == "/oauth/token":
            self._send(*fake.token(form))
        elif parts.path == "/api/v3/push_subscriptions":
            self._send(*fake.subscribe(form))
        elif parts.path == "/oauth/deauthorize":
            bearer = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
            self._send(*fake.deauthorize(form.get("access_token") or bearer))
        elif parts.path == "/upload":
            self._upload(form)
        else:
            self._send(404, _fault("Record Not Found", "Path", "path", "not found"))

    def _athletes_page(self, posted: str) -> None:
        """The fake's own page, for a person trying kneecoach: each athlete with a button that
        uploads a run now, as their watch would (the webhook event is sent to kneecoach)."""
        fake = self.server.fake
        with fake.lock:
            rows = "".join(
                f"<li>{html.escape(a.firstname)} {html.escape(a.lastname)} (athlete {a.id}, "
                f"{len(a.activities)} activities) "
                f'<form method=post action="/upload" style="display:inline">'
                f'<input type=hidden name=athlete value="{a.id}">'
                "<button>Upload a 30-minute run now</button></form></li>"
                for a in fake.athletes.values()
            )
        said = f"<p role=status>{html.escape(posted)}</p>" if posted else ""
        page = (
            "<!doctype html><html lang=en><title>Fake Strava</title>"
            "<h1>Fake Strava (for trying kneecoach)</h1>"
            f"{said}<ul>{rows}</ul></html>"
        )
        self._send(200, page, html_page=True)

    def _upload(self, form: dict[str, str]) -> None:
        fake = self.server.fake
        athlete = form.get("athlete", "")
        if not ascii_digits(athlete) or int(athlete) not in fake.athletes:
            self._send(404, _fault("Record Not Found", "Athlete", "id", "not found"))
            return
        start = fake.now() - dt.timedelta(minutes=35)
        activity = fake.post_activity(int(athlete), start.replace(microsecond=0))
        posted = f"Activity {activity.id} uploaded; the event went to kneecoach if it subscribed."
        self.send_response(303)
        self.send_header("Location", "/?" + urlencode({"posted": posted}))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _authorize_page(self, query: dict[str, str]) -> None:
        fake = self.server.fake
        if query.get("client_id") != fake.client_id or query.get("response_type") != "code":
            self._send(400, _fault("Bad Request", "Application", "client_id", "invalid"))
            return
        if not query.get("redirect_uri"):
            self._send(400, _fault("Bad Request", "Application", "redirect_uri", "invalid"))
            return
        keep = {k: query.get(k, "") for k in ("redirect_uri", "state", "scope")}
        links = "".join(
            '<li><a href="/oauth/authorize/approve?{}">Authorize as {} {}</a></li>'.format(
                html.escape(urlencode({**keep, "athlete": a.id})),
                html.escape(a.firstname),
                html.escape(a.lastname),
            )
            for a in fake.athletes.values()
        )
        deny = html.escape(urlencode({**keep, "athlete": "", "deny": "1"}))
        page = (
            "<!doctype html><html lang=en><title>Authorize (fake Strava)</title>"
            "<h1>Fake Strava: authorize kneecoach</h1>"
            f"<p>Scope asked: {html.escape(keep['scope'])}</p><ul>{links}</ul>"
            f'<p><a href="/oauth/authorize/approve?{deny}">Cancel</a></p></html>'
        )
        self._send(200, page, html_page=True)

    def _approve(self, query: dict[str, str]) -> None:
        fake = self.server.fake
        target = query.get("redirect_uri", "")
        state = query.get("state", "")
        if query.get("deny") or not ascii_digits(query.get("athlete", "")):
            where = f"{target}?{urlencode({'state': state, 'error': 'access_denied'})}"
        else:
            athlete = int(query["athlete"])
            if athlete not in fake.athletes:
                self._send(404, _fault("Record Not Found", "Athlete", "id", "not found"))
                return
            scope = query.get("scope") or "read"
            code = fake.grant(athlete, scope)
            where = f"{target}?{urlencode({'state': state, 'code': code, 'scope': scope})}"
        self.send_response(302)
        self.send_header("Location", where)
        self.send_header("Content-Length", "0")
        self.end_headers()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeStrava


class FakeStravaServer:
    """The fake served on 127.0.0.1 (port 0: a free one), in a thread of its own."""

    def __init__(self, fake: FakeStrava, port: int = 0, host: str = "127.0.0.1") -> None:
        self.fake = fake
        self.httpd = _Server((host, port), _Handler)
        self.httpd.fake = fake
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.root}/api/v3"

    def start(self) -> FakeStravaServer:
        if not self.thread.is_alive():
            self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> FakeStravaServer:
        return self.start()

    def __exit__(self, *failure: object) -> None:
        self.stop()
