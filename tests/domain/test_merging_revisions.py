"""One origin of an activity changed or gone (a Strava copy renamed, given another sport, or
deleted): the activity keeps the rest, and its sport and name follow the merge rule."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from kneecoach.domain.activity import Sport
from kneecoach.domain.merging import Origin, edited, in_order, sport_of, title_of, without

START = dt.datetime(2026, 11, 20, 7, 0, tzinfo=dt.UTC)


def _origin(name: str, fmt: str, sport: Sport = Sport.RUN, title: str = "", shift: int = 0):
    return Origin(
        name=name,
        format=fmt,
        sport=sport,
        start=START + dt.timedelta(seconds=shift),
        elapsed_s=1800.0,
        distance_m=5000.0,
        device_distance=fmt != "gpx",
        samples=180,
        title=title,
    )


STRAVA = _origin("strava/42", "strava", title="Morning Run")
WATCH = _origin("watch.fit", "fit", shift=3)
PHONE = _origin("phone.gpx", "gpx", title="Park loop", shift=-5)


def test_an_activity_only_strava_gave_goes_when_strava_deletes_it():
    revision = without((STRAVA,), "strava/42")
    assert revision is not None and revision.gone and revision.origins == ()


def test_an_activity_a_file_also_gave_stays_with_the_files_name_and_sport():
    revision = without(in_order((STRAVA, PHONE)), "strava/42")
    assert revision is not None and not revision.gone
    assert revision.origins == (PHONE,)
    assert revision.title == "Park loop" and revision.sport is Sport.RUN


def test_a_source_the_activity_does_not_hold_changes_nothing():
    assert without((STRAVA, PHONE), "strava/43") is None
    assert edited((STRAVA,), "strava/43", title="x") is None


def test_a_rename_on_strava_names_the_activity_when_strava_is_its_richest_named_source():
    revision = edited(in_order((STRAVA, PHONE)), "strava/42", title="Tempo")
    assert revision is not None and revision.title == "Tempo"
    assert {o.name for o in revision.origins} == {"strava/42", "phone.gpx"}


def test_a_new_sport_on_strava_follows_unless_a_richer_file_names_one():
    alone = edited((STRAVA,), "strava/42", sport=Sport.CYCLE)
    assert alone is not None and alone.sport is Sport.CYCLE
    with_watch = edited(in_order((STRAVA, WATCH)), "strava/42", sport=Sport.CYCLE)
    assert with_watch is not None and with_watch.sport is Sport.RUN  # the watch's FIT ranks first


origins = st.lists(
    st.builds(
        _origin,
        name=st.sampled_from(["strava/1", "a.fit", "b.tcx", "c.gpx", "strava/2"]),
        fmt=st.sampled_from(["fit", "tcx", "strava", "gpx"]),
        sport=st.sampled_from(list(Sport)),
        title=st.sampled_from(["", "Run", "Lunch"]),
        shift=st.integers(-60, 60),
    ),
    min_size=1,
    max_size=5,
    unique_by=lambda o: o.name,
)


@given(origins, st.data())
def test_without_an_origin_is_the_merge_of_the_rest_in_any_order(found, data):
    name = data.draw(st.sampled_from([o.name for o in found]))
    shuffled = data.draw(st.permutations(found))
    revision = without(shuffled, name)
    rest = [o for o in found if o.name != name]
    assert revision is not None
    assert revision == without(found, name)
    assert revision.origins == in_order(rest)
    if rest:
        assert revision.sport is sport_of(rest) and revision.title == title_of(rest)


@given(origins, st.data(), st.sampled_from(list(Sport)), st.text(max_size=20))
def test_an_edit_is_the_merge_as_if_the_source_had_said_so(found, data, sport, title):
    name = data.draw(st.sampled_from([o.name for o in found]))
    revision = edited(found, name, title=title, sport=sport)
    assert revision is not None
    changed = [replace(o, title=title, sport=sport) if o.name == name else o for o in found]
    assert revision.origins == in_order(changed)
    assert revision.sport is sport_of(changed) and revision.title == title_of(changed)
