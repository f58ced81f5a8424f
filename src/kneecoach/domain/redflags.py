"""Red-flag screening: signs that need a clinician before any exercise program.

These are standard screening questions shown as advice, not a diagnosis (evidence.md §7),
and the age branch: under 16 or over 50, a clinician should see the knee first. One 'yes'
pauses the program. A pause is lifted only once a clinician has seen the runner: by the
clinician who follows them, or — for a runner no clinician follows — by the runner stating
the day a clinician saw them (kneecoach default). The screen is always answered by the
runner: until it is, the program waits for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import PRODUCT_DEFAULT, RED_FLAG_SCREENING, Source


@dataclass(frozen=True, slots=True)
class RedFlag:
    key: str
    question: str
    short: str
    source: Source = RED_FLAG_SCREENING
    """Where the sign comes from: standard red-flag screening, or a kneecoach default."""


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "swelling",
        "Does your knee swell after everyday activities, or is it swollen all the time?",
        "knee swelling after daily activities or all the time",
    ),
    RedFlag("locking", "Does your knee lock or get stuck?", "the knee locks"),
    RedFlag("giving-way", "Does your knee give way under you?", "the knee gives way"),
    RedFlag(
        "fall-or-twist",
        "Did the pain start after a fall or a twist of the knee?",
        "pain after a fall or a twist",
    ),
    RedFlag(
        "severe-or-night-pain",
        "Is the pain constant and severe, or does it wake you at night?",
        "constant severe pain or night pain",
    ),
    RedFlag(
        "fever-hot-knee",
        "Do you have a fever together with a hot, swollen knee?",
        "fever with a hot, swollen knee",
    ),
    RedFlag(
        "numbness",
        "Do you feel numbness or tingling in the leg or foot?",
        "numbness or tingling",
    ),
    RedFlag(
        "unable-to-bear-weight",
        "Are you unable to put your weight on the leg?",
        "unable to bear weight",
    ),
    RedFlag(
        "dislocation",
        "Has your kneecap ever dislocated (slipped out of place)?",
        "a kneecap that has dislocated",
    ),
    RedFlag(
        "unwell",
        "Have you had unexplained weight loss or night sweats, or do you feel unwell?",
        "unexplained weight loss, night sweats or feeling unwell",
    ),
    RedFlag(
        "hot-calf",
        "Is your calf swollen, tender or hot?",
        "a swollen, tender or hot calf",
    ),
)

RED_FLAG_KEYS: tuple[str, ...] = tuple(flag.key for flag in RED_FLAGS)

SEVERE_SESSION_PAIN = 7
"""Pain of 7/10 or more during a session pauses the program (kneecoach default built on the
pain-monitoring model: well past its ceiling of 5; not part of red-flag screening)."""

SEVERE_MORNING_PAIN = SEVERE_SESSION_PAIN
"""Next-morning pain of 7/10 or more at a check-in pauses the program (kneecoach default
built on the pain-monitoring model, whose pain must have settled by the next morning: the
same severe line as a session's; the red-flag screen names constant severe pain). Less
only judges the session before it (a morning worse than before it steps back)."""

PAUSE_SIGNS: tuple[RedFlag, ...] = (
    RedFlag(
        "severe-session-pain",
        "Did knee pain reach 7/10 or more during the session?",
        f"knee pain of {SEVERE_SESSION_PAIN}/10 or more during a session",
        PRODUCT_DEFAULT,
    ),
    RedFlag(
        "swelling-reported",
        "Is the knee swollen this morning?",
        "knee swelling reported at a check-in",
    ),
    RedFlag(
        "severe-run-pain",
        "Did knee pain reach 7/10 or more during the run?",
        f"knee pain of {SEVERE_SESSION_PAIN}/10 or more during a run",
        PRODUCT_DEFAULT,
    ),
    RedFlag(
        "severe-morning-pain",
        "Is knee pain 7/10 or more this morning?",
        f"knee pain of {SEVERE_MORNING_PAIN}/10 or more on the morning of a check-in",
        PRODUCT_DEFAULT,
    ),
)
"""Signs met while training (not asked in the screen) that pause the program the same way."""

AKPS_DISLOCATION = RedFlag(
    "akps-dislocation",
    "Kujala AKPS: at least one documented kneecap dislocation",
    "a documented kneecap dislocation (answered in the Kujala AKPS)",
)
"""The AKPS's answer of a documented dislocation pauses the program as the screen's does."""


class AgeBand(StrEnum):
    """The runner's age, in the bands the screen asks for (evidence.md §7)."""

    UNDER_16 = "under-16"
    ADULT = "16-50"
    OVER_50 = "over-50"


AGE_BAND_KEYS: tuple[str, ...] = tuple(band.value for band in AgeBand)

AGE_SIGNS: dict[AgeBand, RedFlag] = {
    AgeBand.UNDER_16: RedFlag(
        "age-under-16",
        "Are you under 16?",
        "under 16: in children and adolescents knee pain can come from the hip (slipped "
        "capital femoral epiphysis — urgent with a limp or hip or groin pain) or from the "
        "growth plates (Osgood-Schlatter, Sinding-Larsen-Johansson); see a clinician first",
    ),
    AgeBand.OVER_50: RedFlag(
        "age-over-50",
        "Are you over 50?",
        "over 50: knee pain is more often patellofemoral or knee osteoarthritis; a "
        "clinician should confirm it before a runner's-knee program; see a clinician first",
    ),
}
"""The age branch: under 16 or over 50, see a clinician before the program."""


def age_band(value: str) -> AgeBand:
    try:
        return AgeBand(value.strip().lower())
    except ValueError:
        raise InvalidInput(
            f"the age band must be one of {', '.join(AGE_BAND_KEYS)}, not '{value}'"
        ) from None


class UnknownRedFlag(InvalidInput):
    pass


NONE_OF_THESE = "none"
"""The screen's 'none of these apply to me', where it is given among the flags (``--red-flag
none``, ``"red_flags": ["none"]``)."""


class ContradictoryScreen(InvalidInput):
    """'None of these apply to me' given together with a red flag: neither can stand."""


def flags_answered(flagged: list[str], none_of_these: bool = False) -> list[str]:
    """The red flags a person said yes to, from what they ticked: the flags, and 'none of
    these' (given apart, or among the flags as ``none``). 'None of these' with a flag
    ticked contradicts itself and is refused, naming the flag: a red flag must never be
    lost to a stray 'none', nor 'none' read as a yes."""
    flags = [key for key in flagged if key != NONE_OF_THESE]
    none = none_of_these or len(flags) < len(flagged)
    if none and flags:
        known = {flag.key: flag.short for flag in RED_FLAGS}
        ticked = "; ".join(f"{key} ({known[key]})" if key in known else key for key in flags)
        raise ContradictoryScreen(
            f"'none of these apply to me' cannot go with a red flag ticked: {ticked}. "
            "Untick the red flag, or untick 'none of these'"
        )
    return flags


def red_flag(key: str) -> RedFlag:
    for flag in (*RED_FLAGS, *PAUSE_SIGNS, AKPS_DISLOCATION, *AGE_SIGNS.values()):
        if flag.key == key:
            return flag
    raise UnknownRedFlag(f"unknown red flag '{key}' (known: {', '.join(RED_FLAG_KEYS)})")


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """The outcome of one screen: which flags were raised, and whether exercise may go on."""

    flagged: tuple[RedFlag, ...]
    answered: bool = True
    """False until the runner has answered the screen: the program waits for it."""

    @property
    def source(self) -> Source:
        """Where the pause comes from: red-flag screening, or the kneecoach default of severe
        pain during a session (a session's pain and a check-in's swelling pause apart)."""
        return self.flagged[0].source if self.flagged else RED_FLAG_SCREENING

    @property
    def clear(self) -> bool:
        return self.answered and not self.flagged

    @property
    def status(self) -> str:
        """'screen' until answered, 'paused' with a flag, else 'clear'."""
        if not self.answered:
            return "screen"
        return "paused" if self.flagged else "clear"

    @property
    def advice(self) -> str:
        if not self.answered:
            return (
                "Answer the red-flag screen first: a few yes/no questions and your age band. "
                "The program waits for your answers."
            )
        if self.clear:
            return "No red flags: the program can go ahead."
        signs = "; ".join(flag.short for flag in self.flagged)
        # a red flag is the screen's (or swelling); severe pain is kneecoach's own pause sign
        red = sum(1 for flag in self.flagged if flag.source is not PRODUCT_DEFAULT)
        said = f"Red flag{'s' if red > 1 else ''}: {signs}. " if red else f"Paused for {signs}. "
        return (
            f"{said}"
            "Please see a clinician (a physiotherapist or doctor) before you start or go on "
            "with the exercises. Your program is paused until a clinician has seen you: the "
            "clinician who follows you lifts the pause, or, if none does, you state the day a "
            "clinician saw you."
        )


UNANSWERED = ScreeningResult(flagged=(), answered=False)
"""The screen not answered yet: the program waits for it."""


def session_refusal(
    result: ScreeningResult, screened_on: dt.date | None, day: dt.date
) -> str | None:
    """Why a session done on ``day`` cannot be kept now, or None when it can.

    A pause means pause: while the program is paused by a flag, no session of the day the
    pause began or later is kept — sessions done before it may still be written into the
    history. ``screened_on`` is the day of the screen (or pause) in force. A screen not yet
    answered asks for the answers on Today; a session done meanwhile is kept, so that a pain
    met in it still pauses.
    """
    if result.clear or not result.answered:
        return None
    if screened_on is not None and day < screened_on:
        return None
    return f"The session is not kept: the program is paused. {result.advice}"


def screen(answers: Mapping[str, bool], age: AgeBand | None = None) -> ScreeningResult:
    """Screen a complete set of yes/no answers (every question must be answered), and the
    age band when it is given (under 16 or over 50: see a clinician first)."""
    unknown = sorted(set(answers) - set(RED_FLAG_KEYS))
    if unknown:
        raise UnknownRedFlag(f"unknown red flag '{unknown[0]}' (known: {', '.join(RED_FLAG_KEYS)})")
    missing = [key for key in RED_FLAG_KEYS if key not in answers]
    if missing:
        raise UnknownRedFlag(f"red-flag question '{missing[0]}' was not answered")
    flagged = [f for f in RED_FLAGS if answers[f.key]]
    if age is not None and age in AGE_SIGNS:
        flagged.append(AGE_SIGNS[age])
    return ScreeningResult(flagged=tuple(flagged))


LIFT_SOURCE: Source = PRODUCT_DEFAULT
"""Who may lift a pause (the clinician who follows a runner; otherwise the runner, stating
the day a clinician saw them) is kneecoach's rule: the screen says to see a clinician."""


class LiftRefused(InvalidInput):
    """A pause that this person may not lift now, and why."""

    def __init__(self, message: str, *, clinicians_call: bool) -> None:
        super().__init__(message)
        self.clinicians_call = clinicians_call
        """True when the pause is the clinician's to lift (not a mistake in the answer)."""


def check_runner_lift(
    paused_on: dt.date, *, followed: bool, seen_clinician_on: dt.date | None, today: dt.date
) -> None:
    """Whether a runner's all-clear screen may lift the pause that began on ``paused_on``:
    never for a runner a clinician follows (the clinician lifts it); otherwise only stating
    the day a clinician saw them, on or after the pause began and not in the future."""
    if followed:
        raise LiftRefused(
            "your clinician follows you, so your clinician lifts the pause once they have "
            "seen you; your answers were not taken as lifting it",
            clinicians_call=True,
        )
    if seen_clinician_on is None:
        raise LiftRefused(
            "the program is paused: to lift the pause, state the day a clinician saw you",
            clinicians_call=False,
        )
    if seen_clinician_on > today:
        raise LiftRefused(
            f"the day a clinician saw you ({seen_clinician_on.isoformat()}) is in the future",
            clinicians_call=False,
        )
    if seen_clinician_on < paused_on:
        raise LiftRefused(
            f"the pause began on {paused_on.isoformat()}: a clinician must have seen you on "
            f"or after that day, not on {seen_clinician_on.isoformat()}",
            clinicians_call=False,
        )


def signs_in_training(
    pain_during: int | None = None,
    swelling: bool = False,
    *,
    run: bool = False,
    pain_morning: int | None = None,
) -> ScreeningResult:
    """The pause signs a session, a run or a check-in shows: severe pain during (named as
    the session's or the run's), swelling, or severe pain on the morning of a check-in."""
    flagged = []
    if pain_during is not None and pain_during >= SEVERE_SESSION_PAIN:
        flagged.append(PAUSE_SIGNS[2] if run else PAUSE_SIGNS[0])
    if swelling:
        flagged.append(PAUSE_SIGNS[1])
    if pain_morning is not None and pain_morning >= SEVERE_MORNING_PAIN:
        flagged.append(PAUSE_SIGNS[3])
    return ScreeningResult(flagged=tuple(flagged))
