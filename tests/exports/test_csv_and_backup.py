"""The CSV files and the backup, as the export services make them for every face: what
they hold, what they are called, that making them writes nothing, and that a backup
restores once and then adds nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile

import pytest

from kneecoach.domain.errors import InvalidInput
from kneecoach.exports import files
from kneecoach.services import exports
from kneecoach.services.backup import TABLE_LABELS, make_backup, restore_backup
from kneecoach.storage.backup import USER_TABLES
from tests.exports.conftest import AKPS_ANSWERS, LATER
from tests.helpers import MONDAY, runner_on

pytestmark = pytest.mark.own_dates


def _rows(export):
    return list(csv.DictReader(io.StringIO(export.data.decode("utf-8"))))


def test_each_csv_file_has_its_documented_columns_and_counts_its_rows(runner):
    files = {f.file_name: f for f in exports.csv_files(runner)}
    assert list(files) == ["sessions.csv", "checkins.csv", "akps.csv", "runs.csv"]
    for name, export in files.items():
        header = next(csv.reader(io.StringIO(export.data.decode("utf-8"))))
        assert tuple(header) == exports.CSV_COLUMNS[name]
        assert export.counts[0].count == len(_rows(export))
        assert export.media_type == "text/csv; charset=utf-8"


def test_the_sessions_csv_has_one_row_a_set_and_the_others_one_a_record(runner):
    files = {f.file_name: _rows(f) for f in exports.csv_files(runner)}
    logged = runner.store.journal.sessions(MONDAY, MONDAY)[0]
    assert len(files["sessions.csv"]) == len(logged.sets)
    assert {r["pain_during"] for r in files["sessions.csv"]} == {"3"}
    assert files["checkins.csv"] == [
        {"date": str(MONDAY + dt.timedelta(days=1)), "pain_morning": "1", "swelling": "False"}
    ]
    [akps] = files["akps.csv"]
    assert akps["score"] == "96"
    assert [int(akps[f"item_{n}"]) for n in range(1, 14)] == list(AKPS_ANSWERS)
    [run] = files["runs.csv"]
    assert run["sport"] == "run" and float(run["distance_m"]) > 3000


def test_the_csv_archive_holds_each_file_as_it_is_downloaded_alone(runner):
    archive = exports.csv_archive(runner)
    assert archive.media_type == "application/zip"
    assert archive.file_name == f"kneecoach-csv-{LATER.isoformat()}.zip"
    alone = exports.csv_files(runner)
    with zipfile.ZipFile(io.BytesIO(archive.data)) as z:
        assert {name: z.read(name) for name in z.namelist()} == {f.file_name: f.data for f in alone}
    assert [(c.what, c.count) for c in archive.counts] == [
        (f.file_name, f.counts[0].count) for f in alone
    ]


def test_making_any_export_writes_nothing(runner, revision):
    before = revision(runner)
    exports.csv_archive(runner)
    files.fhir_export(runner, "local")
    files.sheet_for(runner, 4, pdf=False)
    files.calendar_for(
        runner, "local", 2, start_time=dt.time(7), reminder_minutes=30, timezone="UTC"
    )
    make_backup(runner)
    assert revision(runner) == before


def test_the_backup_is_versioned_json_that_counts_each_table(runner):
    backup = make_backup(runner)
    document = json.loads(backup.data)
    assert backup.media_type == "application/json"
    assert backup.file_name == f"kneecoach-backup-{LATER.isoformat()}.json"
    assert backup.version == document["version"] == 2
    counts = {t.what: t.count for t in backup.tables}
    assert counts == {name: len(rows) for name, rows in document["tables"].items()}
    assert counts["sessions"] == 1 and counts["checkins"] == 1 and counts["activities"] == 1


def test_a_backup_restores_into_another_account_once_then_adds_nothing(runner, storage):
    data = make_backup(runner).data
    other = runner_on(storage, LATER, name="other")
    first = restore_backup(other, data, "backup.json")
    assert first.source == "backup.json"
    assert first.added == sum(t.added for t in first.tables) > 0 and first.skipped == 0
    assert {t.table: t.added for t in first.tables}["sessions"] == 1
    assert other.stored_profile().profile == runner.stored_profile().profile
    again = restore_backup(other, data, "backup.json")
    assert again.added == 0 and again.skipped == first.added


def test_restoring_a_runners_own_backup_adds_nothing(runner, revision):
    before = revision(runner)
    restored = restore_backup(runner, make_backup(runner).data, "backup.json")
    assert restored.added == 0 and restored.skipped > 0
    assert revision(runner) == before


def test_each_table_of_a_backup_has_a_name_in_a_runners_words(runner):
    assert set(TABLE_LABELS) == {t.name for t in USER_TABLES}
    restored = restore_backup(runner, make_backup(runner).data, "backup.json")
    assert {t.label for t in restored.tables} >= {"check-ins", "AKPS results"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"format": "kneecoach-backup", "tables": {', "backup.json: not valid JSON at line 1"),
        (b"\xff\xfe{}", "backup.json is not a UTF-8 text file"),
        (b"[]", "not a kneecoach backup"),
    ],
)
def test_a_file_that_is_not_a_backup_is_refused_by_name_and_changes_nothing(
    storage, revision, data, message
):
    someone = runner_on(storage, LATER, name="someone")
    before = revision(someone)
    with pytest.raises(InvalidInput, match=message):
        restore_backup(someone, data, "backup.json")
    assert revision(someone) == before


def test_a_backup_with_one_bad_value_restores_nothing(runner, storage, revision):
    document = json.loads(make_backup(runner).data)
    document["tables"]["checkins"][0]["pain_morning"] = 14
    someone = runner_on(storage, LATER, name="someone")
    before = revision(someone)
    with pytest.raises(InvalidInput, match=r"tables\.checkins\[0\]\.pain_morning"):
        restore_backup(someone, json.dumps(document).encode(), "backup.json")
    assert revision(someone) == before and not someone.has_profile()


def test_a_text_starting_as_a_formula_or_a_blank_before_one_gets_a_quote_first():
    assert [exports.spreadsheet_text(t) for t in ("\t=1+1", "\r=1+1", "a=1", "")] == [
        "'\t=1+1",
        "'\r=1+1",
        "a=1",
        "",
    ]


@pytest.mark.parametrize("note", ['=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)"])
def test_a_note_that_would_run_as_a_formula_is_written_as_text(storage, note):
    """The attacker's find: the runner's own CSV files wrote a note (or a run's name, from its
    file) as it was, where a spreadsheet would run one starting with = + - or @."""
    from kneecoach.domain.redflags import AgeBand
    from kneecoach.services import journal, onboarding, today
    from tests.helpers import profile

    first = runner_on(storage, MONDAY)
    onboarding.onboard(first, profile(), onboarding.answers_from_flags([]), AgeBand.ADULT)
    done = journal.planned_as_done(today.session_for(first, MONDAY))
    journal.record_session(first, MONDAY, done, 2, notes=note)
    sessions = next(f for f in exports.csv_files(first) if f.file_name == "sessions.csv")
    assert {row["notes"] for row in _rows(sessions)} == {"'" + note}
    assert {row["pain_during"] for row in _rows(sessions)} == {"2"}  # numbers stay numbers
