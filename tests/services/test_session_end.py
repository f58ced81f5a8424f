"""The message a runner sees when a session ends comes from the per-exercise verdicts when
they exist: which exercise hurt, what happens to it next time, and that the others keep
progressing, with sources; without per-exercise figures the session's pain message stands."""

from __future__ import annotations

import datetime as dt

from kneecoach.domain.evidence import POWERS_2014, PRODUCT_DEFAULT, SILBERNAGEL_2007
from kneecoach.domain.pain import pain_advice
from kneecoach.services import adaptation, journal, today
from tests.helpers import MONDAY
from tests.services.test_exercise_pain import SQUAT, Runner, only_squat_hurt


def _kept(runner: Runner, pain: int, pains: dict[str, int] | None):
    on_day = runner.on(MONDAY)
    plan = today.session_for(on_day, MONDAY)
    done = journal.planned_as_done(plan)
    session = journal.record_session(on_day, MONDAY, done, pain, exercise_pain=pains)
    return on_day, session, plan


def test_the_exercise_that_hurt_steps_back_and_the_others_keep_progressing():
    on_day, session, plan = _kept(Runner(), 6, only_squat_hurt(6))
    end = adaptation.session_end(on_day, session)
    assert end.per_exercise
    rows = {e.exercise: e for e in end.exercises}
    squat = rows[SQUAT]
    assert (squat.pain, squat.band, squat.next_time) == (6, "too much", "steps back")
    assert squat.advice.text.startswith("Bulgarian split squat hurt: pain during this exercise")
    assert "reached 6/10" in squat.advice.text and "Next time: 2 × 15 reps" in squat.advice.text
    assert "partial range" in squat.advice.text and POWERS_2014 in squat.advice.sources
    others = [e for key, e in rows.items() if key != SQUAT]
    assert len(others) == 5 and all(e.next_time == "keeps progressing" for e in others)
    first, last = end.message
    assert first == squat.advice
    assert last.text.startswith("The other exercises keep progressing: Roll down")
    assert all(e.name in last.text for e in others)
    assert set(last.sources) == {SILBERNAGEL_2007, PRODUCT_DEFAULT}
    assert journal.logged_view(on_day, session, plan).end == end  # the terminal's view


def test_an_exercise_that_hurt_within_the_acceptable_band_is_held_until_the_morning():
    on_day, session, _ = _kept(Runner(), 4, only_squat_hurt(4))
    end = adaptation.session_end(on_day, session)
    squat = next(e for e in end.exercises if e.exercise == SQUAT)
    assert (squat.band, squat.next_time) == ("unknown", "held")
    assert "hurt 4/10 (at most 5/10): acceptable if it settles" in squat.advice.text
    assert "stays at 2 × 15 reps" in squat.advice.text and squat.advice.sources
    assert not on_day.store.plan.decisions()  # nothing stepped yet


def test_a_pinned_exercise_that_hurt_is_held_and_says_so():
    runner = Runner()
    adaptation.pin(runner.on(MONDAY), SQUAT, True)
    on_day, session, _ = _kept(runner, 6, only_squat_hurt(6))
    squat = next(
        e for e in adaptation.session_end(on_day, session).exercises if e.exercise == SQUAT
    )
    assert squat.next_time == "held"
    assert "It is pinned, so it stays at 2 × 15 reps" in squat.advice.text


def test_without_per_exercise_figures_the_sessions_pain_message_stands():
    on_day, session, plan = _kept(Runner(), 3, None)
    end = adaptation.session_end(on_day, session)
    assert not end.per_exercise and end.exercises == ()
    assert end.message == (pain_advice(3),)
    assert journal.logged_view(on_day, session, plan).advice == pain_advice(3)


def test_every_exercise_keeps_progressing_when_none_hurt():
    pains = dict.fromkeys(only_squat_hurt(1), 1)
    on_day, session, _ = _kept(Runner(), 1, pains)
    end = adaptation.session_end(on_day, session)
    assert [line.text.split(":")[0] for line in end.message] == ["Every exercise keeps progressing"]


def test_todays_view_carries_the_same_message_and_it_still_holds_the_next_day():
    runner = Runner()
    on_day, session, _ = _kept(runner, 6, only_squat_hurt(6))
    view = today.today_view(on_day, MONDAY)
    assert view.logged is not None and view.logged.end == adaptation.session_end(on_day, session)
    later = runner.on(MONDAY + dt.timedelta(days=1))
    assert adaptation.session_end(later, session).exercises[1].next_time == "steps back"
