"""Onboarding and red-flag screening: the only way a plan starts or resumes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kneecoach import definitions
from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.profile import DEFAULT_SESSIONS_PER_WEEK, Knee, Profile
from kneecoach.domain.redflags import (
    RED_FLAG_KEYS,
    ScreeningResult,
    red_flag,
    screen,
    signs_in_training,
)
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import Screening, StoredProfile

DEFAULT_EQUIPMENT = frozenset(
    {Equipment.LOW_BENCH, Equipment.WALL, Equipment.PAD, Equipment.RESISTANCE_BAND}
)


@dataclass(frozen=True, slots=True)
class Onboarded:
    profile: Profile
    screening: ScreeningResult
    replaced: bool


def default_profile(start: dt.date) -> Profile:
    """The documented profile of ``kneecoach init --defaults`` (see the README)."""
    return Profile(
        affected_knee=Knee.BOTH,
        pain_at_rest=0,
        pain_running=3,
        equipment=DEFAULT_EQUIPMENT,
        sessions_per_week=DEFAULT_SESSIONS_PER_WEEK,
        start_date=start,
    )


def answers_from_flags(flagged: Iterable[str]) -> dict[str, bool]:
    """A complete answer set from the flags a person said yes to (every other one is no)."""
    keys = {red_flag(key).key for key in flagged}
    return {key: key in keys for key in RED_FLAG_KEYS}


def onboard(
    runner: RunnerContext, profile: Profile, red_flag_answers: dict[str, bool]
) -> Onboarded:
    """Keep the profile and the screen together: one write, so neither exists alone."""
    result = screen(red_flag_answers)
    replaced = runner.store.profile.get() is not None
    runner.store.profile.save(
        StoredProfile(profile, definitions.DEFAULT_PROGRAM),
        Screening(runner.clock.today(), result),
    )
    runner.forget_profile()
    return Onboarded(profile, result, replaced)


def rescreen(runner: RunnerContext, red_flag_answers: dict[str, bool]) -> ScreeningResult:
    """Answer the red-flag screen again; an all-clear screen resumes a paused plan."""
    runner.stored_profile()
    result = screen(red_flag_answers)
    runner.store.profile.add_screening(Screening(runner.clock.today(), result))
    return result


def current_screening(runner: RunnerContext) -> ScreeningResult:
    latest = runner.store.profile.latest_screening()
    return latest.result if latest is not None else ScreeningResult(flagged=())


def pause_on_signs(
    runner: RunnerContext, pain_during: int | None = None, swelling: bool = False
) -> ScreeningResult | None:
    """Pause the program when a session or check-in shows a pause sign; returns the pause.

    The pause is dated the day it is reported, whatever day the session was.
    """
    result = signs_in_training(pain_during, swelling)
    if result.clear:
        return None
    runner.store.profile.add_screening(Screening(runner.clock.today(), result))
    return result
