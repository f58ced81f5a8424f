"""A runner's whole record out as one backup file, and back in: the same for the command
line, the pages and the API.

The backup format, and the check of a whole backup before anything is written, live in
``storage.backup``; here a backup becomes a file to hand over, and a file handed in becomes
a restore with a report of what was added and what was already kept.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.context import RunnerContext
from kneecoach.services.exports import CountView

MEDIA_TYPE = "application/json"


@dataclass(frozen=True, slots=True)
class BackupView:
    """A backup made: the file's name, media type and bytes, its format version, and how
    many records each table holds."""

    file_name: str
    media_type: str
    data: bytes
    version: int
    tables: tuple[CountView, ...]


TABLE_LABELS = {
    "profiles": "profile",
    "screenings": "red-flag screenings",
    "sessions": "sessions",
    "checkins": "check-ins",
    "akps_results": "AKPS results",
    "levels": "exercise levels",
    "decisions": "progression decisions",
    "activities": "runs and other activities",
    "rtr_checks": "return-to-run entry checks",
    "rtr_runs": "return-to-run runs",
    "race_goals": "race goal",
    "race_runs": "race plan runs told about",
    "fppa_tests": "knee-alignment tests",
    "race_calls": "your clinician's decisions on the race plan",
}
"""The backup's tables in a runner's words."""


@dataclass(frozen=True, slots=True)
class RestoredTableView:
    """One table of a restored backup: records added, and those already kept (skipped)."""

    table: str
    label: str
    added: int
    skipped: int


@dataclass(frozen=True, slots=True)
class RestoreView:
    """A backup restored: what was added and skipped, per table and in all."""

    source: str
    tables: tuple[RestoredTableView, ...]
    added: int
    skipped: int


def make_backup(runner: RunnerContext) -> BackupView:
    """Everything of the runner's in one versioned JSON document (read only)."""
    runner.stored_profile()
    document = runner.store.backup.export(runner.clock.now())
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return BackupView(
        file_name=f"kneecoach-backup-{runner.clock.today().isoformat()}.json",
        media_type=MEDIA_TYPE,
        data=text.encode("utf-8"),
        version=document["version"],
        tables=tuple(CountView(name, len(rows)) for name, rows in document["tables"].items()),
    )


def restore_backup(runner: RunnerContext, data: bytes, source: str) -> RestoreView:
    """Restore a backup file's bytes (``source`` names the file in messages); a file that
    is not JSON text raises InvalidInput saying where it breaks. See ``restore_document``."""
    return restore_document(runner, _parse(data, source), source)


def restore_document(runner: RunnerContext, document: object, source: str) -> RestoreView:
    """Restore a backup document already read as JSON.

    The whole backup is checked before anything is written, then written in one transaction
    (the backup port's one call), skipping what is already kept — so restoring twice adds
    nothing. A bad backup raises InvalidInput naming the place and the reason, with nothing
    changed."""
    report = runner.store.backup.restore(document)
    tables = tuple(
        RestoredTableView(name, TABLE_LABELS[name], added, report["skipped"][name])
        for name, added in report["added"].items()
    )
    return RestoreView(
        source=source,
        tables=tables,
        added=sum(t.added for t in tables),
        skipped=sum(t.skipped for t in tables),
    )


def _parse(data: bytes, source: str) -> object:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{source} is not a UTF-8 text file") from None
    from kneecoach.services.documents import parse_json

    return parse_json(text, source)
