"""The runner's data out and back in: the CSV files, the FHIR Bundle, the calendar, the
program sheet and the backup to download, and a backup restored — the exports of the
command line and of the "Your data" page."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, Response

from kneecoach.presenters import restore_json
from kneecoach.web.api.access import Own, runtime_of
from kneecoach.web.api.errors import errors
from kneecoach.web.context import PostedJson
from kneecoach.web.settings_pages import CALENDAR_WEEKS, SHEET_WEEKS, attachment


def _file(media_type: str, what: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"content": {media_type: {}}, "description": what}}


def add_routes(api: FastAPI) -> None:
    @api.get(
        "/export/csv",
        response_class=Response,
        responses={**errors(409), **_file("application/zip", "The CSV files, zipped.")},
    )
    def export_csv(runner: Own) -> Response:
        """Sessions (one row a set), check-ins, AKPS results and runs: the CSV files of
        `kneecoach export csv`, in one zip archive."""
        from kneecoach.services.exports import csv_archive

        return attachment(csv_archive(runner))

    @api.get(
        "/export/fhir",
        response_class=Response,
        responses={**errors(409), **_file("application/fhir+json", "A FHIR R4 Bundle.")},
    )
    def export_fhir(request: Request, runner: Own) -> Response:
        """The FHIR R4 Bundle of `kneecoach export fhir` (application/fhir+json)."""
        from kneecoach.exports.files import fhir_export

        name = runtime_of(request).accounts.name_of(runner.user_id)
        return attachment(fhir_export(runner, name))

    @api.get(
        "/export/backup",
        response_class=Response,
        responses={**errors(409), **_file("application/json", "The backup document.")},
    )
    def export_backup(runner: Own) -> Response:
        """Everything of the account's in one versioned JSON backup (`kneecoach export
        backup`)."""
        from kneecoach.services.backup import make_backup

        return attachment(make_backup(runner))

    @api.post("/backup", responses=errors(400, 422))
    def restore_backup(runner: Own, document: PostedJson) -> dict[str, Any]:
        """Restore a backup made by `GET /export/backup` (the document as the JSON body):
        all of it or nothing, skipping what is already kept. Returns what was added and
        skipped per table, as `kneecoach import backup --json`; 422 names the problem, with
        nothing changed."""
        from kneecoach.services.backup import restore_document

        return restore_json(restore_document(runner, document, "the backup"))

    @api.get(
        "/export/calendar.ics",
        response_class=Response,
        responses={**errors(409, 422), **_file("text/calendar", "An iCalendar file.")},
    )
    def export_calendar(
        request: Request,
        runner: Own,
        weeks: Annotated[int, Query(ge=1, le=52)] = CALENDAR_WEEKS,
    ) -> Response:
        """The coming weeks' sessions as an iCalendar file, at the session time, reminder and
        time zone of the server's settings (`kneecoach export calendar`); 422 while the
        program is paused."""
        from kneecoach.exports.files import calendar_for

        runtime = runtime_of(request)
        settings = runtime.settings
        export = calendar_for(
            runner,
            runtime.accounts.name_of(runner.user_id),
            weeks,
            start_time=settings.session_time,
            reminder_minutes=settings.reminder_minutes,
            timezone=settings.timezone,
        )
        return attachment(export)

    @api.get(
        "/export/sheet",
        response_class=Response,
        responses={**errors(409, 422), **_file("text/html", "The sheet as a web page.")},
    )
    def export_sheet(
        runner: Own, weeks: Annotated[int, Query(ge=1, le=52)] = SHEET_WEEKS
    ) -> Response:
        """The printable program sheet, with weeks of tick boxes, as a web page."""
        from kneecoach.exports.files import sheet_for

        return HTMLResponse(sheet_for(runner, weeks, pdf=False).data)

    @api.get(
        "/export/sheet.pdf",
        response_class=Response,
        responses={**errors(409, 422), **_file("application/pdf", "The sheet as PDF.")},
    )
    def export_sheet_pdf(
        runner: Own, weeks: Annotated[int, Query(ge=1, le=52)] = SHEET_WEEKS
    ) -> Response:
        """The printable program sheet as PDF."""
        from kneecoach.exports.files import sheet_for

        sheet = sheet_for(runner, weeks, pdf=True)
        return Response(
            sheet.data,
            media_type=sheet.media_type,
            headers={"Content-Disposition": f'inline; filename="{sheet.file_name}"'},
        )
