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
from kneecoach.services.context import Coach
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


def onboard(coach: Coach, profile: Profile, red_flag_answers: dict[str, bool]) -> Onboarded:
    """Keep the profile and the screen together: one write, so neither exists alone."""
    result = screen(red_flag_answers)
    replaced = coach.repository.profile(coach.user_id) is not None
    coach.repository.save_profile(
        coach.user_id,
        StoredProfile(profile, definitions.DEFAULT_PROGRAM),
        Screening(coach.clock.today(), result),
    )
    coach.forget_profile()
    return Onboarded(profile, result, replaced)


def rescreen(coach: Coach, red_flag_answers: dict[str, bool]) -> ScreeningResult:
    """Answer the red-flag screen again; an all-clear screen resumes a paused plan."""
    coach.stored_profile()
    result = screen(red_flag_answers)
    coach.repository.add_screening(coach.user_id, Screening(coach.clock.today(), result))
    return result


def current_screening(coach: Coach) -> ScreeningResult:
    latest = coach.repository.latest_screening(coach.user_id)
    return latest.result if latest is not None else ScreeningResult(flagged=())


def pause_on_signs(
    coach: Coach, pain_during: int | None = None, swelling: bool = False
) -> ScreeningResult | None:
    """Pause the program when a session or check-in shows a pause sign; returns the pause.

    The pause is dated the day it is reported, whatever day the session was.
    """
    result = signs_in_training(pain_during, swelling)
    if result.clear:
        return None
    coach.repository.add_screening(coach.user_id, Screening(coach.clock.today(), result))
    return result
