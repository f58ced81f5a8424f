"""The audit log on the web: a runner's page of who read or changed their record, and the
owner's export of the whole log (a CSV download over a period)."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import datetime as dt

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.ports import WebSession
from kneecoach.web.context import Web, Who


def day(text: str | None, what: str) -> dt.date | None:
    """A day typed into a date field: empty is none, anything but YYYY-MM-DD is refused."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what} must be a date (YYYY-MM-DD), not '{text[:20]}'") from None


def _rows(view: object, *, with_runner: bool) -> list[dict[str, str]]:
    rows = []
    for e in getattr(view, "entries", ()):
        row = {
            "when": f"{e.at:%d %b %Y %H:%M} UTC",
            "who": e.actor_name,
            "what": e.action if e.allowed else f"{e.action} — refused",
            "where": e.address,
        }
        if with_runner:
            row["runner"] = e.runner_name or f"no such runner (#{e.runner_id})"
        rows.append(row)
    return rows


def add_routes(app: FastAPI, web: Web) -> None:
    @app.get("/settings/audit", response_class=HTMLResponse)
    def who_looked_page(request: Request, who: Who) -> Response:
        """Who read or changed the signed-in runner's record, newest first."""
        from kneecoach.services.audit import who_looked

        view = who_looked(web.runner(who))
        return web.page.render(
            request,
            "audit.html",
            title="Who looked at your record",
            rows=list(reversed(_rows(view, with_runner=False))),
            **web.base(who),
        )

    def owner_only(who: WebSession) -> None:
        if who.role != "owner":
            raise HTTPException(status_code=404, detail="not found")

    @app.get("/audit", response_class=HTMLResponse)
    def audit_export_page(
        request: Request, who: Who, first: str | None = None, last: str | None = None
    ) -> Response:
        """The owner's export: pick a period, download the log as CSV; the entries shown."""
        from kneecoach.services.audit import clinic_log

        owner_only(who)
        try:
            view = clinic_log(web.runtime.storage.audit(), day(first, "from"), day(last, "to"))
        except InvalidInput as error:
            return web.refused(request, who, "No export", error, "/audit")
        query = f"?first={view.first or ''}&last={view.last or ''}"
        return web.page.render(
            request,
            "audit_export.html",
            title="Audit log",
            rows=_rows(view, with_runner=True),
            first=view.first or "",
            last=view.last or "",
            download=f"/audit.csv{query}",
            **web.base(who),
        )

    @app.get("/audit.csv")
    def audit_export_csv(
        request: Request, who: Who, first: str | None = None, last: str | None = None
    ) -> Response:
        from kneecoach.exports.audit_csv import audit_csv, file_name
        from kneecoach.services.audit import clinic_log

        owner_only(who)
        try:
            view = clinic_log(web.runtime.storage.audit(), day(first, "from"), day(last, "to"))
        except InvalidInput as error:
            return web.refused(request, who, "No export", error, "/audit")
        return Response(
            audit_csv(view),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{file_name(view)}"'},
        )
