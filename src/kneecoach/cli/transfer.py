"""``kneecoach export ...`` and ``kneecoach import backup``: your data, out and back in."""

from __future__ import annotations

import json as jsonlib
from pathlib import Path
from typing import Annotated

import typer

from kneecoach.cli.common import BadInput, console, print_json, runner, runtime

export_app = typer.Typer(
    help="Export your data: a lossless JSON backup, a calendar, or CSV files.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
import_app = typer.Typer(
    help="Restore a JSON backup made by 'kneecoach export backup'.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@export_app.callback()
def _export() -> None:
    """Export your data: a lossless JSON backup, a calendar, or CSV files."""


@import_app.callback()
def _import() -> None:
    """Restore a JSON backup made by 'kneecoach export backup'."""


@export_app.command("backup")
def export_backup(
    file: Annotated[Path, typer.Argument(help="Where to write the backup ('-' for stdout).")],
) -> None:
    """Everything of yours in one versioned JSON file (restore with 'import backup')."""
    c = runner()
    c.stored_profile()
    document = c.store.backup.export(c.clock.now())
    text = jsonlib.dumps(document, ensure_ascii=False, indent=1)
    if str(file) == "-":
        print(text)
        return
    try:
        file.write_text(text, encoding="utf-8")
    except OSError as error:
        raise BadInput(f"cannot write {file}: {error.strerror}") from None
    counts = ", ".join(f"{len(rows)} {name}" for name, rows in document["tables"].items() if rows)
    console().print(f"Backup written to {file} (format version {document['version']}): {counts}.")


@import_app.command("backup")
def import_backup(
    file: Annotated[Path, typer.Argument(help="A backup written by 'kneecoach export backup'.")],
    json: Annotated[bool, typer.Option("--json", help="Print what was restored as JSON.")] = False,
) -> None:
    """Restore a backup: all of it or nothing, skipping what is already kept."""
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise BadInput(f"cannot read {file}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{file} is not a UTF-8 text file") from None
    try:
        document = jsonlib.loads(text)
    except jsonlib.JSONDecodeError as error:
        raise BadInput(
            f"{file}: not valid JSON at line {error.lineno}, column {error.colno}: {error.msg} "
            "(is it cut short?)"
        ) from None
    c = runner()
    report = c.store.backup.restore(document)
    if json:
        print_json(report)
        return
    added = sum(report["added"].values())
    skipped = sum(report["skipped"].values())
    console().print(f"Restored {added} records from {file}; {skipped} were already kept.")


@export_app.command("ical")
def export_ical(
    file: Annotated[Path, typer.Argument(help="Where to write the .ics file ('-' for stdout).")],
    weeks: Annotated[int, typer.Option(help="How many weeks ahead (1-52).")] = 4,
) -> None:
    """The coming sessions as a calendar with reminders; re-exporting updates, not duplicates."""
    from kneecoach.services.exports import calendar_for

    settings = runtime().settings
    data, count = calendar_for(
        runner(),
        settings.user,
        weeks,
        start_time=settings.session_time,
        reminder_minutes=settings.reminder_minutes,
        timezone=settings.timezone,
    )
    if str(file) == "-":
        typer.echo(data.decode())
        return
    try:
        file.write_bytes(data)
    except OSError as error:
        raise BadInput(f"cannot write {file}: {error.strerror}") from None
    console().print(
        f"{count} sessions over {weeks} weeks written to {file}, each at "
        f"{settings.session_time:%H:%M} with a reminder {settings.reminder_minutes} min before."
    )


CSV_COLUMNS = {
    "sessions.csv": [
        "date",
        "exercise",
        "variant",
        "side",
        "set",
        "reps",
        "hold_seconds",
        "load_kg",
        "pain_during",
        "pain_after",
        "effort",
        "notes",
    ],
    "checkins.csv": ["date", "pain_morning", "swelling"],
    "akps.csv": ["date", "score", *[f"item_{n}" for n in range(1, 14)]],
    "runs.csv": [
        "id",
        "sport",
        "start",
        "distance_m",
        "elapsed_s",
        "moving_s",
        "ascent_m",
        "avg_hr",
        "max_hr",
        "avg_cadence",
        "indoor",
        "name",
        "sources",
    ],
}


@export_app.command("csv")
def export_csv(
    folder: Annotated[Path, typer.Argument(help="A folder for the four CSV files.")],
) -> None:
    """Sessions (one row a set), check-ins, AKPS results and runs, one CSV file each."""
    import csv
    import datetime as dt

    c = runner()
    c.stored_profile()
    rows: dict[str, list[list[object]]] = {name: [] for name in CSV_COLUMNS}
    far = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
    for session in c.store.journal.sessions(*far):
        for s in session.sets:
            rows["sessions.csv"].append(
                [
                    session.performed_on,
                    s.exercise,
                    s.variant,
                    s.side.value,
                    s.set_number,
                    s.reps,
                    s.hold_seconds,
                    s.load_kg,
                    session.pain_during,
                    session.pain_after,
                    session.effort,
                    session.notes,
                ]
            )
    for checkin in c.store.journal.checkins(*far):
        rows["checkins.csv"].append([checkin.date, checkin.pain_morning, checkin.swelling])
    for result in c.store.outcomes.akps_results():
        rows["akps.csv"].append([result.taken_on, result.score, *result.answers])
    for stored in c.store.activities.all():
        a = stored.activity
        rows["runs.csv"].append(
            [
                stored.id,
                a.sport.value,
                a.start.isoformat(),
                round(a.distance_m, 1),
                round(a.elapsed_s, 1),
                round(a.moving_s, 1),
                a.ascent_m,
                a.avg_hr,
                a.max_hr,
                a.avg_cadence,
                a.indoor,
                a.name,
                ";".join(stored.sources),
            ]
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, header in CSV_COLUMNS.items():
            with (folder / name).open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                writer.writerows(["" if v is None else v for v in row] for row in rows[name])
    except OSError as error:
        raise BadInput(f"cannot write to {folder}: {error.strerror}") from None
    counts = ", ".join(f"{name} ({len(rows[name])} rows)" for name in CSV_COLUMNS)
    console().print(f"Written to {folder}: {counts}.")


@export_app.command("sheet")
def export_sheet(
    file: Annotated[Path, typer.Argument(help="Where to write the sheet (.pdf or .html).")],
    pdf: Annotated[
        bool | None,
        typer.Option("--pdf/--html", help="PDF or HTML (default: from the file's ending)."),
    ] = None,
    weeks: Annotated[int, typer.Option(help="Weeks of tick boxes (1-8).")] = 4,
) -> None:
    """Your current program on one or two A4 pages, to print and pin to the wall."""
    from kneecoach.services.exports import sheet_for

    as_pdf = pdf if pdf is not None else file.suffix.lower() == ".pdf"
    data = sheet_for(runner(), weeks, as_pdf)
    try:
        file.write_bytes(data)
    except OSError as error:
        raise BadInput(f"cannot write {file}: {error.strerror}") from None
    console().print(f"Program sheet written to {file} ({'PDF' if as_pdf else 'HTML'}).")


@export_app.command("fhir")
def export_fhir(
    file: Annotated[Path, typer.Argument(help="Where to write the Bundle (JSON).")],
) -> None:
    """A FHIR R4 Bundle: Patient (pseudonymous), CarePlan, pain Observations, AKPS, distance."""
    import datetime as dt

    from kneecoach.exports.fhir import bundle
    from kneecoach.services.runs import load_report
    from kneecoach.services.today import session_for

    c = runner()
    c.stored_profile()
    far = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
    report = load_report(c, "distance")
    data = bundle(
        _settings_user(),
        session_for(c, c.clock.today()),
        c.store.journal.sessions(*far),
        c.store.journal.checkins(*far),
        c.store.outcomes.akps_results(),
        report.weeks if report else [],
        c.clock.now(),
    )
    try:
        file.write_text(jsonlib.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    except OSError as error:
        raise BadInput(f"cannot write {file}: {error.strerror}") from None
    console().print(f"FHIR Bundle with {len(data['entry'])} resources written to {file}.")


def _settings_user() -> str:
    return runtime().settings.user
