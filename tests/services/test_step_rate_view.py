"""Step-rate coaching as a view: from the runner's imported runs, as of today, in the load
and for return to running."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kneecoach.domain.redflags import AgeBand
from kneecoach.domain.steprate import NO_CADENCE
from kneecoach.services import onboarding
from kneecoach.services.runs import import_paths, load_view
from kneecoach.services.steprate import step_rate_view
from kneecoach.storage.database import open_database
from kneecoach.storage.sql import SqlStorage
from tests.fitwriter import run_points, write_activity
from tests.helpers import profile, runner_on

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def runner(tmp_path):
    c = runner_on(SqlStorage(open_database(f"sqlite:///{tmp_path / 'k.db'}")), TODAY)
    onboarding.onboard(c, profile(), onboarding.answers_from_flags([]), AgeBand.ADULT)
    return c


def _import(runner, folder, runs: dict[int, int | None], sport: int = 1) -> None:
    """Runs ``days ago -> per-foot cadence`` (None: no cadence), as watch files."""
    folder.mkdir(exist_ok=True)
    for ago, cadence in runs.items():
        start = dt.datetime.combine(TODAY - dt.timedelta(days=ago), dt.time(7), dt.UTC)
        points = [
            dataclasses.replace(p, cadence=cadence)
            for p in run_points(int(start.timestamp()), 900, seed=ago)
        ]
        (folder / f"{ago}-{sport}.fit").write_bytes(write_activity(points, sport=sport))
    import_paths(runner, [folder], workers=1)


def test_without_cadence_there_is_no_target_and_the_view_says_why(runner, tmp_path):
    _import(runner, tmp_path / "runs", {3: None})
    view = step_rate_view(runner)
    assert view.baseline is None and view.target is None and view.advice is None
    assert view.message == NO_CADENCE
    assert view.weak_evidence and view.definition.sources


def test_the_baseline_is_the_median_of_recent_runs_and_the_target_five_percent_up(runner, tmp_path):
    _import(runner, tmp_path / "runs", {9: 80, 7: 82, 5: 84, 3: 86, 1: None})
    _import(runner, tmp_path / "rides", {2: 95}, sport=2)  # pedal strokes are not steps
    view = step_rate_view(runner)
    assert (view.baseline, view.runs, view.target, view.ceiling) == (166.0, 4, 174, 182)
    assert (view.latest, view.latest_on) == (172.0, TODAY - dt.timedelta(days=3))
    assert view.since == TODAY - dt.timedelta(days=9)
    assert view.advice is not None and view.message == view.advice.text
    assert {s.label for s in view.sources} == {"Heiderscheit 2011", "Willson 2014", "Bramah 2019"}


def test_the_load_carries_each_days_step_rate_and_the_target_as_it_stood(runner, tmp_path):
    _import(runner, tmp_path / "runs", {9: 80, 5: 90})
    view = load_view(runner)
    assert view is not None and view.step_rate is not None
    by_day = {day.day: day for day in view.days}
    first = by_day[TODAY - dt.timedelta(days=9)]
    assert (first.step_rate, first.step_rate_baseline, first.step_rate_target) == (160, 160, 168)
    between = by_day[TODAY - dt.timedelta(days=7)]
    assert between.step_rate is None and between.step_rate_target == 168
    assert view.today.step_rate_baseline == 170.0 == view.step_rate.baseline
    assert view.today.step_rate_target == view.step_rate.target == 178
    assert view.today.step_rate_ceiling == view.step_rate.ceiling == 187
