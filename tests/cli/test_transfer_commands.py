"""`export backup` and `import backup` from the command line."""

from __future__ import annotations

import json

from tests.cli.conftest import SCRIPTED_INIT


def test_backup_round_trip_into_a_fresh_data_folder(kc, tmp_path, monkeypatch):
    kc(*SCRIPTED_INIT)
    kc("log", "--date", "2026-11-23", "--as-planned", "--pain", "2")
    kc("checkin", "--date", "2026-11-24", "--pain", "1")
    file = tmp_path / "backup.json"
    result = kc("export", "backup", str(file))
    assert result.code == 0, result.err
    document = json.loads(file.read_text())
    assert document["format"] == "kneecoach-backup" and document["version"] == 2
    monkeypatch.setenv("KNEECOACH_DATA_DIR", str(tmp_path / "elsewhere"))
    restored = kc("import", "backup", str(file), "--json")
    assert restored.code == 0, restored.err
    assert restored.json["added"]["sessions"] == 1
    history = kc("history", "--from", "2026-11-20", "--to", "2026-11-24", "--json").json
    assert history["sessions"][0]["pain_next_morning"] == 1
    assert kc("import", "backup", str(file), "--json").json["added"]["sessions"] == 0


def test_a_truncated_backup_is_refused_with_its_place(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    file = tmp_path / "backup.json"
    kc("export", "backup", str(file))
    file.write_text(file.read_text()[:-40])
    result = kc("import", "backup", str(file))
    assert result.code == 2
    assert "not valid JSON at line" in result.err and "cut short" in result.err


def test_a_missing_backup_file_is_a_clear_error(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    result = kc("import", "backup", str(tmp_path / "none.json"))
    assert result.code == 2 and "cannot read" in result.err


def test_the_calendar_parses_has_alarms_and_stable_uids(kc, tmp_path, monkeypatch):
    from icalendar import Calendar

    monkeypatch.setenv("KNEECOACH_REMINDER_MINUTES", "45")
    monkeypatch.setenv("KNEECOACH_SESSION_TIME", "07:30")
    monkeypatch.setenv("KNEECOACH_TIMEZONE", "Europe/Ljubljana")
    kc("init", "--defaults", "--no-red-flags", "--age-band", "16-50")
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert kc("export", "ical", str(first), "--weeks", "2").code == 0
    kc("export", "ical", str(second), "--weeks", "2")
    events = list(Calendar.from_ical(first.read_bytes()).walk("VEVENT"))
    assert len(events) == 6
    event = events[0]
    assert event.decoded("dtstart").hour == 7 and event.decoded("dtstart").minute == 30
    assert str(event.decoded("dtstart").tzinfo) == "Europe/Ljubljana"
    duration = event.decoded("dtend") - event.decoded("dtstart")
    assert 30 * 60 < duration.total_seconds() < 50 * 60
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger").total_seconds() == -45 * 60
    assert "Bulgarian split squat" in str(event.get("description"))
    again = list(Calendar.from_ical(second.read_bytes()).walk("VEVENT"))
    assert [str(e.get("uid")) for e in events] == [str(e.get("uid")) for e in again]


def test_csv_files_have_their_documented_columns(kc, tmp_path):
    import csv

    kc(*SCRIPTED_INIT)
    kc("log", "--date", "2026-11-23", "--as-planned", "--pain", "2")
    kc("checkin", "--date", "2026-11-24", "--pain", "1")
    kc("akps", "--answers", "1,1,1,1,1,1,1,1,1,1,1,1,1")
    assert kc("export", "csv", str(tmp_path / "out")).code == 0
    with (tmp_path / "out" / "sessions.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 27 and rows[0]["pain_during"] == "2"
    with (tmp_path / "out" / "akps.csv").open() as handle:
        assert next(csv.DictReader(handle))["score"] == "100"


def test_sheet_and_fhir_from_the_command_line(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    kc("log", "--date", "2026-11-23", "--as-planned", "--pain", "2")
    assert kc("export", "sheet", str(tmp_path / "s.pdf")).code == 0
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    assert kc("export", "sheet", str(tmp_path / "s.html")).code == 0
    assert "Bulgarian split squat" in (tmp_path / "s.html").read_text()
    assert kc("export", "fhir", str(tmp_path / "b.json")).code == 0
    bundle = json.loads((tmp_path / "b.json").read_text())
    assert bundle["resourceType"] == "Bundle" and len(bundle["entry"]) >= 4


def test_backup_to_stdout_and_the_restore_json_keep_their_shape(kc, tmp_path):
    from kneecoach.storage.backup import USER_TABLES

    kc(*SCRIPTED_INIT)
    kc("log", "--date", "2026-11-23", "--as-planned", "--pain", "2")
    printed = kc("export", "backup", "-")
    assert printed.code == 0 and printed.json["format"] == "kneecoach-backup"
    file = tmp_path / "backup.json"
    file.write_text(printed.out)
    restored = kc("import", "backup", str(file), "--json").json
    tables = [t.name for t in USER_TABLES]
    assert list(restored) == ["added", "skipped"]
    assert list(restored["added"]) == tables and list(restored["skipped"]) == tables
    assert sum(restored["added"].values()) == 0  # all of it was kept already
    said = kc("import", "backup", str(file))
    assert f"Restored 0 records from {file};" in said.flat
    assert "were already kept." in said.flat


def test_a_backup_that_is_not_utf8_text_is_a_clear_error(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    file = tmp_path / "backup.json"
    file.write_bytes(b"\xff\xfe\x00{")
    result = kc("import", "backup", str(file))
    assert result.code == 2 and "is not a UTF-8 text file" in result.err


def test_the_export_messages_say_what_was_written(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    kc("log", "--date", "2026-11-23", "--as-planned", "--pain", "2")
    backup = kc("export", "backup", str(tmp_path / "b.json")).flat
    assert "(format version 2): 1 profiles" in backup and "1 sessions" in backup
    csv = kc("export", "csv", str(tmp_path / "out")).flat
    assert (
        "sessions.csv (27 rows), checkins.csv (0 rows), akps.csv (0 rows), runs.csv (0 rows)" in csv
    )
    fhir = kc("export", "fhir", str(tmp_path / "f.json")).flat
    bundle = json.loads((tmp_path / "f.json").read_text())
    assert f"FHIR Bundle with {len(bundle['entry'])} resources written to" in fhir
    ical = kc("export", "ical", str(tmp_path / "s.ics"), "--weeks", "1").flat
    assert "sessions over 1 weeks written to" in ical


def test_no_sheet_is_printed_while_the_program_is_paused(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    kc("log", "--date", "2026-11-23", "--as-planned", "--pain", "8")
    result = kc("export", "sheet", str(tmp_path / "s.pdf"))
    assert result.code == 2
    assert "no program sheet while the program is paused" in result.err
    assert not (tmp_path / "s.pdf").exists()
