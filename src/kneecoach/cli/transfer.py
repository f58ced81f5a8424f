"""``kneecoach export ...`` and ``kneecoach import backup``: your data, out and back in."""

from __future__ import annotations

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
    from kneecoach.services.backup import make_backup

    backup = make_backup(runner())
    if str(file) == "-":
        print(backup.data.decode("utf-8"))
        return
    _write(file, backup.data)
    counts = ", ".join(f"{t.count} {t.what}" for t in backup.tables if t.count)
    console().print(
        f"Backup written to {file} (format version {backup.version}): {counts}.", soft_wrap=True
    )


@import_app.command("backup")
def import_backup(
    file: Annotated[Path, typer.Argument(help="A backup written by 'kneecoach export backup'.")],
    json: Annotated[bool, typer.Option("--json", help="Print what was restored as JSON.")] = False,
) -> None:
    """Restore a backup: all of it or nothing, skipping what is already kept."""
    from kneecoach.presenters import restore_json
    from kneecoach.services.backup import restore_backup

    try:
        data = file.read_bytes()
    except OSError as error:
        raise BadInput(f"cannot read {file}: {error.strerror}") from None
    restored = restore_backup(runner(create=True), data, str(file))
    if json:
        print_json(restore_json(restored))
        return
    console().print(
        f"Restored {restored.added} records from {file}; {restored.skipped} were already kept.",
        soft_wrap=True,
    )


@export_app.command("ical")
def export_ical(
    file: Annotated[Path, typer.Argument(help="Where to write the .ics file ('-' for stdout).")],
    weeks: Annotated[int, typer.Option(help="How many weeks ahead (1-52).")] = 4,
) -> None:
    """The coming sessions as a calendar with reminders; re-exporting updates, not duplicates."""
    from kneecoach.exports.files import calendar_for

    settings = runtime().settings
    calendar = calendar_for(
        runner(),
        settings.user,
        weeks,
        start_time=settings.session_time,
        reminder_minutes=settings.reminder_minutes,
        timezone=settings.timezone,
    )
    if str(file) == "-":
        typer.echo(calendar.data.decode())
        return
    _write(file, calendar.data)
    console().print(
        f"{calendar.counts[0].count} sessions over {weeks} weeks written to {file}, each at "
        f"{settings.session_time:%H:%M} with a reminder {settings.reminder_minutes} min before."
    )
    runs = calendar.counts[1].count if len(calendar.counts) > 1 else 0
    if runs:
        console().print(f"{runs} runs of the race plan too, as all-day events.")


@export_app.command("csv")
def export_csv(
    folder: Annotated[Path, typer.Argument(help="A folder for the four CSV files.")],
) -> None:
    """Sessions (one row a set), check-ins, AKPS results and runs, one CSV file each."""
    from kneecoach.services.exports import csv_files

    files = csv_files(runner())
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for file in files:
            (folder / file.file_name).write_bytes(file.data)
    except OSError as error:
        raise BadInput(f"cannot write to {folder}: {error.strerror}") from None
    counts = ", ".join(f"{f.file_name} ({f.counts[0].count} rows)" for f in files)
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
    from kneecoach.exports.files import sheet_for

    as_pdf = pdf if pdf is not None else file.suffix.lower() == ".pdf"
    _write(file, sheet_for(runner(), weeks, as_pdf).data)
    console().print(
        f"Program sheet written to {file} ({'PDF' if as_pdf else 'HTML'}).", soft_wrap=True
    )


@export_app.command("fhir")
def export_fhir(
    file: Annotated[Path, typer.Argument(help="Where to write the Bundle (JSON).")],
) -> None:
    """A FHIR R4 Bundle: Patient (pseudonymous), CarePlan, pain Observations, AKPS, distance."""
    from kneecoach.exports.files import fhir_export

    bundle = fhir_export(runner(), runtime().settings.user)
    _write(file, bundle.data)
    resources = sum(count.count for count in bundle.counts)
    console().print(f"FHIR Bundle with {resources} resources written to {file}.", soft_wrap=True)


def _write(file: Path, data: bytes) -> None:
    try:
        file.write_bytes(data)
    except OSError as error:
        raise BadInput(f"cannot write {file}: {error.strerror}") from None
