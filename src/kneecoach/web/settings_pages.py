"""Settings: API tokens, the calendar subscription and its feed, the program sheet."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.accounts import (
    hash_token,
    new_api_token,
)
from kneecoach.services.context import NotSetUp
from kneecoach.storage.accounts import WebSession
from kneecoach.web.context import Checked, PostedForm, Runner, Web, Who


def add_routes(app: FastAPI, web: Web) -> None:
    def settings_render(request: Request, who: WebSession, **extra: Any) -> Response:
        return web.page.render(
            request,
            "settings.html",
            title="Settings",
            has_feed=web.accounts.store.has_calendar_feed(who.user_id),
            **web.base(who),
            **extra,
        )

    @app.get("/settings", response_class=HTMLResponse)
    def settings_page(request: Request, who: Who) -> Response:
        return settings_render(request, who)

    @app.post("/settings/calendar")
    def settings_calendar(request: Request, who: Checked) -> Response:
        import secrets

        token = secrets.token_urlsafe(24)
        web.accounts.store.set_calendar_feed(who.user_id, hash_token(token), web.clock.now())
        return settings_render(request, who, feed=f"{request.base_url}calendar/{token}.ics")

    @app.post("/settings/calendar/revoke")
    def settings_calendar_revoke(request: Request, who: Checked) -> Response:
        web.accounts.store.set_calendar_feed(who.user_id, None, web.clock.now())
        return RedirectResponse("/settings", 303)

    @app.get("/calendar/{token}.ics")
    def calendar_feed(token: str) -> Response:
        """The subscription feed: no login, the secret address is the key."""
        from kneecoach.services.exports import calendar_for

        user_id = web.accounts.store.calendar_feed_user(hash_token(token))
        if user_id is None:
            raise HTTPException(status_code=404, detail="not found")
        try:
            data = calendar_for(
                web.runner_by_id(user_id),
                web.accounts.store.name_of(user_id),
                6,
                start_time=web.settings.session_time,
                reminder_minutes=web.settings.reminder_minutes,
                timezone=web.settings.timezone,
            ).data
        except (InvalidInput, NotSetUp):
            from kneecoach.exports.ical import calendar

            data = calendar(
                [],
                web.accounts.store.name_of(user_id),
                start_time=web.settings.session_time,
                reminder_minutes=0,
                timezone="UTC",
                stamp=web.clock.now(),
            )
        return Response(data, media_type="text/calendar; charset=utf-8")

    @app.get("/sheet", response_class=HTMLResponse)
    def sheet_html(who: Who, runner: Runner) -> Response:
        from kneecoach.services.exports import sheet_for

        try:
            return HTMLResponse(sheet_for(runner, 4, pdf=False).data)
        except NotSetUp:
            return RedirectResponse("/onboarding", 303)

    @app.get("/sheet.pdf")
    def sheet_pdf(who: Who, runner: Runner) -> Response:
        from kneecoach.services.exports import sheet_for

        try:
            data = sheet_for(runner, 4, pdf=True).data
        except NotSetUp:
            return RedirectResponse("/onboarding", 303)
        return Response(
            data,
            media_type="application/pdf",
            headers={"Content-Disposition": 'inline; filename="kneecoach-program.pdf"'},
        )

    @app.post("/settings/token")
    def settings_token(request: Request, who: Checked, form: PostedForm) -> Response:
        token = new_api_token(
            web.accounts, who.user_id, str(form.get("name") or ""), web.clock.now()
        )
        return settings_render(request, who, token=token)
