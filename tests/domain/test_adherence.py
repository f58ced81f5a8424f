from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach import definitions
from kneecoach.domain.adherence import attendance, planned_sets, sets_done, summarise
from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, Side
from kneecoach.domain.prescription import Program, at_levels
from kneecoach.domain.progression import Level
from tests.helpers import MONDAY

pytestmark = pytest.mark.own_dates

PROGRAM = definitions.program()


def seed_plan_on(day: dt.date) -> Program:
    """The seed program on every day: levels that never moved."""
    return PROGRAM


def _full_session(day: dt.date, pain: int = 2, program: Program = PROGRAM) -> LoggedSession:
    sets = []
    for p in program.prescriptions:
        sides = (Side.LEFT, Side.RIGHT) if p.dosage.per_side else (Side.BOTH,)
        for side in sides:
            for n in range(1, p.dosage.sets + 1):
                sets.append(
                    LoggedSet(p.exercise, p.variant, side, n, p.dosage.reps, p.dosage.hold_seconds)
                )
    return LoggedSession(day, pain, tuple(sets))


def test_the_seed_program_plans_27_sets_a_session():
    assert planned_sets(PROGRAM) == 27


def test_a_full_session_counts_every_planned_set_and_extra_sets_do_not_inflate_it():
    full = _full_session(MONDAY)
    assert sets_done(full, PROGRAM) == 27
    extra = LoggedSet("roll-down", "body-weight", Side.BOTH, 2, 10)
    more = LoggedSession(MONDAY, 2, (*full.sets, extra))
    assert sets_done(more, PROGRAM) == 27


def test_adherence_compares_sessions_done_with_sessions_planned():
    sessions = [_full_session(MONDAY), _full_session(MONDAY + dt.timedelta(days=2))]
    checkins = [Checkin(MONDAY + dt.timedelta(days=1), 1)]
    summaries, adherence = summarise(
        sessions, checkins, seed_plan_on, MONDAY, 3, MONDAY, MONDAY + dt.timedelta(days=6)
    )
    assert adherence.sessions_planned == 3
    assert adherence.sessions_done == 2
    assert round(adherence.session_rate, 3) == 0.667
    assert adherence.sets_done == 54 and adherence.sets_planned == 81
    assert summaries[0].morning_pain == 1
    assert summaries[1].morning_pain is None
    assert all(s.planned_day for s in summaries)


def test_a_session_on_a_rest_day_is_extra_and_still_counts():
    summaries, adherence = summarise(
        [_full_session(MONDAY + dt.timedelta(days=1))],
        [],
        seed_plan_on,
        MONDAY,
        3,
        MONDAY,
        MONDAY + dt.timedelta(days=1),
    )
    assert not summaries[0].planned_day
    assert adherence.sessions_done == 1 and adherence.sessions_planned == 1


def test_no_planned_sessions_gives_no_rate_rather_than_a_made_up_one():
    _, adherence = summarise(
        [],
        [],
        seed_plan_on,
        MONDAY,
        3,
        MONDAY - dt.timedelta(days=5),
        MONDAY - dt.timedelta(days=1),
    )
    assert adherence.session_rate is None and adherence.set_rate is None


def test_sessions_beyond_a_weeks_plan_are_extra_and_rates_never_pass_100_percent():
    monday_and_tuesday = [_full_session(MONDAY), _full_session(MONDAY + dt.timedelta(days=1))]
    _, adherence = summarise(
        monday_and_tuesday, [], seed_plan_on, MONDAY, 3, MONDAY, MONDAY + dt.timedelta(days=1)
    )
    assert (adherence.sessions_planned, adherence.sessions_done, adherence.sessions_extra) == (
        1,
        1,
        1,
    )
    assert adherence.set_rate == 1.0


def test_a_missed_week_is_not_made_up_by_an_extra_session_the_next_week():
    next_week = [_full_session(MONDAY + dt.timedelta(days=7 + d)) for d in (0, 1, 2, 4)]
    _, adherence = summarise(
        next_week, [], seed_plan_on, MONDAY, 3, MONDAY, MONDAY + dt.timedelta(days=13)
    )
    assert adherence.sessions_planned == 6
    assert adherence.sessions_done == 3
    assert adherence.sessions_extra == 1


