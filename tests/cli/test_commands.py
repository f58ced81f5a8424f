"""The command line as a script and a person use it, in-process on a real SQLite file."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import SCRIPTED_INIT
from tests.conftest import TODAY

MONDAY = "2026-11-23"


def test_scripted_init_then_today_shows_all_six_exercises_with_the_seed_dosage(kc):
    assert kc(*SCRIPTED_INIT).code == 0
    result = kc("today", "--date", MONDAY)
    assert result.code == 0, result.err
    flat = " ".join(result.out.split())
    for name in (
        "Roll down",
        "Bulgarian split squat",
        "Fire hydrant",
        "Bent-knee heel raise",
        "Hip flexor stretch",
    ):
        assert name in flat
    assert "Elevated single-leg" in flat and "glute bridge" in flat
    assert flat.count("each side") == 5
    assert "1 × 10 reps" in flat and "3 × 40 s hold each side" in flat
    assert "seed program" in flat  # advice is cited


def test_today_json_lists_the_seed_dosage(kc):
    kc(*SCRIPTED_INIT)
    data = kc("today", "--date", MONDAY, "--json").json
    assert data["status"] == "session"
    assert [
        (e["exercise"], e["sets"], e["reps"], e["hold_seconds"], e["per_side"])
        for e in data["exercises"]
    ] == [
        ("roll-down", 1, 10, None, False),
        ("bulgarian-split-squat", 2, 15, None, True),
        ("fire-hydrant", 2, 15, None, True),
        ("bent-knee-heel-raise", 3, 15, None, True),
        ("elevated-single-leg-glute-bridge", 3, 15, None, True),
        ("hip-flexor-stretch", 3, None, 40, True),
    ]
    assert all(n["sources"] for e in data["exercises"] for n in e["notes"])


def test_a_rest_day_names_the_next_session(kc):
    kc(*SCRIPTED_INIT)
    result = kc("today", "--date", "2026-11-24")
    assert "rest day" in result.out
    assert "Wednesday 25 November 2026" in result.flat
    shown = kc("today", "--date", "2026-11-24", "--json").json
    assert shown.pop("card")["key"] == "load-and-capacity"  # the program's first week
    assert shown == {
        "date": "2026-11-24",
        "status": "rest",
        "next_session": "2026-11-25",
        "akps_due": True,
        "akps_due_on": "2026-11-23",
        "run": None,
        "race_run": None,
        "logged": None,
        "in_progress": None,
    }


def test_init_defaults_creates_a_profile_without_questions(kc):
    result = kc("init", "--defaults", "--no-red-flags", "--age-band", "16-50", "--json")
    assert result.code == 0, result.err
    data = result.json
    assert data["profile"]["affected_knee"] == "both"
    assert data["program_started"] is True
    assert data["profile"]["start_date"] == TODAY.isoformat()


def test_init_defaults_never_answers_the_red_flag_screen_for_the_runner(kc):
    data = kc("init", "--defaults", "--json").json
    assert data["program_started"] is False and data["screening"]["status"] == "screen"
    waiting = kc("today", "--json").json
    assert waiting["status"] == "screen" and waiting["run"] is None
    assert "Red-flag screen first" in kc("today").out
    missing = kc("screen", "--no-red-flags")
    assert missing.code == 2 and "--age-band" in missing.err
    answered = kc("screen", "--no-red-flags", "--age-band", "16-50", "--json").json
    assert answered["program_active"] is True and answered["age_band"] == "16-50"
    assert kc("today", "--json").json["status"] in {"session", "rest"}


def test_init_asks_the_age_band_and_over_50_means_see_a_clinician_first(kc):
    assert kc("init", "--defaults", "--no-red-flags").code == 2
    data = kc("init", "--defaults", "--no-red-flags", "--age-band", "over-50", "--json").json
    assert data["program_started"] is False and data["red_flags"] == ["age-over-50"]
    paused = kc("today", "--json").json
    assert paused["status"] == "paused" and "see a clinician first" in paused["advice"]
    assert paused["source"].startswith("Standard clinical red-flag screening")
    assert kc("init", "--defaults", "--no-red-flags", "--age-band", "sixty", "--yes").code == 2


def test_init_refuses_to_overwrite_a_profile_without_yes(kc):
    kc("init", "--defaults")
    result = kc("init", "--defaults")
    assert result.code == 2
    assert "pass --yes" in result.err
    assert kc("init", "--defaults", "--yes").code == 0


def test_a_red_flag_at_onboarding_pauses_until_the_screen_is_clear(kc):
    result = kc("init", "--defaults", "--red-flag", "locking", "--age-band", "16-50")
    assert result.code == 0
    assert "clinician" in result.out
    paused = kc("today", "--json").json
    assert paused["status"] == "paused" and paused["red_flags"] == ["locking"]
    assert "Program paused" in kc("today").out
    cleared = kc("screen", "--no-red-flags", "--seen-clinician-on", TODAY.isoformat(), "--json")
    cleared = cleared.json
    assert cleared["program_active"] is True
    assert kc("today", "--json").json["status"] in {"session", "rest"}


def test_log_checkin_and_history_round_trip(kc):
    kc(*SCRIPTED_INIT)
    logged = kc(
        "log",
        "--date",
        MONDAY,
        "--as-planned",
        "--pain",
        "2",
        "--effort",
        "5",
        "--notes",
        "easy",
        "--json",
    )
    assert logged.code == 0, logged.err
    assert len(logged.json["sets"]) == 27
    assert logged.json["pain_band"] == "ideal"
    partial = kc(
        "log",
        "--date",
        "2026-11-24",
        "--done",
        "split squat:left=2x12@4",
        "--done",
        "hip flexor=3x30s",
        "--pain",
        "6",
    )
    assert partial.code == 0, partial.err
    assert "too much" in partial.out
    assert kc("checkin", "--pain", "1", "--date", "2026-11-24", "--json").json == {
        "date": "2026-11-24",
        "pain_morning": 1,
        "swelling": False,
        "replaced": None,
        "program_active": True,
        "pause": None,
    }
    report = kc("history", "--from", "2026-11-20", "--to", "2026-11-24", "--json").json
    sessions = {s["date"]: s for s in report["sessions"]}
    assert sessions[MONDAY]["sets_done"] == 27
    assert sessions[MONDAY]["pain_next_morning"] == 1
    assert sessions[MONDAY]["notes"] == "easy"
    assert sessions["2026-11-24"]["sets_done"] == 8
    assert sessions["2026-11-24"]["planned_day"] is False
    assert report["adherence"]["sessions_planned"] == 1
    assert (sessions[MONDAY]["planned_sets"], sessions[MONDAY]["done_sets"]) == (27, 27)
    assert (sessions["2026-11-24"]["planned_sets"], sessions["2026-11-24"]["done_sets"]) == (27, 8)
    table = kc("history", "--from", "2026-11-20", "--to", "2026-11-24")
    assert "27/27" in table.out and "Adherence" in table.out


def test_log_refuses_a_day_before_the_program_starts_with_one_line(kc):
    kc(*SCRIPTED_INIT)
    refused = kc("log", "--date", "2026-11-21", "--as-planned", "--pain", "2")
    assert refused.code == 2
    assert refused.err.strip() == (
        "kneecoach: error: 2026-11-21 is before your program starts on 2026-11-23: "
        "sessions are logged from that day on"
    )
    assert kc("history", "--json").json["sessions"] == []


def test_log_from_a_json_file(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    file = tmp_path / "session.json"
    file.write_text(
        json.dumps(
            {
                "date": MONDAY,
                "pain_during": 3,
                "effort": 6,
                "notes": "from the gym sheet",
                "exercises": [
                    {
                        "exercise": "bulgarian split squat",
                        "side": "right",
                        "sets": [{"reps": 15, "load_kg": 4}, {"reps": 12, "load_kg": 4}],
                    }
                ],
            }
        )
    )
    data = kc("log", "--file", str(file), "--json").json
    assert data["date"] == MONDAY and data["notes"] == "from the gym sheet"
    assert [(s["side"], s["reps"], s["variant"]) for s in data["sets"]] == [
        ("right", 15, "weighted"),
        ("right", 12, "weighted"),
    ]


def test_exercises_list_and_show_one_forgivingly(kc):
    listing = kc("exercises", "--json").json
    assert [e["exercise"] for e in listing][:2] == ["roll-down", "bulgarian-split-squat"]
    one = kc("exercises", "FIRE-hydrant", "--json").json
    assert [v["variant"] for v in one["variants"]] == ["standing", "kneeling"]
    shown = kc("exercises", "bss")
    assert "Bulgarian split squat" in shown.out and "How to do it" in shown.out


def test_an_exercise_credits_the_seed_only_with_what_it_says_and_kneecoach_with_the_rest(kc):
    one = kc("exercises", "hip flexor", "--json").json
    assert one["credits"] == [
        {
            "source": one["source"],
            "parts": ["what it does", "how to do it", "the cue", "the variants"],
        },
        {
            "source": "kneecoach default",
            "parts": ["take care", "what to look for", "without the equipment"],
        },
    ]
    shown = kc("exercises", "hip flexor").flat
    assert "Take care, what to look for, without the equipment: kneecoach default" in shown


def test_exercises_figure_writes_an_animated_svg_mirrored_for_the_right_leg(kc, tmp_path):
    left, right = tmp_path / "left.svg", tmp_path / "right.svg"
    done = kc("exercises", "bss", "--figure", str(left), "--variant", "weighted")
    assert done.code == 0 and "left.svg" in done.flat
    kc("exercises", "bss", "--figure", str(right), "--variant", "weighted", "--side", "right")
    drawn = left.read_text()
    assert drawn.startswith("<svg") and "<animate" in drawn and 'dur="5s"' in drawn
    assert "Bulgarian split squat — With a dumbbell, left leg" in drawn
    assert right.read_text() != drawn and "right leg" in right.read_text()
    still = kc("exercises", "hip flexor", "--figure", "-", "--still")
    assert still.out.startswith("<svg") and "<animate" not in still.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("checkin", "--pain", "11"), "next-morning pain must be from 0 to 10, not 11"),
        (("checkin", "--pain", "-3"), "must be from 0 to 10"),
        (("log", "--as-planned", "--pain", "12"), "pain during the session must be from 0 to 10"),
        (("log", "--done", "split squat=2x500", "--pain", "2"), "reps must be from 0 to 200"),
        (("log", "--done", "split squat=2x15@900", "--pain", "2"), "load must be from 0 to 200"),
        (("log", "--done", "deadlift=2x15", "--pain", "2"), "no exercise matches 'deadlift'"),
        (("exercises", "deadlift"), "no exercise matches 'deadlift'"),
        (("exercises", "bss", "--figure", "x.svg", "--variant", "x"), "choose from body-weight"),
        (("exercises", "bss", "--figure", "x.svg", "--side", "up"), "side must be left, right"),
        (("exercises", "--figure", "x.svg"), "--figure needs an exercise"),
        (("history", "--from", "2026-11-24", "--to", "2026-11-01"), "is after the end date"),
        (("today", "--date", "31/12/2026"), "is not a date"),
        (("log", "--as-planned", "--pain", "2", "--date", "2099-01-01"), "in the future"),
        (("log", "--pain", "2"), "say what was done"),
        (("checkin",), "missing --pain"),
        (("screen", "--red-flag", "headache"), "unknown red flag 'headache'"),
    ],
)
def test_bad_input_gets_one_clear_line_and_exit_status_2(kc, args, message):
    kc(*SCRIPTED_INIT)
    kc("log", "--date", MONDAY, "--as-planned", "--pain", "2")
    before = kc("history", "--from", "2026-01-01", "--json").out
    result = kc(*args)
    assert result.code == 2
    assert message in result.err
    assert result.err.count("\n") == 1 and result.err.startswith("kneecoach: error: ")
    assert kc("history", "--from", "2026-01-01", "--json").out == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("init", "--knee", "middle", "--defaults"), "--knee must be left, right or both"),
        (("init", "--defaults", "--equipment", "kettlebell"), "unknown equipment 'kettlebell'"),
        (("init", "--defaults", "--pain-rest", "14"), "pain at rest must be from 0 to 10"),
        (("init", "--defaults", "--sessions-per-week", "9"), "between 1 and 7"),
        (("init", "--defaults", "--dumbbell-kg", "5"), "without dumbbells"),
        (("init", "--knee", "left"), "missing --pain-rest"),
        (("init", "--defaults", "--start", "2999-01-01"), "more than a year ahead"),
        (("init", "--defaults", "--start", "1999-12-31"), "is before 2000"),
    ],
)
def test_bad_onboarding_input_writes_nothing(kc, args, message):
    result = kc(*args)
    assert result.code == 2, result.out
    assert message in result.err
    assert "no profile yet" in kc("today").err


def test_commands_before_init_say_to_run_init(kc):
    for command in ("today", "history", "checkin --pain 2", "log --as-planned --pain 1"):
        result = kc(*command.split())
        assert result.code == 2
        assert "run 'kneecoach init' first" in result.err


def test_a_second_log_on_the_same_day_needs_replace(kc):
    kc(*SCRIPTED_INIT)
    kc("log", "--date", MONDAY, "--as-planned", "--pain", "2")
    again = kc("log", "--date", MONDAY, "--as-planned", "--pain", "4")
    assert again.code == 2 and "already logged" in again.err
    assert kc("log", "--date", MONDAY, "--as-planned", "--pain", "4", "--replace").code == 0
    sessions = kc("history", "--from", MONDAY, "--json").json["sessions"]
    assert [s["pain_during"] for s in sessions] == [4]


def test_a_corrupt_database_file_is_one_clear_line(kc, isolated_env):
    from pathlib import Path

    folder = Path(isolated_env["KNEECOACH_DATA_DIR"])
    folder.mkdir(parents=True)
    (folder / "kneecoach.db").write_bytes(b"\x00garbage" * 500)
    result = kc("today")
    assert result.code == 2
    assert "not a SQLite database, or it is corrupt" in result.err
    assert result.err.count("\n") == 1


def test_today_and_exercises_show_the_split_squats_range_beside_its_dosage(kc, monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # table cells unwrapped
    irritable = list(SCRIPTED_INIT)
    irritable[irritable.index("--pain-rest") + 1] = "5"
    kc(*irritable)
    shown = kc("today", "--date", MONDAY)
    assert "Bulgarian split squat, range: partial range: bend to about 45°" in shown.flat
    assert "Partial range: bend to about 45°." in shown.flat
    assert "Powers 2014" in shown.flat
    squat = next(
        e
        for e in kc("today", "--date", MONDAY, "--json").json["exercises"]
        if e["exercise"] == "bulgarian-split-squat"
    )
    assert (squat["range"], squat["range_text"]) == ("partial", "partial range: bend to about 45°")
    listed = kc("exercises").flat
    assert "full range: front thigh to parallel" in listed
    one = kc("exercises", "split squat").flat
    assert "Range of motion" in one and "partial range: bend to about 45°" in one


def test_setting_up_again_does_not_lift_a_pause(kc):
    kc("init", "--defaults", "--no-red-flags", "--age-band", "16-50")
    kc("log", "--as-planned", "--pain", "8")
    again = kc("init", "--defaults", "--no-red-flags", "--age-band", "16-50", "--yes")
    assert again.code == 2
    assert "does not lift a pause" in again.err and "a clinician saw you" in again.err
    assert kc("today", "--json").json["status"] == "paused"
