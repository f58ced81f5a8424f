"""Onboarding and red-flag screening: the only way a plan starts or resumes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kneecoach import definitions
from kneecoach.domain.advice import Advice
from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.journal import EARLIEST_DAY, check_not_too_early
from kneecoach.domain.profile import DEFAULT_SESSIONS_PER_WEEK, Knee, Profile
from kneecoach.domain.redflags import (
    RED_FLAG_KEYS,
    ScreeningResult,
    UnknownRedFlag,
    screen,
    signs_in_training,
)
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import Screening, StoredProfile

DEFAULT_EQUIPMENT = frozenset(
    {Equipment.LOW_BENCH, Equipment.WALL, Equipment.PAD, Equipment.RESISTANCE_BAND}
)
FIRST_START_YEAR = EARLIEST_DAY.year
"""A program starting before this year is taken as a typing mistake (``EARLIEST_DAY``)."""
LATEST_START = dt.timedelta(days=365)
"""A program may start at most a year from today: anything later is taken as a mistake."""


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
    """A complete answer set from the flags a person said yes to (every other one is no).
    Only the screen's own questions are answered here: a sign met in training (severe pain
    during a session, swelling at a check-in) is reported with the session or check-in."""
    keys = set(flagged)
    unknown = sorted(keys - set(RED_FLAG_KEYS))
    if unknown:
        raise UnknownRedFlag(f"unknown red flag '{unknown[0]}' (known: {', '.join(RED_FLAG_KEYS)})")
    return {key: key in keys for key in RED_FLAG_KEYS}


def check_start_date(start: dt.date, today: dt.date) -> dt.date:
    """A program's first day, refused when it can only be a typing mistake."""
    if start > today + LATEST_START:
        raise InvalidInput(f"the start date {start} is more than a year ahead")
    return check_not_too_early(start, "the start date")


def onboard(
    runner: RunnerContext, profile: Profile, red_flag_answers: dict[str, bool]
) -> Onboarded:
    """Keep the profile and the screen together: one write, so neither exists alone."""
    check_start_date(profile.start_date, runner.clock.today())
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


@dataclass(frozen=True, slots=True)
class ProfileView:
    """The profile as onboarding took it, in plain values: what every face shows of it."""

    affected_knee: str
    pain_at_rest: int
    pain_running: int
    equipment: tuple[str, ...]
    heaviest_dumbbell_kg: float | None
    sessions_per_week: int
    start_date: dt.date
    start_side: str

    @classmethod
    def of(cls, profile: Profile) -> ProfileView:
        return cls(
            affected_knee=profile.affected_knee.value,
            pain_at_rest=profile.pain_at_rest,
            pain_running=profile.pain_running,
            equipment=tuple(sorted(e.value for e in profile.equipment)),
            heaviest_dumbbell_kg=profile.heaviest_dumbbell_kg,
            sessions_per_week=profile.sessions_per_week,
            start_date=profile.start_date,
            start_side=profile.start_side.value,
        )


@dataclass(frozen=True, slots=True)
class ScreeningView:
    """The red-flag screen in force: the flags raised, whether the program goes on, and the
    advice with its source. ``taken_on`` is None before any screen was answered."""

    taken_on: dt.date | None
    red_flags: tuple[str, ...]
    program_active: bool
    advice: Advice

    @classmethod
    def of(cls, result: ScreeningResult, taken_on: dt.date | None) -> ScreeningView:
        return cls(
            taken_on,
            tuple(flag.key for flag in result.flagged),
            result.clear,
            Advice(result.advice, (result.source,)),
        )


@dataclass(frozen=True, slots=True)
class RunnerProfileView:
    """A runner's set-up: the profile, the program it runs, and the screen in force."""

    profile: ProfileView
    program: str
    screening: ScreeningView


def runner_profile(runner: RunnerContext) -> RunnerProfileView:
    """The profile and the screen in force (NotSetUp before onboarding). A read."""
    stored = runner.stored_profile()
    latest = runner.store.profile.latest_screening()
    result = latest.result if latest is not None else ScreeningResult(flagged=())
    return RunnerProfileView(
        ProfileView.of(stored.profile),
        stored.program_key,
        ScreeningView.of(result, None if latest is None else latest.taken_on),
    )