def test_adherence_names_the_planned_days_for_a_calendar():
    _, adherence = summarise(
        [_full_session(MONDAY)], [], seed_plan_on, MONDAY, 3, MONDAY, MONDAY + dt.timedelta(days=6)
    )
    assert adherence.planned_days == tuple(MONDAY + dt.timedelta(days=d) for d in (0, 2, 4))


def test_each_session_is_judged_against_the_plan_of_its_own_day():
    """After the split squat rose to 3 sets on Wednesday, Monday's full session of 27 sets
    is still full, and Wednesday plans (and here did) 29."""
    wednesday = MONDAY + dt.timedelta(days=2)
    risen = at_levels(PROGRAM, {"bulgarian-split-squat": Level("body-weight", 3, reps=12)})

    def plan_on(day: dt.date) -> Program:
        return risen if day >= wednesday else PROGRAM

    summaries, adherence = summarise(
        [_full_session(MONDAY), _full_session(wednesday, program=risen)],
        [],
        plan_on,
        MONDAY,
        3,
        MONDAY,
        wednesday,
    )
    assert [(s.sets_done, s.sets_planned) for s in summaries] == [(27, 27), (29, 29)]
    assert (adherence.sets_done, adherence.sets_planned, adherence.set_rate) == (56, 56, 1.0)


@given(
    st.lists(st.integers(0, 41), unique=True, max_size=30),
    st.integers(1, 7),
    st.integers(0, 20),
    st.integers(0, 30),
)
def test_attendance_from_the_days_alone_counts_the_sessions_as_the_full_summary_does(
    offsets: list[int], per_week: int, first_offset: int, length: int
):
    days = [MONDAY + dt.timedelta(days=o) for o in offsets]
    first = MONDAY + dt.timedelta(days=first_offset)
    last = first + dt.timedelta(days=length)
    sessions = [_full_session(day) for day in days]
    _, adherence = summarise(sessions, [], seed_plan_on, MONDAY, per_week, first, last)
    counted = attendance(days, MONDAY, per_week, first, last)
    assert counted.sessions_planned == adherence.sessions_planned
    assert counted.sessions_done == adherence.sessions_done
    assert counted.session_rate == adherence.session_rate


def test_attendance_counts_no_more_sessions_in_a_week_than_were_planned_for_it():
    every_day = [MONDAY + dt.timedelta(days=i) for i in range(7)]
    counted = attendance(every_day, MONDAY, 3, MONDAY, MONDAY + dt.timedelta(days=6))
    assert (counted.sessions_planned, counted.sessions_done, counted.session_rate) == (3, 3, 1.0)
    nothing = attendance([], MONDAY, 3, MONDAY, MONDAY + dt.timedelta(days=6))
    assert (nothing.sessions_done, nothing.session_rate) == (0, 0.0)
    before = attendance(every_day, MONDAY + dt.timedelta(days=7), 3, MONDAY, MONDAY)
    assert before.session_rate is None  # nothing planned before the start


# Days due: a pause means pause, and today is not missed before it is over -----------------
def _day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def test_a_pause_runs_from_the_screen_that_paused_to_the_one_that_lifted_it():
    from kneecoach.domain.adherence import PausedSpan, paused_spans

    screens = [(_day(0), False), (_day(3), True), (_day(4), True), (_day(6), False)]
    screens += [(_day(9), True)]
    assert paused_spans(screens) == (PausedSpan(_day(3), _day(6)), PausedSpan(_day(9)))
    [first, still] = paused_spans(screens)
    assert first.holds(_day(3)) and first.holds(_day(5)) and not first.holds(_day(6))
    assert still.holds(_day(400))


def test_no_session_is_due_while_paused_nor_today_until_it_is_done():
    from kneecoach.domain.adherence import PausedSpan, due_days

    planned = [_day(n) for n in (0, 2, 4, 7, 9)]
    paused = (PausedSpan(_day(2), _day(7)),)
    assert due_days(planned, [], _day(9), paused) == (_day(0), _day(7))
    # a session done on a paused day or today counts as due all the same
    assert due_days(planned, [_day(4), _day(9)], _day(9), paused) == (
        _day(0),
        _day(4),
        _day(7),
        _day(9),
    )
    assert due_days(planned, [], None) == tuple(planned)  # a period judged as a whole


