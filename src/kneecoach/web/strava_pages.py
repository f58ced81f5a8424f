"""Strava on the web: its state on the Strava settings page (not connected, connected as
whom with the sync's progress, or needing connecting again), "Connect Strava" (the OAuth
code flow, its state bound to the browser's session), the callback that keeps the tokens
and queues the history sync, "Sync now", "Disconnect" (revoked at Strava); and the
webhook Strava posts its events to, behind the secret of its address."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import hmac
import json
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.ports import StravaError, WebSession
from kneecoach.web.context import Checked, PostedJson, Runner, Web, Who

CALLBACK = "/settings/strava/callback"
LONGEST_EVENT = 16 * 1024
"""A Strava event is a few hundred bytes; a larger body is not one."""
WebhookToken = Annotated[str, Path(max_length=100)]
OAuthText = Annotated[str | None, Query(max_length=500)]


def add_routes(app: FastAPI, web: Web) -> None:
    def strava_page(
        request: Request, who: WebSession, status: int = 200, **extra: Any
    ) -> HTMLResponse:
        from kneecoach.presenters import strava_sync_text
        from kneecoach.services import strava as S

        runner = web.runner(who)
        found = S.status(web.runtime.strava, who.user_id)
        job = S.sync_job(runner, web.runtime.jobs) if found.connected else None
        return web.page.render(
            request,
            "strava.html",
            status,
            title="Strava",
            strava=found,
            job=job,
            job_text=None if job is None else strava_sync_text(job),
            syncing=job is not None and not job.ended,
            last_sync=None
            if found.last_sync_at is None
            else f"{found.last_sync_at:%d %b %Y %H:%M} UTC",
            **web.base(who),
            **extra,
        )

    @app.get("/settings/strava", response_class=HTMLResponse)
    def strava_settings(request: Request, who: Who) -> Response:
        return strava_page(request, who)

    @app.get("/settings/strava/connect")
    def strava_connect(request: Request, who: Who) -> Response:
        """Off to Strava's consent page. A link, not a form: the page's policy lets forms
        post only here, and a form's redirect to Strava would be blocked; it writes nothing
        (the state is signed, not kept), so a GET it is."""
        from kneecoach.services import strava as S

        try:
            address = S.authorize_address(
                web.runtime.strava, f"{web.settings.public_url}{CALLBACK}", who.csrf
            )
        except InvalidInput as error:
            return web.refused(request, who, "Strava not connected", error, "/settings/strava")
        return RedirectResponse(address, 303)

    @app.get(CALLBACK, response_class=HTMLResponse)
    def strava_callback(
        request: Request,
        who: Who,
        runner: Runner,
        state: OAuthText = None,
        code: OAuthText = None,
        error: OAuthText = None,
    ) -> Response:
        """Strava sends the runner back here: with a code (connected, the history sync
        queued), or with an error (they refused); a state not made for this session is
        refused and nothing is kept."""
        from kneecoach.services import strava as S
        from kneecoach.services.jobs import wall_clock

        try:
            S.connect_answer(
                web.runtime.strava,
                runner,
                (who.csrf, S.account_binding(who.user_id)),  # Connect Strava here, or the API's
                state=state or "",
                code=code,
                error=error,
            )
            S.queue_sync(runner, web.runtime.strava, web.runtime.jobs, wall_clock())
        except (InvalidInput, StravaError) as refused:
            return web.refused(
                request, who, "Strava not connected", refused, "/settings/strava", "Back to Strava"
            )
        return RedirectResponse("/settings/strava", 303)

    @app.post("/settings/strava/sync")
    def strava_sync(request: Request, who: Checked, runner: Runner) -> Response:
        from kneecoach.services import strava as S
        from kneecoach.services.jobs import wall_clock

        try:
            S.queue_sync(runner, web.runtime.strava, web.runtime.jobs, wall_clock())
        except InvalidInput as error:
            return web.refused(request, who, "No sync", error, "/settings/strava")
        return RedirectResponse("/settings/strava", 303)

    @app.post("/settings/strava/disconnect")
    def strava_disconnect(request: Request, who: Checked) -> Response:
        from kneecoach.services import strava as S

        try:
            done = S.disconnect(web.runtime.strava, who.user_id)
        except InvalidInput as error:
            return web.refused(request, who, "Not disconnected", error, "/settings/strava")
        return strava_page(request, who, disconnected=done)

    # the webhook ------------------------------------------------------------------------
    def webhook_open(token: str) -> None:
        expected = web.settings.strava_webhook_token
        if expected is None or not hmac.compare_digest(token.encode(), expected.encode()):
            raise HTTPException(status_code=404, detail="not found")

    @app.get("/strava/webhook/{token}")
    def strava_webhook_check(request: Request, token: WebhookToken) -> Response:
        """Strava's check of the subscription: the challenge echoed when the verify token is
        this deployment's."""
        from kneecoach.services.strava import verify_subscription

        webhook_open(token)
        query = request.query_params
        try:
            challenge = verify_subscription(
                web.settings.strava_webhook_token,
                query.get("hub.mode"),
                query.get("hub.verify_token"),
                query.get("hub.challenge"),
            )
        except InvalidInput as error:
            return JSONResponse({"detail": str(error)}, status_code=403)
        return JSONResponse({"hub.challenge": challenge})

    @app.post("/strava/webhook/{token}")
    def strava_webhook_event(token: WebhookToken, document: PostedJson) -> Response:
        """One event: answered at once (Strava wants an answer within two seconds); a new
        activity is queued for a worker, the rest is one small write. A plain function, so
        FastAPI runs it in its thread pool and the event loop never waits on the database."""
        from kneecoach.integrations.strava import parse_event
        from kneecoach.services.jobs import wall_clock
        from kneecoach.services.strava import handle_event

        webhook_open(token)
        if len(json.dumps(document)) > LONGEST_EVENT:
            return JSONResponse({"detail": "not a Strava event"}, status_code=400)
        try:
            event = parse_event(document)
        except (InvalidInput, StravaError) as error:
            return JSONResponse({"detail": str(error)}, status_code=400)
        outcome = handle_event(
            web.runtime.strava, event, web.runtime.jobs, web.runtime.runner, wall_clock()
        )
        return JSONResponse({"action": outcome.action})
