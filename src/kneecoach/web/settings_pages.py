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
from kneecoach.services.context import Coach, NotSetUp
from kneecoach.storage.accounts import WebSession
from kneecoach.web.context import Web


def add_routes(app: FastAPI, web: Web) -> None:
    page = web.page
    repository = web.repository
    accounts = web.accounts
    clock = web.clock
    base = web.base
    coach_for = web.coach
    settings = web.settings
    Who = web.Who
    Checked = web.Checked

    def settings_render(request: Request, who: WebSession, **extra: Any) -> Response:
        return page.render(
            request,
            "settings.html",
            title="Settings",
            has_feed=accounts.store.has_calendar_feed(who.user_id),
            **base(who),
            **extra,
        )

    @app.get("/settings", response_class=HTMLResponse)
    def settings_page(request: Request, who: Who) -> Response:
        return settings_render(request, who)

    @app.post("/settings/calendar")
    def settings_calendar(request: Request, who: Checked) -> Response:
        import secrets

        token = secrets.token_urlsafe(24)
        accounts.store.set_calendar_feed(who.user_id, hash_token(token), clock.now())
        return settings_render(request, who, feed=f"{request.base_url}calendar/{token}.ics")

    @app.post("/settings/calendar/revoke")
    def settings_calendar_revoke(request: Request, who: Checked) -> Response:
        accounts.store.set_calendar_feed(who.user_id, None, clock.now())
        return RedirectResponse("/settings", 303)

    @app.get("/calendar/{token}.ics")
    def calendar_feed(token: str) -> Response:
        """The subscription feed: no login, the secret address is the key."""
        from kneecoach.services.exports import calendar_for

        user_id = accounts.store.calendar_feed_user(hash_token(token))
        if user_id is None:
            raise HTTPException(status_code=404, detail="not found")
        try:
            data, _ = calendar_for(
                Coach(repository, clock, user_id),
                accounts.store.name_of(user_id),
                6,
                start_time=settings.session_time,
                reminder_minutes=settings.reminder_minutes,
                timezone=settings.timezone,
            )
        except (InvalidInput, NotSetUp):
            from kneecoach.exports.ical import calendar

            data = calendar(
                [],
                accounts.store.name_of(user_id),
                start_time=settings.session_time,
                reminder_minutes=0,
                timezone="UTC",
                stamp=clock.now(),
            )
        return Response(data, media_type="text/calendar; charset=utf-8")

    @app.get("/sheet", response_class=HTMLResponse)
    def sheet_html(who: Who) -> Response:
        from kneecoach.services.exports import sheet_for

        try:
            return HTMLResponse(sheet_for(coach_for(who), 4, pdf=False).decode())
        except NotSetUp:
            return RedirectResponse("/onboarding", 303)

    @app.get("/sheet.pdf")
    def sheet_pdf(who: Who) -> Response:
        from kneecoach.services.exports import sheet_for

        try:
            data = sheet_for(coach_for(who), 4, pdf=True)
        except NotSetUp:
            return RedirectResponse("/onboarding", 303)
        return Response(
            data,
            media_type="application/pdf",
            headers={"Content-Disposition": 'inline; filename="kneecoach-program.pdf"'},
        )

    @app.post("/settings/token")
    async def settings_token(request: Request, who: Checked) -> Response:
        form = await request.form()
        token = new_api_token(accounts, who.user_id, str(form.get("name") or ""), clock.now())
        return settings_render(request, who, token=token)
