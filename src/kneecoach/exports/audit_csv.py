"""The audit log as a CSV file for the clinic's owner: one row per entry, oldest first,
with a header; every cell written as text (a cell starting with =, +, - or @ is prefixed
with a quote, so a spreadsheet never runs it as a formula)."""

from __future__ import annotations

import csv
import io
from typing import Any

from kneecoach.services.exports import spreadsheet_text

COLUMNS = (
    "at",
    "actor_id",
    "actor_name",
    "runner_id",
    "runner_name",
    "action",
    "address",
    "allowed",
)


def _cell(value: object) -> str:
    return spreadsheet_text("" if value is None else str(value))


def audit_csv(view: Any) -> bytes:
    """The entries of an ``AuditLogView`` as UTF-8 CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for e in view.entries:
        writer.writerow(
            _cell(v)
            for v in (
                e.at.isoformat(),
                e.actor_id,
                e.actor_name,
                e.runner_id,
                e.runner_name,
                e.action,
                e.address,
                "yes" if e.allowed else "refused",
            )
        )
    return out.getvalue().encode()


def file_name(view: Any) -> str:
    first = view.first.isoformat() if view.first else "start"
    last = view.last.isoformat() if view.last else "now"
    return f"kneecoach-audit-{first}-to-{last}.csv"
