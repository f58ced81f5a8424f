"""Settings: API tokens, the calendar subscription and its feed, the program sheet, and
"Your data" — every export to download and a backup to restore."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.accounts import (
    new_api_token,
)
from kneecoach.services.backup import BackupView
from kneecoach.services.context import NotSetUp, RunnerContext
from kneecoach.services.exports import ExportView
from kneecoach.services.ports import WebSession
from kneecoach.services.strava import status as strava_status
from kneecoach.web.context import Checked, PostedForm, Runner, Web, Who
from kneecoach.web.security_headers import DOCUMENT_POLICY

CALENDAR_WEEKS = 4
"""Weeks of sessions in a downloaded calendar (the command line's default too)."""
FEED_WEEKS = 6
"""Weeks of sessions in the calendar subscription feed."""
SHEET_WEEKS = 4
"""Weeks of tick boxes on the program sheet."""


def attachment(export: ExportView | BackupView) -> Response:
    """An export as a download: its bytes, media type and file name."""
    return Response(
        export.data,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.file_name}"'},
    )


def add_routes(app: FastAPI, web: Web) -> None:
    def settings_render(request: Request, who: WebSession, **extra: Any) -> Response:
        return web.page.render(
            request,
            "settings.html",
            title="Settings",
            has_feed=web.accounts.has_calendar_feed(who.user_id),
            mail_on=web.accounts.mail_on,
            email=web.accounts.email_of(who.user_id) or "",
            owner=who.role == "owner",
            strava=strava_status(web.runtime.strava, who.user_id),
            **web.base(who),
            **extra,
        )

    @app.get("/settings", response_class=HTMLResponse)
    def settings_page(request: Request, who: Who) -> Response:
        return settings_render(request, who)

    @app.post("/settings/email")
    def settings_email(request: Request, who: Checked, form: PostedForm) -> Response:
        text = form.get("email")
        try:
            posted = text if isinstance(text, str) else ""
            saved = web.accounts.set_email(who.user_id, posted, web.clock.now())
        except InvalidInput as error:
            return web.refused(request, who, "Email not saved", error, "/settings")
        return settings_render(request, who, email_saved=saved or "")

    @app.post("/settings/calendar")
    def settings_calendar(request: Request, who: Checked) -> Response:
        token = web.accounts.open_calendar_feed(who.user_id, web.clock.now())
        return settings_render(request, who, feed=f"{web.settings.public_url}/calendar/{token}.ics")

    @app.post("/settings/calendar/revoke")
    def settings_calendar_revoke(request: Request, who: Checked) -> Response:
        web.accounts.close_calendar_feed(who.user_id, web.clock.now())
        return RedirectResponse("/settings", 303)

    def calendar(runner: RunnerContext, weeks: int) -> ExportView:
        from kneecoach.exports.files import calendar_for

        return calendar_for(
            runner,
            web.accounts.name_of(runner.user_id),
            weeks,
            start_time=web.settings.session_time,
            reminder_minutes=web.settings.reminder_minutes,
            timezone=web.settings.timezone,
        )

    @app.get("/calendar/{token}.ics")
    def calendar_feed(token: str) -> Response:
        """The subscription feed: no login, the secret address is the key."""
        user_id = web.accounts.calendar_feed_owner(token)
        if user_id is None:
            raise HTTPException(status_code=404, detail="not found")
        try:
            data = calendar(web.runner_by_id(user_id), FEED_WEEKS).data
        except (InvalidInput, NotSetUp):
            from kneecoach.exports.ical import calendar as empty_calendar

            data = empty_calendar(
                [],
                web.accounts.name_of(user_id),
                start_time=web.settings.session_time,
                reminder_minutes=0,
                timezone="UTC",
                stamp=web.clock.now(),
            )
        return Response(data, media_type="text/calendar; charset=utf-8")

    def no_sheet(request: Request, who: WebSession, error: InvalidInput) -> Response:
        """No sheet of sessions to do while the program is paused: said on a page."""
        return web.page.render(
            request,
            "message.html",
            409,
            title="No program sheet",
            heading="No program sheet",
            lines=[str(error)],
            link=("/today", "Back to today"),
            **web.base(who),
        )

    @app.get("/sheet", response_class=HTMLResponse)
    def sheet_html(request: Request, who: Who, runner: Runner) -> Response:
        from kneecoach.exports.files import sheet_for

        try:
            sheet = sheet_for(runner, SHEET_WEEKS, pdf=False)
        except InvalidInput as error:
            return no_sheet(request, who, error)
        return HTMLResponse(sheet.data, headers={"Content-Security-Policy": DOCUMENT_POLICY})

    @app.get("/sheet.pdf")
    def sheet_pdf(request: Request, who: Who, runner: Runner) -> Response:
        from kneecoach.exports.files import sheet_for

        try:
            sheet = sheet_for(runner, SHEET_WEEKS, pdf=True)
        except InvalidInput as error:
            return no_sheet(request, who, error)
        return Response(
            sheet.data,
            media_type=sheet.media_type,
            headers={"Content-Disposition": f'inline; filename="{sheet.file_name}"'},
        )

    @app.post("/settings/token")
    def settings_token(request: Request, who: Checked, form: PostedForm) -> Response:
        token = new_api_token(
            web.accounts, who.user_id, str(form.get("name") or ""), web.clock.now()
        )
        return settings_render(request, who, token=token)

    def data_render(request: Request, who: WebSession, **extra: Any) -> Response:
        from kneecoach.services.exports import CSV_COLUMNS

        return web.page.render(
            request,
            "your_data.html",
            title="Your data",
            csv_files=list(CSV_COLUMNS),
            calendar_weeks=CALENDAR_WEEKS,
            **web.base(who),
            **extra,
        )

    @app.get("/settings/data", response_class=HTMLResponse)
    def your_data(request: Request, who: Who) -> Response:
        return data_render(request, who)

    @app.get("/settings/data/backup.json")
    def download_backup(runner: Runner) -> Response:
        from kneecoach.services.backup import make_backup

        return attachment(make_backup(runner))

    @app.get("/settings/data/fhir.json")
    def download_fhir(runner: Runner) -> Response:
        from kneecoach.exports.files import fhir_export

        return attachment(fhir_export(runner, web.accounts.name_of(runner.user_id)))

    @app.get("/settings/data/csv.zip")
    def download_csv_archive(runner: Runner) -> Response:
        from kneecoach.services.exports import csv_archive

        return attachment(csv_archive(runner))

    @app.get("/settings/data/csv/{name}")
    def download_csv_file(name: str, runner: Runner) -> Response:
        from kneecoach.services.exports import csv_files

        for file in csv_files(runner):
            if file.file_name == name:
                return attachment(file)
        raise HTTPException(status_code=404, detail="not found")

    @app.get("/settings/data/calendar.ics")
    def download_calendar(request: Request, who: Who, runner: Runner) -> Response:
        try:
            return attachment(calendar(runner, CALENDAR_WEEKS))
        except InvalidInput as error:
            return web.refused(
                request, who, "No calendar", error, "/settings/data", "Back to your data"
            )

    @app.post("/settings/data/restore")
    def restore(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        from kneecoach.services.backup import restore_backup

        upload = form.get("backup")
        if isinstance(upload, str) or upload is None or not upload.filename:
            error = InvalidInput("choose a backup file (.json) to restore")
            return web.refused(request, who, "Nothing restored", error, "/settings/data")
        try:
            restored = restore_backup(runner, upload.file.read(), upload.filename)
        except InvalidInput as error:
            return web.refused(request, who, "Nothing restored", error, "/settings/data")
        return data_render(request, who, restored=restored)
