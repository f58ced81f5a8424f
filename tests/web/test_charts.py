"""Charts drawn on the server: the adherence calendar, and line charts with shaded bands."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.web.charts import adherence_calendar

TODAY = dt.date(2026, 11, 25)  # a Wednesday


def test_done_missed_and_extra_days_are_counted_and_named():
    planned = [TODAY - dt.timedelta(days=d) for d in (0, 2, 7, 9)]
    done = [TODAY, TODAY - dt.timedelta(days=7), TODAY - dt.timedelta(days=1)]
    svg = adherence_calendar(planned, done, TODAY, weeks=2)
    assert "2 of 4 planned sessions done in the last 2 weeks, 1 more on days off" in svg
    assert "missed: 16 Nov, 23 Nov" in svg
    assert svg.count('<rect class="day') == 14  # two weeks, a square a day
    assert "Thu 26 Nov: still to come" in svg
    # each kind of day has a mark of its own besides its colour
    marks = re.findall(r'<text class="mark (\w+)"[^>]*>([^<]+)</text>', svg)
    assert sorted(set(marks)) == [("done", "✓"), ("extra", "+"), ("missed", "✗")]
    assert len(marks) == 2 + 1 + 2


def test_an_empty_history_still_reads_sensibly():
    svg = adherence_calendar([], [], TODAY, weeks=1)
    assert "No session was due yet in the last week" in svg and "0 of 0" not in svg


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
    from kneecoach.web.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, line_chart

    days = [TODAY - dt.timedelta(days=d) for d in (2, 1, 0)]
    svg = line_chart(
        "Ratio",
        days,
        {"ratio": [0.9, None, 1.6]},
        2,
        bands=[(1, 1.5, "middle"), (1.5, None, "top")],
    )
    shaded = re.findall(
        r'<rect class="band b\d" x="(\d+)" y="([\d.]+)" width="(\d+)" height="([\d.]+)"'
        r"[^>]*><title>(\w+)",
        svg,
    )
    plot = HEIGHT - TOP - BOTTOM  # 0 to 2 over the plot's height
    quarter = f"{plot / 4:.1f}"
    width = str(WIDTH - LEFT - RIGHT)
    # 1 to 1.5 is a quarter of the plot from its middle up; 1.5 and over runs to its top
    assert shaded == [
        (str(LEFT), f"{TOP + plot / 4:.1f}", width, quarter, "middle"),
        (str(LEFT), f"{float(TOP):.1f}", width, quarter, "top"),
    ]
    labels = re.findall(r'<text class="band-label"[^>]*>(\w+)</text>', svg)
    assert labels == ["middle", "top"]
    assert "ratio: " in svg and "0.9" in svg and "1.6" in svg


def test_the_single_band_of_a_line_chart_shades_as_it_always_has():
    from kneecoach.web.charts import BOTTOM, HEIGHT, TOP, line_chart

    svg = line_chart("Pain", [TODAY], {"pain": [3]}, 10, (0, 2, "ideal"))
    plot = HEIGHT - TOP - BOTTOM
    band = re.search(r'<rect class="band b0" [^>]*y="([\d.]+)"[^>]*height="([\d.]+)"', svg)
    assert band is not None and "<title>ideal</title>" in svg
    assert float(band.group(1)) == pytest.approx(HEIGHT - BOTTOM - plot * 0.2, abs=0.05)
    assert float(band.group(2)) == pytest.approx(plot * 0.2, abs=0.05)


def test_each_point_gives_its_value_on_hover_and_in_the_table():
    from kneecoach.web.charts import line_chart

    days = [TODAY - dt.timedelta(days=d) for d in (2, 1, 0)]
    html = line_chart("Pain", days, {"during": [1, 4, None], "next morning": [0, 2, 3]}, 10)
    tips = re.findall(r"<(?:circle|rect|polygon) class=\"s\d\"[^>]*><title>([^<]+)</title>", html)
    assert tips == [
        "during, Mon 23 Nov: 1",
        "during, Tue 24 Nov: 4",
        "next morning, Mon 23 Nov: 0",
        "next morning, Tue 24 Nov: 2",
        "next morning, Wed 25 Nov: 3",
    ]
    table = html.split('<details class="chart-values">')[1]
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>((?:<td>[^<]*</td>)+)</tr>', table)
    assert [(day, re.findall(r"<td>([^<]*)</td>", cells)) for day, cells in rows] == [
        ("Mon 23 Nov 2026", ["1", "0"]),
        ("Tue 24 Nov 2026", ["4", "2"]),
        ("Wed 25 Nov 2026", ["—", "3"]),
    ]


def test_two_series_are_told_apart_by_marker_and_dash_not_colour_alone():
    from kneecoach.web.charts import line_chart

    html = line_chart("Pain", [TODAY], {"during": [1], "next morning": [2]}, 10)
    assert '<circle class="s0"' in html and '<rect class="s1"' in html
    assert 'stroke-dasharray="6 4"' in html
    legend = html.split('<p class="legend">')[1].split("</p>")[0]
    assert "during" in legend and "next morning" in legend


@given(
    values=st.lists(
        st.one_of(st.none(), st.floats(-50, 500, allow_nan=False)), min_size=1, max_size=40
    ),
    top=st.floats(0.1, 100),
)
def test_nothing_is_drawn_outside_the_plot_whatever_the_values(values, top):
    from kneecoach.web.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, line_chart

    days = [TODAY - dt.timedelta(days=len(values) - i) for i in range(len(values))]
    svg = line_chart("Any", days, {"v": values}, top, bands=[(0.0, top / 3, "low")])
    drawn = svg.split('clip-path="url(')[1].split("</g>")[0]
    pairs = re.findall(r"([-\d.]+),([-\d.]+)", drawn)
    xs = [float(x) for x in re.findall(r'cx="([-\d.]+)"', drawn)] + [float(x) for x, _ in pairs]
    ys = [float(y) for y in re.findall(r'cy="([-\d.]+)"', drawn)] + [float(y) for _, y in pairs]
    assert len(xs) >= sum(v is not None for v in values)
    assert all(LEFT <= x <= WIDTH - RIGHT for x in xs)
    assert all(TOP - 1e-9 <= y <= HEIGHT - BOTTOM + 1e-9 for y in ys)
    for value in values:
        if value is not None:
            assert f"<td>{value:g}</td>" in svg  # the table still gives the value itself


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
