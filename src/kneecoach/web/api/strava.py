"""Strava through the API: the connection's state (and the newest sync's progress), the
consent address with a state bound to the calling account, the code exchanged (the history
sync queued), a sync queued, and the connection ended (revoked at Strava)."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import datetime as dt
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from kneecoach.domain.errors import InvalidInput
from kneecoach.presenters import strava_status_json
from kneecoach.services.ports import StravaError
from kneecoach.web.api.access import Own, runtime_of, site_address
from kneecoach.web.api.body import Body
from kneecoach.web.api.errors import errors

OFF = 409
"""Strava off on this server, or not connected (or needing connecting again), or the Strava
account already connected to another kneecoach account."""


class AuthorizationIn(Body):
    """Where Strava sends the runner back with the code; default: the web app's own
    callback, which connects a browser signed in to this account (and only that)."""

    redirect_uri: str | None = Field(default=None, max_length=500)


class ConnectionIn(Body):
    """Strava's answer at the redirect address, as its query has it: `code`, `state` and
    `scope` (or `error`)."""

    state: str = Field(max_length=500)
    code: str | None = Field(default=None, max_length=500)
    error: str | None = Field(default=None, max_length=500)
    scope: str | None = Field(
        default=None, max_length=500, description="The scope Strava's answer says was granted."
    )
    since: dt.date | None = Field(
        default=None, strict=False, description="Sync from this day (default: two years back)."
    )


def _refused(error: Exception) -> HTTPException:
    from kneecoach.services.strava import AthleteTaken, ForgedState, NotConnected, StravaOff

    if isinstance(error, (StravaOff, NotConnected, AthleteTaken)):
        return HTTPException(status_code=OFF, detail=str(error))
    if isinstance(error, ForgedState):
        return HTTPException(status_code=403, detail=str(error))
    if isinstance(error, StravaError):
        return HTTPException(status_code=502, detail=f"Strava: {error}")
    return HTTPException(status_code=422, detail=str(error))


def add_routes(api: FastAPI) -> None:
    @api.get("/strava")
    def strava(request: Request, runner: Own) -> dict[str, Any]:
        """The Strava connection as `kneecoach strava status --json` prints it (`enabled`,
        `connected`, `athlete_name`, `synced`, `last_sync_at`, `needs_reconnect` and its
        `reconnect_reason`, …) and `sync`: the newest sync job's state and progress."""
        from kneecoach.services import strava as S

        runtime = runtime_of(request)
        found = S.status(runtime.strava, runner.user_id)
        job = S.sync_job(runner, runtime.jobs) if found.connected else None
        return strava_status_json(found, job)

    @api.post("/strava/authorization", responses=errors(409, 422))
    def authorization(request: Request, body: AuthorizationIn, runner: Own) -> dict[str, str]:
        """The address where the runner gives consent, with a `state` bound to this account:
        Strava sends them to `redirect_uri` (default: the web app's callback) with a code,
        which `POST /strava/connection` takes with that state. 409 when Strava is off."""
        from kneecoach.services import strava as S

        redirect = body.redirect_uri or site_address(request, "/settings/strava/callback")
        if not redirect.startswith(("http://", "https://")):
            raise HTTPException(status_code=422, detail="redirect_uri must be an http(s) address")
        try:
            link = S.need(runtime_of(request).strava)
        except S.StravaOff as error:
            raise _refused(error) from None
        state = S.bound_state(link, S.account_binding(runner.user_id))
        return {"address": link.api.authorize_url(redirect, state), "state": state}

    @api.post("/strava/connection", status_code=201, responses=errors(403, 409, 422, 502))
    def connection(request: Request, body: ConnectionIn, runner: Own) -> JSONResponse:
        """Connect with Strava's answer: 403 when `state` is not one this account asked for
        in the last 30 minutes (nothing is kept), 409 when that Strava account is already
        connected to another kneecoach account (nothing is kept), 422 when the runner
        refused (`error`) or the code is not one Strava gives, 502 when Strava refused the
        code or could not be reached; else 201 with the connection and the history sync
        queued (`sync`)."""
        from kneecoach.services import strava as S
        from kneecoach.services.jobs import wall_clock

        runtime = runtime_of(request)
        try:
            S.connect_answer(
                runtime.strava,
                runner,
                (S.account_binding(runner.user_id),),
                state=body.state,
                code=body.code,
                error=body.error,
                since=body.since,
            )
            S.queue_sync(runner, runtime.strava, runtime.jobs, wall_clock())
        except (InvalidInput, StravaError) as error:
            raise _refused(error) from None
        found = S.status(runtime.strava, runner.user_id)
        return JSONResponse(
            strava_status_json(found, S.sync_job(runner, runtime.jobs)), status_code=201
        )

    @api.post("/strava/sync", status_code=202, responses=errors(409))
    def sync(request: Request, runner: Own) -> JSONResponse:
        """Queue a sync (new activities, then the rest of the history): 202 with the
        connection and the job (`sync`; its progress also at `GET /jobs/{job_id}`); 409
        when Strava is off, not connected, or needs connecting again."""
        from kneecoach.services import strava as S
        from kneecoach.services.jobs import wall_clock

        runtime = runtime_of(request)
        try:
            S.queue_sync(runner, runtime.strava, runtime.jobs, wall_clock())
        except InvalidInput as error:
            raise _refused(error) from None
        found = S.status(runtime.strava, runner.user_id)
        return JSONResponse(
            strava_status_json(found, S.sync_job(runner, runtime.jobs)), status_code=202
        )

    @api.delete("/strava/connection", responses=errors(409))
    def disconnect(request: Request, runner: Own) -> dict[str, Any]:
        """Revoke kneecoach's access at Strava and delete the tokens (deleted even when
        Strava cannot be reached): `was_connected`, `revoked`, `error`, as `kneecoach strava
        disconnect --json`. 409 when Strava is off."""
        from dataclasses import asdict

        from kneecoach.services import strava as S

        try:
            done = S.disconnect(runtime_of(request).strava, runner.user_id)
        except S.StravaOff as error:
            raise _refused(error) from None
        return asdict(done)
