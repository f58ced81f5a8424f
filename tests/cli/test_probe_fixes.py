"""What a probe of the terminal beside the pages and the API found, each a clear answer now."""

from __future__ import annotations

from kneecoach.domain.evidence import RED_FLAG_SCREENING
from tests.cli.conftest import SCRIPTED_INIT


def test_showing_a_run_id_beyond_any_database_id_says_there_is_no_such_activity(kc):
    kc(*SCRIPTED_INIT)
    result = kc("runs", "show", "99999999999999999999999")
    assert result.code == 2
    assert "no activity 99999999999999999999999" in result.err
    assert "Traceback" not in result.err and "internal error" not in result.err


def test_equipment_none_with_other_equipment_is_refused_with_a_message_that_fits(kc):
    args = list(SCRIPTED_INIT)
    args[args.index("--equipment") + 1] = "none,wall"
    result = kc(*args)
    assert result.code == 2
    assert "unknown equipment 'none'" not in result.err
    assert "none means no equipment" in result.err and "wall" in result.err
    args[args.index("--equipment") + 1] = "sofa"
    unknown = " ".join(kc(*args).err.split())
    assert "unknown equipment 'sofa'" in unknown and "or none alone" in unknown


def test_the_red_flag_source_reads_the_same_in_text_and_json(kc):
    kc(*SCRIPTED_INIT)
    shown = kc("screen", "--red-flag", "swelling", "--json").json
    assert shown["source"] == RED_FLAG_SCREENING.short()
    text = kc("screen", "--red-flag", "swelling")
    assert "not a diagnosis" in text.flat


def test_logging_reps_for_the_hip_flexor_stretch_is_refused(kc):
    kc(*SCRIPTED_INIT)
    result = kc("log", "--date", "2026-11-23", "--pain", "2", "--done", "hip flexor=2x12")
    assert result.code == 2
    assert "Hip flexor stretch is a hold" in " ".join(result.err.split())
    assert kc("history", "--json").json["sessions"] == []


def test_today_in_text_says_the_session_is_logged_once_it_is(kc):
    kc(*SCRIPTED_INIT)
    before = kc("today", "--date", "2026-11-23")
    assert "Done already?" in before.flat
    assert kc("log", "--date", "2026-11-23", "--pain", "3", "--as-planned").code == 0
    after = kc("today", "--date", "2026-11-23")
    assert "Logged for Monday 23 November 2026: 27 sets, pain 3/10" in after.flat
    assert "Done already?" not in after.flat
    logged = kc("today", "--date", "2026-11-23", "--json").json["logged"]
    assert {key: logged[key] for key in ("sets", "pain_during")} == {"sets": 27, "pain_during": 3}
    assert logged["end"]["message"]  # fields are added, never dropped


def test_dates_before_the_earliest_day_are_refused_by_every_command(kc):
    kc(*SCRIPTED_INIT)
    for args in (
        ("checkin", "--date", "1900-01-01", "--pain", "2"),
        ("today", "--date", "0001-01-01"),
        ("today", "--date", "0001-01-01", "--json"),
        ("akps", "--answers", ",".join(["1"] * 13), "--date", "1999-12-31"),
        ("history", "--from", "1999-12-31"),
        ("init", "--defaults", "--yes", "--start", "0001-01-01"),
    ):
        result = kc(*args)
        assert result.code == 2, (args, result.err)
        assert "2000" in result.err and "internal error" not in result.err, args
    assert kc("history", "--json").json["checkins"] == []


def test_a_session_before_the_program_starts_is_refused_by_the_service_too(kc):
    kc(*SCRIPTED_INIT)
    result = kc("log", "--date", "2026-11-20", "--pain", "2", "--as-planned")
    assert result.code == 2 and "before your program starts" in result.err


def test_progress_shows_todays_dosage_and_why_when_an_irritable_knee_changes_it(kc):
    import datetime as dt

    from tests.conftest import TODAY

    kc(*SCRIPTED_INIT)
    day = (TODAY - dt.timedelta(days=3)).isoformat()  # within the 14 days before today
    assert kc("log", "--date", day, "--pain", "7", "--as-planned").code == 0
    seen = TODAY.isoformat()  # 7/10 paused the program: a clinician saw the runner today
    assert kc("screen", "--no-red-flags", "--seen-clinician-on", seen).code == 0
    today = {e["exercise"]: e for e in kc("today", "--json").json.get("exercises", [])}
    rows = {e["exercise"]: e for e in kc("progress", "--json").json["exercises"]}
    for key, row in rows.items():
        shown = row["today"]
        if key in today:
            planned = today[key]
            assert (shown["variant"], shown["sets"], shown["reps"], shown["load_kg"]) == (
                planned["variant"],
                planned["sets"],
                planned["reps"],
                planned["load_kg"],
            ), key
    hydrant = rows["fire-hydrant"]["today"]
    assert hydrant["adjusted"] and hydrant["variant"] != rows["fire-hydrant"]["now"]["variant"]
    assert hydrant["notes"] and all(n["sources"] for n in hydrant["notes"])
    text = kc("progress").flat
    assert "Today, Fire hydrant:" in text and "level:" in text
