"""Charts drawn on the server: the adherence calendar, and line charts with shaded bands."""

from __future__ import annotations

import datetime as dt
import re

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


def test_a_line_chart_shades_each_band_it_is_given_with_its_label():
    from kneecoach.web.charts import line_chart

    days = [TODAY - dt.timedelta(days=d) for d in (2, 1, 0)]
    svg = line_chart(
        "Ratio",
        days,
        {"ratio": [0.9, None, 1.6]},
        2,
        bands=[(1, 1.5, "middle"), (1.5, None, "top")],
    )
    shaded = re.findall(
        r'<rect x="30" y="([\d.]+)" width="540" height="([\d.]+)"[^>]*><title>(\w+)', svg
    )
    # 140 px for 0 to 2: 1 to 1.5 is 35 px from y 65; 1.5 and over runs to the axis top, y 30
    assert shaded == [("65.0", "35.0", "middle"), ("30.0", "35.0", "top")]
    assert "ratio: " in svg and "0.9" in svg and "1.6" in svg


def test_the_single_band_of_a_line_chart_shades_as_it_always_has():
    from kneecoach.web.charts import line_chart

    svg = line_chart("Pain", [TODAY], {"pain": [3]}, 10, (0, 2, "ideal"))
    assert '<rect x="30" y="142.0" width="540" height="28.0" fill="#e9f2f5"><title>ideal' in svg


def test_a_twelve_week_chart_says_all_twelve_weeks_in_words():
    from kneecoach.web.charts import line_chart

    mondays = [dt.date(2026, 9, 7) + dt.timedelta(weeks=n) for n in range(12)]
    html = line_chart("Weekly load", mondays, {"load": [float(n) for n in range(12)]}, 12.0)
    words = html.split('<p class="note">')[1]
    assert "load: 07 Sep 0, " in words and "23 Nov 11." in words
    assert words.count(", ") == 11


def test_a_long_chart_says_in_words_which_of_its_values_it_lists():
    from kneecoach.web.charts import line_chart

    days = [dt.date(2026, 9, 1) + dt.timedelta(days=n) for n in range(30)]
    html = line_chart("Pain", days, {"pain": [1.0] * 30}, 10.0)
    assert "pain, last 12 of 30: 19 Sep 1," in html
