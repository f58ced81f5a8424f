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
    assert document["format"] == "kneecoach-backup" and document["version"] == 1
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
