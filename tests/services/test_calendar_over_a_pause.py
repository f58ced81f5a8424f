"""The progress calendar marks missed only the sessions the adherence holds the runner to:
none while the program was paused (those days read 'paused'), nor today's before it is
done. It used to mark every planned day missed, so a runner paused by morning pain and
lifted by their clinician read '8 of 8 planned sessions done' in their history and '8 of
13 … missed: 13 Nov, 16 Nov …' on the calendar beside it."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.domain.prescription import session_days
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import journal, onboarding, progress, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from kneecoach.web.progress_charts import calendar_chart
from tests.helpers import profile

pytestmark = pytest.mark.own_dates

START = dt.date(2026, 11, 2)  # a Monday
PAUSED = dt.date(2026, 11, 12)  # a morning check-in of 8/10
LIFTED = dt.date(2026, 11, 23)
LATER = dt.date(2026, 11, 30)


def _paused_and_lifted(*, extra: dt.date | None = None) -> RunnerContext:
    """Sessions on every planned day but while paused; ``extra``: one more on that day."""
    storage = MemoryStorage()
    user = storage.user_id("ben")

    def on(day: dt.date) -> RunnerContext:
        return RunnerContext(storage.for_runner(user), FixedClock(day), user)

    onboarding.onboard(
        on(START), profile(start_date=START), onboarding.answers_from_flags([]), AgeBand.ADULT
    )
    for day in session_days(START, 3, START, LATER - dt.timedelta(days=1)):
        if day < PAUSED or day >= LIFTED:
            plan = today.session_for(on(day), day)
            journal.record_session(on(day), day, journal.planned_as_done(plan), 2)
    if extra is not None:
        plan = today.session_for(on(extra), extra)
        journal.record_session(on(extra), extra, journal.planned_as_done(plan), 2)
    journal.record_checkin(on(PAUSED), 8, PAUSED)
    onboarding.lift_pause(on(LIFTED), "ana")
    return on(LATER)


def test_days_planned_while_paused_and_today_before_its_session_are_not_missed() -> None:
    view = progress.progress(_paused_and_lifted())

    adherence = view.history.adherence
    assert (adherence.sessions_done, adherence.sessions_planned) == (8, 8)
    calendar = view.calendar
    paused = (dt.date(2026, 11, 13), dt.date(2026, 11, 16), dt.date(2026, 11, 18))
    assert calendar.paused == (*paused, dt.date(2026, 11, 20))
    assert not set(calendar.due) & {*calendar.paused, LATER}
    svg = calendar_chart(calendar)  # as the progress page draws it
    assert "8 of 8 planned sessions done in the last 5 weeks" in svg
    assert "4 planned while paused (none due)" in svg
    assert "missed" not in svg.split('<p class="note">')[1]
    assert "Fri 13 Nov: paused: no session due" in svg
    assert "Mon 30 Nov: still to come" in svg


def test_the_history_and_the_clinicians_page_say_how_many_days_the_pause_held():
    """'8 of 8 planned sessions done' alone read as weeks without a break."""
    from kneecoach.services.history import history
    from kneecoach.web.context import adherence_sentence

    said = adherence_sentence(history(_paused_and_lifted()).adherence)

    assert said == (
        "8 of 8 planned sessions done. 4 more were planned while the program was paused: "
        "none was due."
    )


def test_the_history_json_counts_the_sessions_planned_while_paused():
    from kneecoach.presenters import history_json
    from kneecoach.services.history import history

    adherence = history_json(history(_paused_and_lifted()))["adherence"]
    assert (adherence["sessions_done"], adherence["sessions_planned"]) == (8, 8)
    assert adherence["sessions_paused"] == 4


def test_the_history_shows_the_pause_as_a_row_with_what_paused_it_and_who_lifted_it():
    """A gap in the sessions says why: the pause, its signs, its end and who ended it."""
    from kneecoach.presenters import history_json
    from kneecoach.services.history import history
    from kneecoach.web.context import history_rows

    report = history(_paused_and_lifted())
    [pause] = report.pauses
    assert (pause.start, pause.lifted, pause.lifted_by) == (PAUSED, LIFTED, "ana")
    assert any("morning" in sign for sign in pause.signs)
    rows = history_rows(report)
    dates = [row["date"] for row in rows]
    at = dates.index(f"{PAUSED:%a %d %b}")
    assert "pause" in rows[at] and "lifted by ana on Mon 23 Nov" in rows[at]["pause"]
    assert [r for r in rows[:at] if "pause" in r] == []  # in its place among the sessions
    assert rows[at - 1]["date"] == "Wed 11 Nov" and rows[at + 1]["date"] == "Mon 23 Nov"
    [kept] = history_json(report)["pauses"]
    assert (kept["from"], kept["lifted"], kept["lifted_by"]) == (PAUSED, LIFTED, "ana")


def test_a_session_done_on_a_day_off_before_the_pause_stands_for_the_day_it_took():
    """Tuesday's session, in a week whose Friday the pause then held, is that Friday's: done,
    not extra, and the Friday reads 'done on Tue 10 Nov'."""
    from kneecoach.presenters import history_json
    from kneecoach.services.history import history
    from kneecoach.web.context import adherence_sentence

    tuesday = dt.date(2026, 11, 10)
    runner = _paused_and_lifted(extra=tuesday)
    view = progress.progress(runner)

    adherence = view.history.adherence
    assert (adherence.sessions_done, adherence.sessions_planned) == (9, 9)
    assert adherence.sessions_extra == 0
    friday = dt.date(2026, 11, 13)
    assert view.calendar.moved == ((friday, tuesday),)
    assert friday not in view.calendar.paused
    svg = calendar_chart(view.calendar)
    assert "Fri 13 Nov: done on Tue 10 Nov" in svg
    assert "Tue 10 Nov: done on a day off, for Fri 13 Nov" in svg
    assert "done on another day of the week" in svg  # the legend
    assert (
        "9 of 9 planned sessions done in the last 5 weeks (1 on another day of its week), "
        "3 planned while paused (none due)"
    ) in svg
    assert adherence_sentence(history(runner).adherence).startswith(
        "9 of 9 planned sessions done. 3 more were planned while the program was paused"
    )
    counted = history_json(history(runner))["adherence"]
    assert (counted["sessions_moved"], counted["sessions_paused"]) == (1, 3)


def test_the_calendar_starts_at_the_programs_first_week_when_that_is_recent():
    from kneecoach.services.progress import CALENDAR_WEEKS, calendar_weeks

    monday = dt.date(2026, 11, 30)
    assert calendar_weeks(monday, monday) == 1
    assert calendar_weeks(dt.date(2026, 11, 12), monday) == 4  # from the week of 9 Nov
    assert calendar_weeks(dt.date(2025, 1, 1), monday) == CALENDAR_WEEKS
    assert calendar_weeks(monday + dt.timedelta(days=3), monday) == 1  # not started yet
