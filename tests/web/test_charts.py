"""The adherence calendar: a square a day, and the same in words."""

from __future__ import annotations

import datetime as dt

from kneecoach.web.charts import adherence_calendar

TODAY = dt.date(2026, 11, 25)  # a Wednesday


def test_done_missed_and_extra_days_are_counted_and_named():
    planned = [TODAY - dt.timedelta(days=d) for d in (0, 2, 7, 9)]
    done = [TODAY, TODAY - dt.timedelta(days=7), TODAY - dt.timedelta(days=1)]
    svg = adherence_calendar(planned, done, TODAY, weeks=2)
    assert "2 of 4 planned sessions done in the last 2 weeks, 1 more on days off" in svg
    assert "missed: 16 Nov, 23 Nov" in svg
    assert svg.count("<rect x=") == 14  # two weeks, a square a day
    assert "Thu 26 Nov: still to come" in svg


def test_an_empty_history_still_reads_sensibly():
    svg = adherence_calendar([], [], TODAY, weeks=1)
    assert "0 of 0 planned sessions done in the last week" in svg


def test_axes_end_at_a_round_number():
    from kneecoach.web.charts import nice_ceiling

    assert [nice_ceiling(v) for v in (6.59973, 10, 100, 2.0, 0.7, 13, 0)] == [
        10,
        10,
        100,
        2,
        1,
        20,
        1,
    ]
