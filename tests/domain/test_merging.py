"""One activity however many files: which files are the same activity, whose figures it
shows, and that the order of import never matters."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.domain.activity import Sport
from kneecoach.domain.merging import (
    Origin,
    Outcome,
    in_order,
    merge,
    richest,
    same_activity,
    sport_of,
    title_of,
)

pytestmark = pytest.mark.own_dates

START = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)


def origin(
    minutes: float = 0.0,
    length_min: float = 30.0,
    *,
    fmt: str = "gpx",
    device: bool = False,
    sport: Sport = Sport.RUN,
    distance: float = 5000.0,
    samples: int = 1800,
    name: str | None = None,
    title: str = "",
) -> Origin:
    return Origin(
        name=name or f"{fmt}-{minutes}-{length_min}.{fmt}",
        format=fmt,
        sport=sport,
        start=START + dt.timedelta(minutes=minutes),
        elapsed_s=length_min * 60,
        distance_m=distance,
        device_distance=device,
        samples=samples,
        title=title,
    )


def test_starts_within_two_minutes_are_one_activity_whatever_their_lengths():
    assert same_activity(origin(0, 30), origin(2, 5))
    assert same_activity(origin(0, 30), origin(-2, 120))


def test_starts_more_than_two_minutes_apart_are_one_activity_when_80_percent_shared():
    # a 30-minute run and a 25-minute file of it starting 5 minutes in: all 25 shared
    assert same_activity(origin(0, 30), origin(5, 25))
    # 24 of 30 minutes shared is exactly 80 %
    assert same_activity(origin(0, 30), origin(6, 30))


def test_less_than_80_percent_shared_with_distant_starts_is_two_activities():
    assert not same_activity(origin(0, 30), origin(7, 30))  # 23 of 30 minutes
    assert not same_activity(origin(0, 30), origin(31, 30))  # one after the other
    assert not same_activity(origin(0, 0), origin(3, 0))  # two points in time


def test_a_fit_file_is_richer_than_tcx_which_is_richer_than_gpx():
    fit, tcx, gpx = origin(fmt="fit", device=True), origin(fmt="tcx", device=True), origin()
    assert richest([gpx, tcx, fit]) == fit
    assert richest([gpx, tcx]) == tcx


def test_the_format_outranks_the_device_distance_and_the_sample_count():
    assert richest([origin(fmt="fit", samples=10), origin(fmt="tcx", device=True)]).format == (
        "fit"
    )
    assert richest([origin(fmt="tcx", samples=5), origin(fmt="gpx", samples=9000)]).format == (
        "tcx"
    )


def test_within_one_format_the_devices_distance_beats_one_worked_out_from_gps():
    device, gps = origin(fmt="tcx", device=True, distance=668), origin(fmt="tcx", distance=899)
    assert richest([gps, device]) == device


def test_among_equals_more_samples_win_and_ties_break_the_same_way_in_any_order():
    more, fewer = origin(samples=3600), origin(samples=60)
    assert richest([fewer, more]) == more
    twins = [origin(name="a.gpx"), origin(name="b.gpx")]
    assert richest(twins) == richest(reversed(twins))


def test_the_sport_comes_from_the_richest_file_that_names_one():
    ride_fit = origin(fmt="fit", device=True, sport=Sport.CYCLE)
    run_gpx = origin(sport=Sport.RUN)
    assert sport_of([run_gpx, ride_fit]) is Sport.CYCLE
    generic_fit = origin(fmt="fit", device=True, sport=Sport.OTHER)
    assert sport_of([generic_fit, run_gpx]) is Sport.RUN
    assert sport_of([generic_fit]) is Sport.OTHER


def test_the_name_comes_from_the_richest_file_that_has_one():
    assert title_of([origin(fmt="fit", device=True), origin(title="Morning Run")]) == (
        "Morning Run"
    )


def test_a_new_file_is_added_merged_or_already_kept():
    first = origin(fmt="fit", device=True)
    assert merge(first, []).outcome is Outcome.ADDED
    again = merge(first, [(1, (first,))])
    assert (again.outcome, again.keep) == (Outcome.ALREADY_KEPT, 1)
    other = merge(origin(1), [(1, (first,))])
    assert (other.outcome, other.keep, other.richest) == (Outcome.MERGED, 1, first)
    apart = merge(origin(120), [(1, (first,))])
    assert apart.outcome is Outcome.ADDED and apart.keep is None


def test_a_file_overlapping_two_kept_activities_joins_them_into_the_oldest():
    early, late = origin(0, 30), origin(29, 30)
    assert not same_activity(early, late)
    whole = origin(0, 60, fmt="fit", device=True)
    plan = merge(whole, [(7, (late,)), (3, (early,))])
    assert (plan.keep, plan.drop, plan.richest) == (3, (7,), whole)
    assert set(plan.origins) == {early, late, whole}


def _kept_after(origins: list[Origin]) -> set[tuple[frozenset[Origin], Origin, Sport]]:
    """Import ``origins`` one by one into a store of (id -> origins), as storage does."""
    kept: dict[int, tuple[Origin, ...]] = {}
    shown: dict[int, tuple[Origin, Sport]] = {}
    for number, new in enumerate(origins):
        plan = merge(new, list(kept.items()))
        if plan.outcome is Outcome.ALREADY_KEPT:
            continue
        key = number if plan.keep is None else plan.keep
        for gone in plan.drop:
            del kept[gone], shown[gone]
        kept[key] = plan.origins
        shown[key] = (plan.richest, plan.sport)
    return {(frozenset(kept[k]), *shown[k]) for k in kept}


origins = st.builds(
    origin,
    minutes=st.integers(0, 240).map(float),
    length_min=st.sampled_from([0.0, 5.0, 20.0, 30.0, 45.0, 90.0]),
    fmt=st.sampled_from(["fit", "tcx", "gpx"]),
    device=st.booleans(),
    sport=st.sampled_from(list(Sport)),
    distance=st.sampled_from([668.0, 899.0, 5000.0]),
    samples=st.sampled_from([0, 60, 1800]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(origins, min_size=1, max_size=8), st.randoms(use_true_random=False))
def test_importing_the_same_files_in_any_order_gives_the_same_activities(files, random):
    shuffled = list(files)
    random.shuffle(shuffled)
    assert _kept_after(files) == _kept_after(shuffled)


@settings(max_examples=100, deadline=None)
@given(st.lists(origins, min_size=1, max_size=6))
def test_importing_everything_again_changes_nothing(files):
    assert _kept_after(files + files) == _kept_after(files)


def test_a_renamed_copy_of_a_file_is_merged_not_added():
    watch = origin(fmt="fit", device=True, name="watch.fit")
    plan = merge(replace(watch, name="copy.fit"), [(1, (watch,))])
    assert plan.outcome is Outcome.MERGED and len(plan.origins) == 2


@given(origins, st.lists(origins, min_size=0, max_size=6))
def test_a_merge_shows_the_richest_origins_figures_sport_and_name_in_one_order(new, others):
    plan = merge(new, [(1, tuple(others))] if others else [])
    together = {new, *others} if plan.outcome is not Outcome.ADDED else {new}
    assert set(plan.origins) == together
    assert plan.origins == in_order(together)
    assert plan.richest == richest(together)
    assert plan.sport is sport_of(together)
    assert plan.title == title_of(together)
