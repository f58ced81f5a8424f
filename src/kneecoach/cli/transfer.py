"""``kneecoach export ...`` and ``kneecoach import backup``: your data, out and back in."""

from __future__ import annotations

import json as jsonlib
from pathlib import Path
from typing import Annotated

import typer

from kneecoach.cli.common import BadInput, coach, console, print_json

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
    c = coach()
    c.stored_profile()
    document = c.repository.export_backup(c.user_id, c.clock.now())
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
    c = coach()
    report = c.repository.restore_backup(c.user_id, document)
    if json:
        print_json(report)
        return
    added = sum(report["added"].values())
    skipped = sum(report["skipped"].values())
    console().print(f"Restored {added} records from {file}; {skipped} were already kept.")