def test_attendance_counts_a_week_paused_throughout_as_nothing_missed():
    from kneecoach.domain.adherence import PausedSpan

    start, today = MONDAY, MONDAY + dt.timedelta(days=14)
    done = [MONDAY, MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=4)]
    paused = (PausedSpan(MONDAY + dt.timedelta(days=7), today),)
    counted = attendance(done, start, 3, start, today, today=today, paused=paused)
    assert (counted.sessions_done, counted.sessions_planned) == (3, 3)
    assert counted.session_rate == 1.0
    # without the pause, the week not trained would count as three sessions missed
    assert attendance(done, start, 3, start, today, today=today).sessions_planned == 6


@given(
    planned=st.lists(st.integers(0, 60), unique=True).map(sorted),
    done=st.lists(st.integers(0, 60), unique=True),
    today=st.integers(0, 61),
    spans=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 30)), max_size=3),
)
def test_the_days_due_are_planned_days_holding_every_day_done_and_none_to_come(
    planned, done, today, spans
):
    from kneecoach.domain.adherence import PausedSpan, due_days

    pauses = tuple(PausedSpan(_day(a), _day(a + n)) for a, n in spans)
    due = due_days([_day(n) for n in planned], [_day(n) for n in done], _day(today), pauses)
    assert set(due) <= {_day(n) for n in planned}
    assert {_day(n) for n in done if n in planned} <= set(due)
    assert all(d < _day(today) or d in {_day(n) for n in done} for d in due)
    assert all(not p.holds(d) for d in due if d not in {_day(n) for n in done} for p in pauses)


# A session moved within its week stands for the planned day it replaced ------------------
def _moved(adherence):
    return [(m.planned, m.done_on) for m in adherence.moves]


def _three_a_week(done, today, paused=(), last=None):
    """The adherence of a program of three sessions a week from MONDAY, to ``last`` (today
    by default), with full sessions on the days ``done``."""
    _, adherence = summarise(
        [_full_session(day) for day in done],
        [],
        seed_plan_on,
        MONDAY,
        3,
        MONDAY,
        last or today,
        today=today,
        paused=paused,
    )
    return adherence


def test_a_session_done_early_in_a_week_a_pause_later_cut_short_counts_as_done():
    from kneecoach.domain.adherence import PausedSpan

    # planned Mon, Wed, Fri; done Mon and Tue (a day off); paused from Wed to the next Monday
    start, today = MONDAY, MONDAY + dt.timedelta(days=7)
    tuesday = start + dt.timedelta(days=1)
    sessions = [_full_session(start), _full_session(tuesday)]
    paused = (PausedSpan(start + dt.timedelta(days=2), today),)
    _, adherence = summarise(
        sessions, [], seed_plan_on, start, 3, start, today, today=today, paused=paused
    )
    wednesday, friday = start + dt.timedelta(days=2), start + dt.timedelta(days=4)
    assert (adherence.sessions_planned, adherence.sessions_done) == (2, 2)
    assert adherence.sessions_extra == 0
    assert _moved(adherence) == [(wednesday, tuesday)]
    assert adherence.paused_days == (friday,)  # the one the pause held: none was due
    assert adherence.sets_planned == 2 * planned_sets(PROGRAM)
    counted = attendance(
        [s.performed_on for s in sessions], start, 3, start, today, today=today, paused=paused
    )
    assert (counted.sessions_planned, counted.sessions_done) == (2, 2)


def test_a_session_done_during_a_pause_stands_for_no_paused_day():
    """Training while paused stays visible: the paused days stay paused, the session extra."""
    from kneecoach.domain.adherence import PausedSpan

    # planned Mon, Wed, Fri; paused Tue to the next Monday; done Mon and Thu (while paused)
    start, today = MONDAY, MONDAY + dt.timedelta(days=7)
    thursday = start + dt.timedelta(days=3)
    paused = (PausedSpan(start + dt.timedelta(days=1), today),)
    adherence = _three_a_week([start, thursday], today, paused)
    assert (adherence.sessions_planned, adherence.sessions_done) == (1, 1)
    assert adherence.sessions_extra == 1 and adherence.moves == ()
    assert len(adherence.paused_days) == 2


