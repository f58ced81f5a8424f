"""`akps`, `progress`, `review` and the pause signs, as a script uses them."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.cli.conftest import SCRIPTED_INIT
from tests.conftest import TODAY

BEST = "1,1,1,1,1,1,1,1,1,1,1,1,1"


def _weeks_of_good_sessions(kc):
    """Four sessions of the last three weeks done as planned, each tolerated."""
    start = TODAY - dt.timedelta(days=21)
    init = [a if a != "2026-11-23" else start.isoformat() for a in SCRIPTED_INIT]
    kc(*init)
    days = [start + dt.timedelta(days=offset) for offset in (0, 2, 4, 7)]
    for day in days:
        assert kc("log", "--date", day.isoformat(), "--as-planned", "--pain", "1").code == 0
    for day in days:
        morning = day + dt.timedelta(days=1)
        assert kc("checkin", "--date", morning.isoformat(), "--pain", "0").code == 0


def test_akps_scores_the_published_table_and_follows_the_change(kc):
    kc(*SCRIPTED_INIT)
    first = kc("akps", "--answers", "1,2,2,2,2,3,2,2,2,2,1,1,1", "--date", "2026-11-10", "--json")
    assert first.code == 0, first.err
    assert first.json["score"] == 100 - 2 - 2 - 2 - 1 - 4 - 3 - 2 - 2 - 2
    assert first.json["items"][0] == {
        "item": 1,
        "name": "Limp",
        "answer": 1,
        "option": "None",
        "points": 5,
    }
    later = kc("akps", "--answers", BEST, "--json").json
    assert later["score"] == 100
    assert later["change"]["points"] == 100 - first.json["score"]
    assert later["change"]["meaningful"] is True
    history = kc("akps", "--history", "--json").json
    assert [r["score"] for r in history["results"]] == [first.json["score"], 100]
    assert "a change that matters" in kc("akps", "--history").flat


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ("1,1,1", "the AKPS has 13 items; 3 answers were given"),
        ("4,1,1,1,1,1,1,1,1,1,1,1,1", "item 1 (Limp) has options 1 to 3, not 4"),
        ("1,1,1,1,1,1,1,1,1,1,1,1,9", "item 13 (Flexion deficiency) has options 1 to 3, not 9"),
        ("a,b", "--answers takes 13 option numbers"),
    ],
)
def test_an_akps_answer_that_does_not_exist_is_refused_and_nothing_is_kept(kc, answers, message):
    kc(*SCRIPTED_INIT)
    result = kc("akps", "--answers", answers)
    assert result.code == 2 and message in result.err
    assert kc("akps", "--history", "--json").json["results"] == []


def test_progress_shows_decisions_with_reasons_and_sources_and_undo_reverses(kc):
    _weeks_of_good_sessions(kc)
    shown = kc("progress", "--json").json
    squat = next(e for e in shown["exercises"] if e["exercise"] == "bulgarian-split-squat")
    assert squat["now"]["reps"] == 18
    [decision] = squat["decisions"]
    assert decision["action"] == "progress" and decision["sources"]
    assert "tolerated" in decision["why"]
    assert squat["next"]["why"] and squat["next"]["sources"]
    undone = kc("progress", "--undo", "--json").json
    assert undone["note"].startswith("Undone: progress")
    table = kc("progress")
    assert "Silbernagel" in table.out and "Last decision" in table.out


def test_a_pinned_exercise_is_marked_and_stays(kc):
    kc(*SCRIPTED_INIT)
    pinned = kc("progress", "--pin", "split squat", "--json").json
    assert next(e for e in pinned["exercises"] if e["exercise"] == "bulgarian-split-squat")[
        "pinned"
    ]
    assert "(pinned)" in kc("progress").out


def test_the_weekly_review_sums_up_with_sources(kc):
    _weeks_of_good_sessions(kc)
    kc("akps", "--answers", BEST, "--date", (TODAY - dt.timedelta(days=20)).isoformat())
    data = kc("review", "--no-red-flags", "--json").json
    assert data["program_active"] is True
    assert data["akps"]["latest"] == 100
    assert data["next_sessions"]
    text = kc("review", "--no-red-flags")
    assert "Weekly review" in text.out and "Next week" in text.out


def test_a_red_flag_at_the_review_pauses_the_program(kc):
    kc(*SCRIPTED_INIT)
    data = kc("review", "--red-flag", "giving-way", "--json").json
    assert data["program_active"] is False
    assert kc("today", "--json").json["status"] == "paused"


def test_the_review_needs_the_red_flag_answers_in_a_script(kc):
    kc(*SCRIPTED_INIT)
    result = kc("review")
    assert result.code == 2 and "red-flag screen" in result.err


def test_a_checkin_with_swelling_says_in_json_that_the_program_is_paused_and_why(kc):
    kc(*SCRIPTED_INIT)
    kept = kc("checkin", "--pain", "2", "--swelling", "--json").json
    assert kept["program_active"] is False
    assert "clinician" in kept["pause"]["text"] and kept["pause"]["sources"]


def test_swelling_at_a_checkin_pauses_and_says_why(kc):
    kc(*SCRIPTED_INIT)
    result = kc("checkin", "--pain", "2", "--swelling")
    assert "swelling" in result.flat and "clinician" in result.flat
    assert kc("today", "--json").json["status"] == "paused"
    alone = kc("screen", "--no-red-flags")
    assert alone.code == 2 and "state the day a clinician saw you" in alone.err
    assert kc("today", "--json").json["status"] == "paused"
    seen = kc("screen", "--no-red-flags", "--seen-clinician-on", TODAY.isoformat(), "--json")
    assert seen.code == 0 and seen.json["lifted_by"] == "runner"
    assert seen.json["seen_clinician_on"] == TODAY.isoformat()
    assert kc("today", "--json").json["status"] != "paused"


def test_severe_morning_pain_at_a_checkin_pauses_and_says_why_in_json(kc):
    kc(*SCRIPTED_INIT)
    kept = kc("checkin", "--pain", "8", "--json").json
    assert kept["program_active"] is False
    assert "7/10 or more on the morning" in kept["pause"]["text"]
    assert kc("today", "--json").json["status"] == "paused"


def test_severe_pain_in_a_logged_session_pauses(kc):
    kc(*SCRIPTED_INIT)
    kc("log", "--date", "2026-11-23", "--as-planned", "--pain", "8")
    assert kc("today", "--json").json["status"] == "paused"


def test_a_bad_setting_is_one_clear_line(kc, monkeypatch):
    kc(*SCRIPTED_INIT)
    monkeypatch.setenv("KNEECOACH_AKPS_EVERY_DAYS", "weekly")
    result = kc("akps", "--history")
    assert result.code == 2
    assert "KNEECOACH_AKPS_EVERY_DAYS must be a whole number" in result.err


def test_a_fortnightly_akps_is_due_on_the_same_day_in_today_the_review_and_the_history(
    kc, monkeypatch
):
    monkeypatch.setenv("KNEECOACH_AKPS_EVERY_DAYS", "14")
    kc(*SCRIPTED_INIT)
    taken = TODAY - dt.timedelta(days=10)
    kc("akps", "--answers", BEST, "--date", taken.isoformat())
    due = (taken + dt.timedelta(days=14)).isoformat()
    assert kc("today", "--json").json["akps_due"] is False
    review = kc("review", "--no-red-flags", "--json").json["akps"]
    assert (review["due_on"], review["due"]) == (due, False)
    history = kc("akps", "--history", "--json").json
    assert (history["due_on"], history["due"]) == (due, False)


def test_each_line_of_the_review_carries_its_sources(kc):
    _weeks_of_good_sessions(kc)
    text = kc("review", "--no-red-flags").flat
    assert "Pain during sessions: no ratings this week." in text
    assert "ideally it stays at or below 2/10. [Silbernagel 2007; Thomee 1997]" in text
    assert "It should not rise from week to week. [Silbernagel 2007]" in text
    data = kc("review", "--no-red-flags", "--json").json
    assert data["pain"]["during_advice"]["sources"][0].startswith("Silbernagel et al.")
    assert data["akps"]["guidance"]["text"].startswith("A change of 10 points or more")


def test_an_akps_worse_by_the_mcid_sends_the_runner_to_a_clinician(kc):
    kc(*SCRIPTED_INIT)
    kc("akps", "--answers", BEST, "--date", "2026-11-23")
    worse = kc("akps", "--answers", "2,2,2,2,2,2,2,2,2,2,2,2,2", "--json").json
    assert worse["change"]["points"] < -10 and worse["change"]["mcid"] == 10
    assert worse["change"]["source"].startswith("Crossley et al.")
    assert worse["source"].startswith("Kujala et al.")
    shown = kc("akps", "--history")
    assert "a clinician should take a look" in shown.flat
    assert kc("akps", "--history", "--json").json["referral"]["sources"]


def test_akps_json_says_whether_to_see_a_clinician_why_and_on_what_sources(kc):
    kc(*SCRIPTED_INIT)
    first = kc("akps", "--answers", BEST, "--date", "2026-11-23", "--json").json
    assert (first["see_clinician"], first["reason"], first["sources"]) == (False, None, [])
    worse = kc("akps", "--answers", "2,2,2,2,2,2,2,2,2,2,2,2,2", "--json").json
    assert worse["see_clinician"] is True
    assert "a clinician should take a look" in worse["reason"]
    assert worse["sources"][0].startswith("Crossley et al.")
    assert "kneecoach default" in worse["sources"]
    history = kc("akps", "--history", "--json").json
    assert {k: history[k] for k in ("see_clinician", "reason", "sources")} == {
        k: worse[k] for k in ("see_clinician", "reason", "sources")
    }
    shown = kc("akps", "--history").flat
    assert "a clinician should take a look. [Crossley 2004; kneecoach default]" in shown


def test_an_akps_retaken_the_same_day_replaces_the_first_and_is_not_compared_with_it(kc):
    kc(*SCRIPTED_INIT)
    assert kc("akps", "--answers", BEST, "--json").json["replaced"] is None
    retake = kc("akps", "--answers", "2,2,2,2,2,2,2,2,2,2,2,2,2", "--json").json
    assert retake["replaced"] == 100
    assert retake["change"] is None and retake["see_clinician"] is False
    history = kc("akps", "--history", "--json").json
    assert [r["score"] for r in history["results"]] == [retake["score"]]
    shown = kc("akps", "--answers", BEST).flat
    assert f"It replaces the {retake['score']}/100 taken earlier that day" in shown


def test_an_undone_decision_stays_listed_marked_undone(kc):
    _weeks_of_good_sessions(kc)
    note = kc("progress", "--undo", "--json").json["note"]
    shown = kc("progress", "--json").json
    [(name, undone)] = [
        (e["name"], d) for e in shown["exercises"] for d in e["decisions"] if d["undone"]
    ]
    assert note.startswith(f"Undone: {undone['action']} of {name} on ")


def test_undo_refuses_a_clinicians_prescription_with_one_line_and_changes_nothing(kc):
    from kneecoach.cli.common import forget_runtime, runner
    from kneecoach.services import adaptation

    _weeks_of_good_sessions(kc)
    forget_runtime()
    adaptation.prescribe(
        runner(), "split squat", "body-weight", 4, 20, 0, note="four by twenty", pinned=True
    )
    refused = kc("progress", "--undo")
    assert refused.code == 2
    assert "the latest decision is your clinician's" in refused.err
    assert len(refused.err.strip().splitlines()) == 1
    squat = next(
        e
        for e in kc("progress", "--json").json["exercises"]
        if e["exercise"] == "bulgarian-split-squat"
    )
    assert (squat["now"]["sets"], squat["now"]["reps"], squat["pinned"]) == (4, 20, True)
    assert not any(d["undone"] for d in squat["decisions"])


def test_today_keeps_a_clinicians_standing_fire_hydrant_for_an_irritable_knee_with_their_note(
    kc,
):
    from kneecoach.cli.common import forget_runtime, runner
    from kneecoach.services import adaptation

    init = list(SCRIPTED_INIT)
    init[init.index("--pain-rest") + 1] = "4"  # an irritable knee: the hydrant kneels
    init[init.index("--sessions-per-week") + 1] = "7"
    assert kc(*init).code == 0
    before = kc("today", "--json").json
    eased = next(e for e in before["exercises"] if e["exercise"] == "fire-hydrant")
    assert eased["variant"] == "kneeling"
    forget_runtime()
    adaptation.prescribe(
        runner(), "fire hydrant", "standing", 3, 10, 0, note="standing is fine", pinned=True
    )
    shown = kc("today", "--json").json
    hydrant = next(e for e in shown["exercises"] if e["exercise"] == "fire-hydrant")
    assert (hydrant["variant"], hydrant["sets"], hydrant["reps"]) == ("standing", 3, 10)
    assert hydrant["set_by_clinician"] == "standing is fine"
    assert "Set by your clinician: standing is fine" in kc("today").flat


def test_today_says_an_exercise_the_clinician_unpinned_is_back_on_its_automatic_progression(
    kc,
):
    import dataclasses

    from kneecoach.cli.common import forget_runtime, runner
    from kneecoach.services import adaptation
    from kneecoach.services.context import Visitor

    init = list(SCRIPTED_INIT)
    init[init.index("--pain-rest") + 1] = "4"  # an irritable knee: the hydrant kneels
    init[init.index("--sessions-per-week") + 1] = "7"
    assert kc(*init).code == 0
    forget_runtime()
    clinician = dataclasses.replace(runner(), visitor=Visitor(9, "dr lee", "127.0.0.1"))
    adaptation.prescribe(clinician, "fire hydrant", "standing", 3, 10, 0, note="ok", pinned=True)
    adaptation.pin(clinician, "fire hydrant", False)
    forget_runtime()
    shown = kc("today", "--json").json
    hydrant = next(e for e in shown["exercises"] if e["exercise"] == "fire-hydrant")
    assert hydrant["set_by_clinician"] is None
    assert hydrant["back_on_automatic"] == (
        f"unpinned by your clinician dr lee on {TODAY:%d %b %Y}: back on its automatic progression"
    )
    assert hydrant["variant"] == "kneeling"  # the automatic easing applies to it again
    said = kc("today").flat
    assert (
        f"Back on its automatic progression: unpinned by your clinician dr lee on {TODAY:%d %b %Y}."
        in said
    )
    assert "Set by your clinician" not in said
    undo = kc("progress", "--undo")
    assert undo.code == 2
    said = " ".join(undo.err.split())
    assert "automatic progression" in said and "only a clinician" in said
