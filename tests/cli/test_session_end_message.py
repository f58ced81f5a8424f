"""The terminal's end-of-session message comes from the per-exercise verdicts when they
exist (`log` and the guided `session`), in text and in `--json` ('end'); without them the
session's pain message stands."""

from __future__ import annotations

from tests.cli.test_exercise_pain_commands import SQUAT, _start


def test_log_says_which_exercise_hurt_and_what_happens_to_it_next_time(kc, monkeypatch):
    start = _start(kc)
    monkeypatch.setenv("COLUMNS", "400")  # one line per message line, so a phrase stays whole
    args = ("log", "--date", start.isoformat(), "--as-planned", "--pain", "6")
    text = kc(*args, "--exercise-pain", "split squat=6", "--exercise-pain", "roll down=1")
    assert text.code == 0, text.err
    assert "Bulgarian split squat hurt: pain during this exercise reached 6/10" in text.flat
    assert "Next time: 2 × 15 reps" in text.flat and "partial range" in text.flat
    assert "The other exercises keep progressing: Roll down" in text.flat
    assert "[Silbernagel 2007" in text.flat
    assert "Pain during went above 5/10" not in text.flat  # the session's message gave way
    assert len(kc("history", "--json").json["sessions"]) == 1  # a replacement tells it again
    again = kc(*args, "--exercise-pain", "split squat=6", "--replace", "--json")
    assert again.code == 0, again.err
    message = again.json["end"]
    assert message["per_exercise"] is True
    squat = next(e for e in message["exercises"] if e["exercise"] == SQUAT)
    assert (squat["pain"], squat["band"], squat["next_time"]) == (6, "too much", "steps back")
    assert squat["advice"]["sources"] and squat["advice"] in message["message"]


def test_without_per_exercise_pain_the_sessions_message_stands(kc):
    start = _start(kc)
    text = kc("log", "--date", start.isoformat(), "--as-planned", "--pain", "3")
    assert text.code == 0, text.err
    assert "acceptable, if it settles by tomorrow morning" in text.flat
    assert "keep progressing" not in text.flat
    again = kc(
        "log", "--date", start.isoformat(), "--as-planned", "--pain", "3", "--replace", "--json"
    )
    assert again.json["end"]["per_exercise"] is False and again.json["end"]["exercises"] == []


def test_the_guided_session_ends_with_the_per_exercise_message(kc, monkeypatch):
    _start(kc, days_ago=0)
    monkeypatch.setenv("COLUMNS", "400")
    args = ("session", "--speed", "1000", "--quiet", "--pain", "2", "--exercise-pain", "bss=4")
    text = kc(*args)
    assert text.code == 0, text.err
    assert "Bulgarian split squat hurt 4/10 (at most 5/10): acceptable" in text.flat
    assert "The other exercises keep progressing" in text.flat
    again = kc(*args, "--replace", "--json")
    assert again.code == 0, again.err
    squat = next(e for e in again.json["end"]["exercises"] if e["exercise"] == SQUAT)
    assert squat["next_time"] == "held"
