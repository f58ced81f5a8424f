"""Dashboard sorting: any column, either way, runners without a value always last."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.services.clinic import RunnerSummaryView
from kneecoach.web.clinic_dashboard import columns, sorted_rows

pytestmark = pytest.mark.own_dates

ANA = RunnerSummaryView(1, "ana", True, last_session=dt.date(2026, 11, 20), pain_change=1.5)
BEN = RunnerSummaryView(2, "Ben", True, last_session=dt.date(2026, 11, 23), pain_change=-0.5)
CAL = RunnerSummaryView(3, "cal", False)


def _names(rows):
    return [r.name for r in rows]


def test_runners_without_a_value_go_last_in_either_direction():
    assert _names(sorted_rows([CAL, ANA, BEN], "last", "desc")) == ["Ben", "ana", "cal"]
    assert _names(sorted_rows([CAL, ANA, BEN], "last", "asc")) == ["ana", "Ben", "cal"]


def test_rising_pain_comes_first_by_default_and_names_sort_without_case():
    assert _names(sorted_rows([BEN, CAL, ANA], "pain", None)) == ["ana", "Ben", "cal"]
    assert _names(sorted_rows([CAL, BEN, ANA], "name", None)) == ["ana", "Ben", "cal"]


def test_the_current_column_link_flips_the_direction():
    heads = {c["key"]: c for c in columns("name", "asc")}
    assert heads["name"]["href"] == "?sort=name&order=desc"
    assert heads["name"]["aria"] == "ascending" and heads["pain"]["aria"] == "none"