def test_a_session_done_on_a_day_off_stands_for_no_day_still_to_come():
    # planned Mon, Wed, Fri; today is Wednesday; done Mon and Tue (a day off); the week
    start, today, sunday = MONDAY, MONDAY + dt.timedelta(days=2), MONDAY + dt.timedelta(days=6)
    tuesday = start + dt.timedelta(days=1)

    def week(done, on):
        _, adherence = summarise(
            [_full_session(d) for d in done], [], seed_plan_on, start, 3, start, sunday, today=on
        )
        return adherence

    adherence = week([start, tuesday], today)
    assert (adherence.sessions_planned, adherence.sessions_done, adherence.sessions_extra) == (
        1,
        1,
        1,
    )
    assert adherence.moves == ()  # today's may still be done
    # once Wednesday is over without its session, Tuesday's made it up
    adherence = week([start, tuesday], today + dt.timedelta(days=1))
    assert (adherence.sessions_planned, adherence.sessions_done) == (2, 2)
    assert _moved(adherence) == [(today, tuesday)]


def test_a_session_on_a_day_off_makes_up_a_missed_day_of_its_week():
    # planned Mon, Wed, Fri; Monday missed, done Tuesday; today is Thursday
    start, today = MONDAY, MONDAY + dt.timedelta(days=3)
    tuesday = start + dt.timedelta(days=1)
    _, adherence = summarise(
        [_full_session(tuesday)], [], seed_plan_on, start, 3, start, today, today=today
    )
    assert (adherence.sessions_planned, adherence.sessions_done) == (2, 1)
    assert _moved(adherence) == [(start, tuesday)]  # Wednesday is still missed


@given(
    done=st.lists(st.integers(0, 27), unique=True),
    today=st.integers(0, 28),
    spans=st.lists(st.tuples(st.integers(0, 27), st.integers(1, 14)), max_size=2),
    per_week=st.integers(1, 5),
)
def test_each_move_pairs_a_day_off_with_a_planned_day_of_its_week_and_counts_once(
    done, today, spans, per_week
):
    from kneecoach.domain.adherence import PausedSpan, counted_plan, due_days, moves
    from kneecoach.domain.prescription import session_days

    first, last = _day(0), _day(27)
    pauses = tuple(PausedSpan(_day(a), _day(a + n)) for a, n in spans)
    days_done = [_day(n) for n in done]
    calendar = session_days(MONDAY, per_week, first, last)
    due = due_days(calendar, days_done, _day(today), pauses)
    moved = moves(calendar, due, days_done, MONDAY, _day(today), pauses)
    counted = counted_plan(due, moved)
    assert set(due) <= set(counted) <= set(calendar)
    week = lambda d: (d - MONDAY).days // 7  # noqa: E731
    for move in moved:
        assert week(move.planned) == week(move.done_on)
        assert move.planned in calendar and move.planned not in days_done
        assert move.done_on in days_done and move.done_on not in calendar
        assert move.planned < _day(today)  # never a day still to come
    assert len({m.planned for m in moved}) == len({m.done_on for m in moved}) == len(moved)
    _, adherence = summarise(
        [_full_session(d) for d in days_done],
        [],
        seed_plan_on,
        MONDAY,
        per_week,
        first,
        last,
        today=_day(today),
        paused=pauses,
    )
    done_on_plan = [d for d in days_done if d in calendar]
    assert adherence.sessions_done == len(done_on_plan) + len(moved)
    assert adherence.sessions_done <= adherence.sessions_planned == len(counted)
    assert not {m.planned for m in adherence.moves} & set(adherence.paused_days)


def test_a_missed_day_is_made_up_before_a_paused_day_is_stood_for():
    from kneecoach.domain.adherence import PausedSpan

    # planned Mon, Wed, Fri; paused Mon only (lifted Tue); done Tue (a day off, running);
    # Wed and Fri missed; the week judged from the next Monday
    start, today = MONDAY, MONDAY + dt.timedelta(days=7)
    tuesday = start + dt.timedelta(days=1)
    paused = (PausedSpan(start, tuesday),)
    adherence = _three_a_week([tuesday], today, paused)
    assert _moved(adherence) == [(start + dt.timedelta(days=2), tuesday)]
    assert adherence.paused_days == (start,)
    assert (adherence.sessions_planned, adherence.sessions_done) == (2, 1)
