"""Onboarding and red-flag screening: the only way a plan starts or resumes.

The screen is always the runner's to answer: until they have, the program waits for it. A
pause is lifted once a clinician has seen the runner — by the clinician who follows them,
or, for a runner no clinician follows, by the runner stating the day a clinician saw them
(domain.redflags). The weekly review never lifts a pause."""

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
    AKPS_DISLOCATION,
    LIFT_SOURCE,
    RED_FLAG_KEYS,
    UNANSWERED,
    AgeBand,
    LiftRefused,
    ScreeningResult,
    UnknownRedFlag,
    check_runner_lift,
    flags_answered,
    screen,
    signs_in_training,
)
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import Conflict, Screening, StoredProfile

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


def answers_from_screen(flagged: Iterable[str], none_of_these: bool = False) -> dict[str, bool]:
    """A complete answer set from a screen as a person ticked it: the flags, and 'none of
    these' (apart, or among the flags as ``none``); the two together are refused
    (``domain.redflags.flags_answered``)."""
    return answers_from_flags(flags_answered(list(flagged), none_of_these))


def check_start_date(start: dt.date, today: dt.date) -> dt.date:
    """A program's first day, refused when it can only be a typing mistake."""
    if start > today + LATEST_START:
        raise InvalidInput(f"the start date {start} is more than a year ahead")
    return check_not_too_early(start, "the start date")


def onboard(
    runner: RunnerContext,
    profile: Profile,
    red_flag_answers: dict[str, bool] | None,
    age: AgeBand | None = None,
) -> Onboarded:
    """Keep the profile and the screen together: one write, so neither exists alone.

    Without the runner's answers or their age band the screen is kept unanswered: the
    program waits for it (never a silent 'no'). A sign ticked pauses all the same: only a
    clear screen needs the age band (it may add a sign of its own), a sign needs nothing
    more to send the runner to a clinician."""
    check_start_date(profile.start_date, runner.clock.today())
    if red_flag_answers is None or age is None:
        # unknown keys refused
        judged = screen(red_flag_answers or dict.fromkeys(RED_FLAG_KEYS, False))
        result = judged if _paused(judged) else UNANSWERED
    else:
        result = screen(red_flag_answers, age)
    replaced = runner.store.profile.get() is not None
    was_paused = replaced and _paused(current_screening(runner))
    if was_paused and not _paused(result):
        raise Conflict(_no_lift_by_setting_up(runner))
    runner.store.profile.save(
        StoredProfile(profile, definitions.DEFAULT_PROGRAM),
        Screening(runner.clock.today(), result, age.value if age else None),
    )
    runner.forget_profile()
    _tell_if_paused_now(runner, was_paused, result)
    return Onboarded(profile, result, replaced)


def _no_lift_by_setting_up(runner: RunnerContext) -> str:
    """Why setting up again cannot end a pause, and what does: a new profile with a clear
    screen would otherwise lift it without the clinician (issue: who lifts a pause)."""
    how = (
        "the clinician who follows you lifts it"
        if runner.store.profile.followed_by_clinician()
        else "answer the red-flag screen again with the day a clinician saw you"
    )
    return (
        "the program is paused, and setting up a new profile does not lift a pause: "
        f"{how}; then change your profile"
    )


def _paused(result: ScreeningResult) -> bool:
    return result.status == "paused"


def _tell_if_paused_now(runner: RunnerContext, was_paused: bool, result: ScreeningResult) -> None:
    """A pause that begins now is told to the runner's clinicians (services.care_alerts)."""
    from kneecoach.services.care_alerts import CareAlert, tell_when_begun

    tell_when_begun(
        runner.care_team,
        runner.store.notices,
        runner.user_id,
        CareAlert.PAUSED,
        before=was_paused,
        after=_paused(result),
    )


def rescreen(
    runner: RunnerContext,
    red_flag_answers: dict[str, bool],
    age: AgeBand | None = None,
    seen_clinician_on: dt.date | None = None,
) -> ScreeningResult:
    """Answer the red-flag screen again. A flag pauses the program. An all-clear screen
    resumes a paused one only as the lifting rule allows (LiftRefused otherwise; Conflict
    when it is the clinician's to lift); the first answer needs the age band."""
    runner.stored_profile()
    latest = runner.store.profile.latest_screening()
    before = latest.result if latest is not None else UNANSWERED
    known_age = latest.age_band if latest is not None else None
    if age is None and known_age is None:
        raise InvalidInput(f"the age band is missing: one of {', '.join(a.value for a in AgeBand)}")
    # the age branch is judged when the band is first given or changes
    new_age = age if age is not None and age.value != known_age else None
    result = screen(red_flag_answers, new_age)
    band = age.value if age is not None else known_age
    lifted_by = None
    if result.clear and before.answered and not before.clear:
        assert latest is not None
        try:
            check_runner_lift(
                latest.taken_on,
                followed=runner.store.profile.followed_by_clinician(),
                seen_clinician_on=seen_clinician_on,
                today=runner.clock.today(),
            )
        except LiftRefused as refused:
            if refused.clinicians_call:
                raise Conflict(str(refused)) from None
            raise
        lifted_by = "runner"
    runner.store.profile.add_screening(
        Screening(
            runner.clock.today(),
            result,
            band,
            lifted_by,
            seen_clinician_on if lifted_by else None,
        )
    )
    _tell_if_paused_now(runner, _paused(before), result)
    return result


