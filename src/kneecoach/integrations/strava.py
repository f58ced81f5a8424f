"""Strava's API over HTTP (httpx), behind services.ports.StravaApi.

httpx rather than stravalib: kneecoach needs five calls, wants every answer's rate-limit
headers and status to decide itself when to wait, and httpx is already what its tests
speak; stravalib is not available to the project. Answers are parsed with the models of
integrations.strava_models, written from Strava's reference.

An activity's streams become the same domain Activity the file importers produce
(domain.activity.summarise), so load, step rate and return to running treat both alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

import httpx
import numpy as np
from pydantic import BaseModel, ValidationError

from kneecoach.config import StravaSettings
from kneecoach.domain.activity import Activity, Samples, Sport, summarise, with_device_cadence
from kneecoach.integrations import strava_models as M
from kneecoach.services.ports import (
    RateLimits,
    StravaError,
    StravaEvent,
    StravaGrant,
    StravaNotFound,
    StravaRateLimited,
    StravaRefused,
    StravaSummary,
    StravaTokens,
    StravaUnauthorized,
    StravaUnavailable,
)

T = TypeVar("T", bound=BaseModel)

SCOPE = "read,activity:read_all"
"""What kneecoach asks for: every activity, private ones included (they are the runner's)."""
STREAM_KEYS = "time,distance,latlng,altitude,heartrate,cadence"
TIMEOUT_S = 30.0
FORMAT = "strava"
"""The format an activity synced from Strava is kept under (domain.merging ranks it)."""


def source_name(activity_id: int) -> str:
    """The source an activity synced from Strava is listed under."""
    return f"strava/{activity_id}"


def parse_limits(headers: httpx.Headers) -> RateLimits | None:
    """The limits and usage of an answer's headers ('100,1000' and '3,40'); None when
    absent or unreadable."""
    limit, usage = headers.get("X-RateLimit-Limit"), headers.get("X-RateLimit-Usage")
    if not limit or not usage:
        return None
    try:
        short_limit, daily_limit = (int(x) for x in limit.split(",")[:2])
        short_usage, daily_usage = (int(x) for x in usage.split(",")[:2])
    except ValueError:
        return None
    return RateLimits(short_limit, short_usage, daily_limit, daily_usage)


def _tokens(answer: M.TokenAnswer) -> StravaTokens:
    return StravaTokens(
        answer.access_token,
        answer.refresh_token,
        dt.datetime.fromtimestamp(answer.expires_at, dt.UTC),
    )


class HttpStrava:
    """The client of one deployment's Strava application."""

    def __init__(self, settings: StravaSettings, transport: httpx.BaseTransport | None = None):
        self.settings = settings
        api = urlsplit(settings.api_url)
        self.site = f"{api.scheme}://{api.netloc}"
        self.client = httpx.Client(timeout=TIMEOUT_S, transport=transport)

    def close(self) -> None:
        self.client.close()

    # oauth ----------------------------------------------------------------------------
    def authorize_url(self, redirect_uri: str, state: str) -> str:
        query = {
            "client_id": self.settings.client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "approval_prompt": "auto",
            "scope": SCOPE,
            "state": state,
        }
        return f"{self.site}/oauth/authorize?{urlencode(query)}"

    def _token(self, form: dict[str, str]) -> M.TokenAnswer:
        form = {
            "client_id": self.settings.client_id,
            "client_secret": self.settings.client_secret,
            **form,
        }
        answer = self._send("POST", f"{self.site}/oauth/token", data=form)
        return _parse(M.TokenAnswer, answer.json())

    def exchange(self, code: str) -> StravaGrant:
        answer = self._token({"code": code, "grant_type": "authorization_code"})
        athlete = answer.athlete
        if athlete is None:
            raise StravaError("Strava's answer named no athlete")
        name = " ".join(x for x in (athlete.firstname, athlete.lastname) if x)
        return StravaGrant(_tokens(answer), athlete.id, name, SCOPE)

    def refresh(self, refresh_token: str) -> StravaTokens:
        """New tokens; StravaRefused when Strava will not renew them (the athlete revoked
        kneecoach, or the refresh token is gone), which only connecting again mends."""
        if not refresh_token:
            raise StravaRefused("no refresh token is kept: connect Strava again")
        answer = self._token({"refresh_token": refresh_token, "grant_type": "refresh_token"})
        return _tokens(answer)

    def deauthorize(self, access_token: str) -> None:
        self._send("POST", f"{self.site}/oauth/deauthorize", data={"access_token": access_token})

    # api ------------------------------------------------------------------------------
    def summary(
        self, access_token: str, activity_id: int
    ) -> tuple[StravaSummary, RateLimits | None]:
        answer = self._send(
            "GET", f"{self.settings.api_url}/activities/{activity_id}", token=access_token
        )
        return _summary(_parse(M.SummaryActivity, answer.json())), parse_limits(answer.headers)

    def activities(
        self,
        access_token: str,
        *,
        before: int | None,
        page: int,
        per_page: int,
        after: int | None = None,
    ) -> tuple[list[StravaSummary], RateLimits | None]:
        params: dict[str, Any] = {"page": page, "per_page": per_page}
        if before is not None:
            params["before"] = before
        if after is not None:
            params["after"] = after
        answer = self._send(
            "GET", f"{self.settings.api_url}/athlete/activities", params=params, token=access_token
        )
        body = answer.json()
        if not isinstance(body, list):
            raise StravaError("Strava's list of activities was not a list")
        return [_summary(_parse(M.SummaryActivity, item)) for item in body], parse_limits(
            answer.headers
        )

    def activity(
        self, access_token: str, summary: StravaSummary, *, streams: bool
    ) -> tuple[Activity, RateLimits | None]:
        if not streams:
            return from_summary(summary), None
        answer = self._send(
            "GET",
            f"{self.settings.api_url}/activities/{summary.id}/streams",
            params={"keys": STREAM_KEYS, "key_by_type": "true"},
            token=access_token,
        )
        found = _parse(M.StreamSet, answer.json())
        return from_streams(summary, found), parse_limits(answer.headers)

    # transport ------------------------------------------------------------------------
    def _send(
        self,
        method: str,
        url: str,
        *,
        token: str | None = None,
        params: dict[str, Any] | None = None,
        data: dict[str, str] | None = None,
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            answer = self.client.request(method, url, params=params, data=data, headers=headers)
        except httpx.HTTPError as error:
            raise StravaUnavailable(f"Strava could not be reached: {error}") from None
        status = answer.status_code
        if status == 429:
            raise StravaRateLimited("Strava's rate limit was reached", parse_limits(answer.headers))
        if status >= 500:
            raise StravaUnavailable(f"Strava answered {status}")
        if status in (400, 401) and _refuses_the_grant(answer):
            raise StravaRefused(f"Strava refused the request ({status}): {_message(answer)}")
        if status == 401:
            raise StravaUnauthorized(f"Strava refused the token: {_message(answer)}")
        if status == 404:
            raise StravaNotFound(f"Strava has no such record: {_message(answer)}")
        if status >= 400:
            raise StravaError(f"Strava refused the request ({status}): {_message(answer)}")
        return answer


def _refuses_the_grant(answer: httpx.Response) -> bool:
    """A 400 or 401 of the token address that refuses the grant itself, not the application:
    Strava's fault naming the refresh token or the code, or OAuth's ``invalid_grant``."""
    if not answer.request.url.path.endswith("/oauth/token"):
        return False
    try:
        body = answer.json()
    except ValueError:
        return False
    if isinstance(body, dict) and body.get("error") == "invalid_grant":
        return True
    try:
        fault = M.Fault.model_validate(body)
    except ValidationError:
        return False
    return any(e.resource in ("RefreshToken", "RequestToken", "Athlete") for e in fault.errors)


def parse_event(body: object) -> StravaEvent:
    """A webhook event as Strava posts it; StravaError when it is not one."""
    try:
        found = M.PushEvent.model_validate(body)
    except ValidationError as error:
        raise StravaError(f"not a Strava event: {error.error_count()} problem(s)") from None
    return StravaEvent(
        object_type=found.object_type,
        aspect_type=found.aspect_type,
        object_id=found.object_id,
        owner_id=found.owner_id,
        subscription_id=found.subscription_id,
        event_time=found.event_time,
        updates={
            k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in found.updates.items()
        },
    )


def _message(answer: httpx.Response) -> str:
    try:
        fault = M.Fault.model_validate(answer.json())
    except (ValueError, ValidationError):
        return answer.reason_phrase
    details = ", ".join(f"{e.field} {e.code}" for e in fault.errors)
    return f"{fault.message} ({details})" if details else fault.message


def _parse(model: type[T], body: Any) -> T:
    try:
        return model.model_validate(body)
    except ValidationError as error:
        raise StravaError(
            f"Strava's answer was not as documented: {error.error_count()} problem(s)"
        ) from None


def _summary(found: M.SummaryActivity) -> StravaSummary:
    return StravaSummary(
        id=found.id,
        sport_type=found.sport_type,
        name=found.name,
        start=found.start_date.astimezone(dt.UTC),
        elapsed_s=float(found.elapsed_time),
        moving_s=float(found.moving_time),
        distance_m=found.distance,
        ascent_m=found.total_elevation_gain,
        avg_hr=found.average_heartrate,
        max_hr=found.max_heartrate,
        avg_cadence=found.average_cadence,
        trainer=bool(found.trainer),
        athlete_id=found.athlete.id,
    )


def sport_of(summary: StravaSummary) -> Sport:
    """Strava's sport type in the domain's words (TrailRun and VirtualRun are runs)."""
    return Sport.parse(summary.sport_type)


def from_summary(summary: StravaSummary) -> Activity:
    """An activity from Strava's summary alone (rides, walks: no streams asked for)."""
    sport = sport_of(summary)
    activity = Activity(
        sport=sport,
        start=summary.start,
        elapsed_s=summary.elapsed_s,
        moving_s=summary.moving_s,
        distance_m=summary.distance_m,
        ascent_m=summary.ascent_m,
        avg_hr=summary.avg_hr,
        max_hr=summary.max_hr,
        avg_cadence=None,
        name=summary.name,
        indoor=summary.trainer,
        format=FORMAT,
        device_distance=True,
    )
    return with_device_cadence(activity, summary.avg_cadence)


def _numbers(stream: M.NumberStream | None, size: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    if stream is None or len(stream.data) != size:
        return np.full(size, np.nan)
    return np.asarray(stream.data, dtype=np.float64)


def from_streams(summary: StravaSummary, streams: M.StreamSet) -> Activity:
    """An activity from its streams, as an importer makes one from a file: Strava's own
    distance and elapsed time, the samples for everything else."""
    if streams.time is None or not streams.time.data:
        return from_summary(summary)
    size = len(streams.time.data)
    seconds = np.asarray(streams.time.data, dtype=np.float64)
    latitude = np.full(size, np.nan)
    longitude = np.full(size, np.nan)
    if streams.latlng is not None and len(streams.latlng.data) == size:
        points = np.asarray(streams.latlng.data, dtype=np.float64).reshape(size, 2)
        latitude, longitude = points[:, 0], points[:, 1]
    samples = Samples(
        seconds=seconds,
        latitude=latitude,
        longitude=longitude,
        altitude=_numbers(streams.altitude, size),
        distance=_numbers(streams.distance, size),
        heart_rate=_numbers(streams.heartrate, size),
        cadence=_numbers(streams.cadence, size),
        speed=np.full(size, np.nan),
    )
    return summarise(
        sport_of(summary),
        summary.start,
        samples,
        name=summary.name,
        elapsed_s=summary.elapsed_s,
        distance_m=summary.distance_m,
        format=FORMAT,
    )
