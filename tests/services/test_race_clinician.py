"""The clinician's decisions on a runner's race plan, through the use cases on the
in-memory store: each kept with their name and audited, a hold that stands whatever the
runner changes, and a goal the clinician set that only a clinician changes."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kneecoach.domain.race import Call
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import onboarding, race
from kneecoach.services.context import Visitor
from kneecoach.services.ports import Conflict
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile, runner_on

SET_ON = MONDAY + dt.timedelta(weeks=6)
RACE_ON = SET_ON + dt.timedelta(weeks=12, days=6)
RECENT = (2, 5, 9, 12, 16, 19, 23, 26)
"""Days before the goal is set of a 5 km run each: 10 km a week, a 10 km race within reach."""


def _storage() -> MemoryStorage:
    storage = MemoryStorage()
    onboarding.onboard(
        runner_on(storage, MONDAY), profile(), onboarding.answers_from_flags([]), AgeBand.ADULT
    )
    return storage


def _clinician(storage: MemoryStorage, day: dt.date):
    return dataclasses.replace(runner_on(storage, day), visitor=Visitor(9, "dr lee", "10.0.0.1"))


def _runner_with_goal(storage: MemoryStorage):
    runner = runner_on(storage, SET_ON)
    race.set_goal(runner, RACE_ON, 10000.0, None)
    return runner


def _actions(storage: MemoryStorage, day: dt.date) -> list[str]:
    return [e.action for e in runner_on(storage, day).store.audit.entries()]


def test_a_clinicians_hold_stands_when_the_runner_changes_their_goal():
    storage = _storage()
    from tests.services.test_race import _activity, _add

    _add(storage, *(_activity(SET_ON - dt.timedelta(days=d), 5.0) for d in RECENT))
    _runner_with_goal(storage)
    held = race.decide(_clinician(storage, SET_ON + dt.timedelta(weeks=2)), Call.HOLD)
    assert held.held_by == "dr lee" and held.hold is not None
    later = SET_ON + dt.timedelta(weeks=3)
    changed = race.set_goal(
        runner_on(storage, later), RACE_ON + dt.timedelta(weeks=2), 21097.5, None
    )
    assert changed.held_by == "dr lee"
    assert changed.held_since == SET_ON + dt.timedelta(weeks=2)
    assert "do not lift the hold" in (changed.hold or "")
    ahead = [w for w in changed.weeks if w.kind not in ("taper", "race")]
    assert ahead and {w.kind for w in ahead} == {"held"}
    race.clear_goal(runner_on(storage, later))
    assert race.plan(runner_on(storage, later)).held_by == "dr lee"  # cleared goal, hold kept


def test_only_a_clinician_releases_the_hold_and_the_plan_builds_again():
    storage = _storage()
    _runner_with_goal(storage)
    race.decide(_clinician(storage, SET_ON), Call.HOLD)
    with pytest.raises(Conflict, match="only the runner's clinician"):
        race.decide(runner_on(storage, SET_ON), Call.RELEASE)
    with pytest.raises(Conflict, match="already held"):
        race.decide(_clinician(storage, SET_ON), Call.HOLD)
    released = race.decide(_clinician(storage, SET_ON + dt.timedelta(weeks=1)), Call.RELEASE)
    assert released.held_by is None and released.hold is None
    assert [c.call for c in released.calls] == ["hold", "release"]
    assert "held" not in {w.kind for w in released.weeks[1:]}
    with pytest.raises(Conflict, match="not held"):
        race.decide(_clinician(storage, SET_ON + dt.timedelta(weeks=1)), Call.RELEASE)


def test_a_goal_the_clinician_set_is_kept_with_their_name_and_the_runner_cannot_change_it():
    storage = _storage()
    clinician = _clinician(storage, SET_ON)
    view = race.set_goal(clinician, RACE_ON, 5000.0, 1500)
    assert view.goal is not None and view.goal.set_by == "dr lee"
    assert "only a clinician changes it" in (view.goal_locked or "")
    runner = runner_on(storage, SET_ON)
    with pytest.raises(Conflict, match="your clinician dr lee set this race goal"):
        race.set_goal(runner, RACE_ON, 42195.0, None)
    with pytest.raises(Conflict, match="only a clinician changes it"):
        race.clear_goal(runner)
    kept = race.plan(runner).goal
    assert kept is not None and kept.distance_m == 5000.0
    changed = race.set_goal(clinician, RACE_ON + dt.timedelta(weeks=1), 10000.0, None)
    assert changed.goal is not None and changed.goal.distance_m == 10000.0
    assert race.clear_goal(clinician)
    assert race.set_goal(runner, RACE_ON, 10000.0, None).goal_locked is None  # theirs again


def test_a_step_back_stays_when_the_runner_changes_the_race_after_it():
    storage = _storage()
    from tests.services.test_race import _activity, _add

    _add(storage, *(_activity(SET_ON - dt.timedelta(days=d), 5.0) for d in RECENT))
    _runner_with_goal(storage)
    ran = (SET_ON + dt.timedelta(weeks=w, days=d) for w in (0, 1) for d in (1, 3, 5))
    _add(storage, *(_activity(day, 5.0) for day in ran))  # the first two weeks run as planned
    day = SET_ON + dt.timedelta(weeks=2, days=1)
    before = race.plan(runner_on(storage, day))
    stepped = race.decide(_clinician(storage, day), Call.STEP_BACK)
    assert stepped.weeks[2].distance_km == before.weeks[1].distance_km
    assert stepped.weeks[2].distance_km < before.weeks[2].distance_km
    moved = race.set_goal(runner_on(storage, day), RACE_ON + dt.timedelta(weeks=1), 10000.0, None)
    assert moved.goal is not None and moved.goal.set_on == SET_ON  # the build-up it stepped
    assert moved.weeks[2].distance_km == stepped.weeks[2].distance_km


def test_every_clinicians_change_to_the_race_plan_is_audited_and_the_runners_own_are_not():
    storage = _storage()
    _runner_with_goal(storage)
    assert _actions(storage, SET_ON) == []
    clinician = _clinician(storage, SET_ON)
    race.set_goal(clinician, RACE_ON, 10000.0, None)
    race.decide(clinician, Call.STEP_BACK)
    race.decide(clinician, Call.HOLD)
    race.decide(clinician, Call.RELEASE)
    race.clear_goal(clinician)
    assert _actions(storage, SET_ON) == [
        "set the race goal",
        "stepped the race plan back",
        "held the race plan",
        "released the race plan",
        "stopped the race plan",
    ]
    entries = runner_on(storage, SET_ON).store.audit.entries()
    assert {e.actor_name for e in entries} == {"dr lee"}


def test_a_hold_or_step_back_needs_a_race_goal():
    storage = _storage()
    for call in (Call.HOLD, Call.STEP_BACK):
        with pytest.raises(Conflict, match="no race goal"):
            race.decide(_clinician(storage, SET_ON), call)