def lift_pause(runner: RunnerContext, clinician: str) -> ScreeningResult:
    """The clinician who follows the runner lifts a pause (whom the caller has checked),
    recorded with their name and the day. Conflict when the program is not paused: the
    screen, unanswered, is the runner's to answer."""
    runner.stored_profile()
    latest = runner.store.profile.latest_screening()
    if latest is None or latest.result.clear or not latest.result.answered:
        raise Conflict(
            "the program is not paused: nothing to lift"
            if latest is None or latest.result.clear
            else "the runner has not answered the red-flag screen yet: it is theirs to answer"
        )
    # a runner who never answered the screen (no age band yet) still answers it after
    result = ScreeningResult(flagged=()) if latest.age_band else UNANSWERED
    from kneecoach.services import audit

    with runner.store.transaction():
        runner.store.profile.add_screening(
            Screening(runner.clock.today(), result, latest.age_band, clinician)
        )
        audit.changed(runner, "lifted the pause")
    return result


def review_screen(runner: RunnerContext, red_flag_answers: dict[str, bool]) -> None:
    """The weekly review's screen: a flag pauses the program; all 'no' writes nothing, so the
    review never lifts a pause (nor answers an unanswered screen without the age band)."""
    runner.stored_profile()
    result = screen(red_flag_answers)
    if result.flagged:
        latest = runner.store.profile.latest_screening()
        runner.store.profile.add_screening(
            Screening(runner.clock.today(), result, latest.age_band if latest else None)
        )
        _tell_if_paused_now(runner, latest is not None and _paused(latest.result), result)


def age_band_known(runner: RunnerContext) -> bool:
    """Whether the runner's age band was answered (the screen asks it once)."""
    latest = runner.store.profile.latest_screening()
    return latest is not None and latest.age_band is not None


def current_screening(runner: RunnerContext) -> ScreeningResult:
    latest = runner.store.profile.latest_screening()
    return latest.result if latest is not None else UNANSWERED


def pause_on_signs(
    runner: RunnerContext,
    pain_during: int | None = None,
    swelling: bool = False,
    *,
    run: bool = False,
    pain_morning: int | None = None,
) -> ScreeningResult | None:
    """Pause the program when a session, a run (``run``) or a check-in (its swelling or
    ``pain_morning``) shows a pause sign; returns the pause.

    The pause is dated the day it is reported, whatever day the session or run was.
    """
    result = signs_in_training(pain_during, swelling, run=run, pain_morning=pain_morning)
    if result.clear:
        return None
    _pause(runner, result)
    return result


def pause_on_dislocation(runner: RunnerContext) -> ScreeningResult:
    """The AKPS answered with a documented kneecap dislocation: a red flag, so a pause."""
    result = ScreeningResult(flagged=(AKPS_DISLOCATION,))
    _pause(runner, result)
    return result


def _pause(runner: RunnerContext, result: ScreeningResult) -> None:
    """Keep a pause, even over an unanswered screen: a pause is never lost."""
    latest = runner.store.profile.latest_screening()
    runner.store.profile.add_screening(
        Screening(runner.clock.today(), result, latest.age_band if latest else None)
    )
    _tell_if_paused_now(runner, latest is not None and _paused(latest.result), result)


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
    status: str = "clear"
    """'screen' (waiting for the runner's answers), 'paused' or 'clear'."""
    age_band: str | None = None
    lifted_by: str | None = None
    """Who lifted the last pause with this screen (a clinician's name, or 'runner')."""
    seen_clinician_on: dt.date | None = None
    lifts: str | None = None
    """While paused, who may lift the pause: 'clinician' or 'runner' (stating the day a
    clinician saw them)."""
    lift_rule: Advice | None = None

    @classmethod
    def of(
        cls,
        result: ScreeningResult,
        taken_on: dt.date | None,
        kept: Screening | None = None,
        followed: bool = False,
    ) -> ScreeningView:
        paused = result.answered and not result.clear
        return cls(
            taken_on,
            tuple(flag.key for flag in result.flagged),
            result.clear,
            Advice(result.advice, (result.source,)),
            result.status,
            kept.age_band if kept else None,
            kept.lifted_by if kept else None,
            kept.seen_clinician_on if kept else None,
            ("clinician" if followed else "runner") if paused else None,
            Advice(
                "Your clinician lifts the pause once they have seen you."
                if followed
                else "Once a clinician has seen you, lift the pause by stating the day.",
                (LIFT_SOURCE,),
            )
            if paused
            else None,
        )


def screening_view(runner: RunnerContext) -> ScreeningView:
    """The screen in force, with who may lift a pause. A read."""
    latest = runner.store.profile.latest_screening()
    result = latest.result if latest is not None else UNANSWERED
    return ScreeningView.of(
        result,
        None if latest is None else latest.taken_on,
        latest,
        runner.store.profile.followed_by_clinician(),
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
    return RunnerProfileView(
        ProfileView.of(stored.profile), stored.program_key, screening_view(runner)
    )
