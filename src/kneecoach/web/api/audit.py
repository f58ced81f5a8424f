"""The audit log: a runner sees who read or changed their record (or tried to); the
clinic's owner exports every entry, as JSON or CSV, over a period."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import datetime as dt
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import Response

from kneecoach.presenters import audit_log_json
from kneecoach.web.api.access import Account, Own, runtime_of
from kneecoach.web.api.errors import errors

First = Annotated[
    dt.date | None, Query(alias="from", description="First day, UTC (default: the first entry).")
]
Last = Annotated[dt.date | None, Query(alias="to", description="Last day, UTC (default: today).")]


def _owner(request: Request, user: int) -> None:
    if not runtime_of(request).accounts.is_owner(user):
        raise HTTPException(status_code=403, detail="only the clinic's owner may export the log")


def add_routes(api: FastAPI) -> None:
    @api.get("/me/audit", responses=errors(422))
    def my_audit(runner: Own, first: First = None, last: Last = None) -> list[dict[str, Any]]:
        """Who read or changed your record — a clinician, the owner, a clinician's API
        token — when, from which address, and attempts that were refused, oldest first.
        Your own reads are not listed."""
        from kneecoach.services.audit import who_looked

        return audit_log_json(who_looked(runner, first, last))

    @api.get("/audit", responses=errors(403, 422))
    def clinic_audit(
        request: Request, user: Account, first: First = None, last: Last = None
    ) -> list[dict[str, Any]]:
        """The whole audit log over a period, oldest first: every read or change of a
        runner's record by someone else (the owner's only)."""
        from kneecoach.services.audit import clinic_log

        _owner(request, user)
        runtime = runtime_of(request)
        return audit_log_json(clinic_log(runtime.storage.audit(), first, last))

    @api.get(
        "/audit.csv",
        response_class=Response,
        responses={
            **errors(403, 422),
            200: {"content": {"text/csv": {}}, "description": "The log as CSV."},
        },
    )
    def clinic_audit_csv(
        request: Request, user: Account, first: First = None, last: Last = None
    ) -> Response:
        """The whole audit log over a period as a CSV file (the owner's only)."""
        from kneecoach.exports.audit_csv import audit_csv, file_name
        from kneecoach.services.audit import clinic_log

        _owner(request, user)
        view = clinic_log(runtime_of(request).storage.audit(), first, last)
        return Response(
            audit_csv(view),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{file_name(view)}"'},
        )
