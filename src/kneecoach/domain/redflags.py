"""Red-flag screening: signs that need a clinician before any exercise program.

These are standard screening questions shown as advice, not a diagnosis. One 'yes' pauses
the program until the screen is answered again with every answer 'no'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

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
)

RED_FLAG_KEYS: tuple[str, ...] = tuple(flag.key for flag in RED_FLAGS)

SEVERE_SESSION_PAIN = 7
"""Pain of 7/10 or more during a session pauses the program (kneecoach default built on the
pain-monitoring model: well past its ceiling of 5; not part of red-flag screening)."""

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
)
"""Signs met while training (not asked in the screen) that pause the program the same way."""


class UnknownRedFlag(InvalidInput):
    pass


def red_flag(key: str) -> RedFlag:
    for flag in (*RED_FLAGS, *PAUSE_SIGNS):
        if flag.key == key:
            return flag
    raise UnknownRedFlag(f"unknown red flag '{key}' (known: {', '.join(RED_FLAG_KEYS)})")


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """The outcome of one screen: which flags were raised, and whether exercise may go on."""

    flagged: tuple[RedFlag, ...]

    @property
    def source(self) -> Source:
        """Where the pause comes from: red-flag screening, or the kneecoach default of severe
        pain during a session (a session's pain and a check-in's swelling pause apart)."""
        return self.flagged[0].source if self.flagged else RED_FLAG_SCREENING

    @property
    def clear(self) -> bool:
        return not self.flagged

    @property
    def advice(self) -> str:
        if self.clear:
            return "No red flags: the program can go ahead."
        signs = "; ".join(flag.short for flag in self.flagged)
        return (
            f"Red flag{'s' if len(self.flagged) > 1 else ''}: {signs}. "
            "Please see a clinician (a physiotherapist or doctor) before you start or go on "
            "with the exercises. Your program is paused; once a clinician has seen you, "
            "answer the screen again with 'kneecoach screen' to resume."
        )


def screen(answers: Mapping[str, bool]) -> ScreeningResult:
    """Screen a complete set of yes/no answers; every question must be answered."""
    unknown = sorted(set(answers) - set(RED_FLAG_KEYS))
    if unknown:
        raise UnknownRedFlag(f"unknown red flag '{unknown[0]}' (known: {', '.join(RED_FLAG_KEYS)})")
    missing = [key for key in RED_FLAG_KEYS if key not in answers]
    if missing:
        raise UnknownRedFlag(f"red-flag question '{missing[0]}' was not answered")
    return ScreeningResult(flagged=tuple(f for f in RED_FLAGS if answers[f.key]))


def signs_in_training(pain_during: int | None = None, swelling: bool = False) -> ScreeningResult:
    """The pause signs a session or a check-in shows: severe pain during, or swelling."""
    flagged = []
    if pain_during is not None and pain_during >= SEVERE_SESSION_PAIN:
        flagged.append(PAUSE_SIGNS[0])
    if swelling:
        flagged.append(PAUSE_SIGNS[1])
    return ScreeningResult(flagged=tuple(flagged))
