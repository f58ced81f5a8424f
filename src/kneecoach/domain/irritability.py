"""How irritable the knee is now: from how it has answered lately, not only from onboarding.

An irritable knee is eased (the kneeling fire hydrant, body weight only). The onboarding
answers say how the knee was when the runner started; the check-ins and sessions since say
how it is now, so a knee that settles is no longer eased and one that flares is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kneecoach.domain.advice import Advice
from kneecoach.domain.evidence import PRODUCT_DEFAULT, Source
from kneecoach.domain.journal import Checkin, SessionPain
from kneecoach.domain.pain import (
    ACCEPTABLE_PAIN_DURING,
    MODEL,
    Band,
    most_painful,
    pain_during_band,
)
from kneecoach.domain.profile import (
    HIGH_PAIN_AT_REST,
    HIGH_PAIN_RUNNING,
    HIGH_PAIN_SOURCE,
    Profile,
)

RECENT_DAYS = 14
"""kneecoach default: the knee's last two weeks say how it is now."""


@dataclass(frozen=True, slots=True)
class Irritability:
    """Whether the knee is irritable on a day, and what says so."""

    irritable: bool
    reason: str
    sources: tuple[Source, ...]


def from_onboarding(profile: Profile) -> Irritability:
    """Irritability from the onboarding answers alone: pain at rest above 2/10 or when
    running above 5/10."""
    high = profile.pain_is_high
    return Irritability(
        high,
        "your knee pain is high" if high else "your knee pain is not high",
        (HIGH_PAIN_SOURCE,),
    )


def irritability(
    day: dt.date,
    profile: Profile,
    checkins: Sequence[Checkin],
    sessions: Sequence[SessionPain],
    name: Callable[[str], str] = str,
) -> Irritability:
    """The knee is irritable when its morning pain over the last ``RECENT_DAYS`` averages
    above the pain-monitoring model's ideal at rest (2/10), or a session in those days hurt
    above what the model accepts during exercise (5/10). Without a check-in or a session in
    those days, the onboarding answers (pain at rest and when running) still stand.

    How much a session hurt is the most pain felt in it, the session's figure or any one
    exercise's (``SessionPain.peak_pain``): the model judges each exercise by its own pain,
    so an exercise that hurt 6/10 in a session rated 3/10 overall was a session that hurt,
    and the reason names it (``name``: an exercise's name).
    """
    first = day - dt.timedelta(days=RECENT_DAYS)
    mornings = [c.pain_morning for c in checkins if first <= c.date < day]
    recent = [s for s in sessions if first <= s.performed_on < day]
    sources = (HIGH_PAIN_SOURCE, PRODUCT_DEFAULT)
    if not mornings and not recent:
        return from_onboarding(profile)
    worst = max(recent, key=lambda s: s.peak_pain, default=None)
    if worst is not None and worst.peak_pain > HIGH_PAIN_RUNNING:
        return Irritability(True, _hurt(worst, name), sources)
    if mornings:
        average = sum(mornings) / len(mornings)
        return Irritability(
            average > HIGH_PAIN_AT_REST,
            f"your morning pain averaged {average:.1f}/10 over the last {RECENT_DAYS} days",
            sources,
        )
    return Irritability(
        False, f"your sessions in the last {RECENT_DAYS} days were not painful", sources
    )


def _hurt(session: SessionPain, name: Callable[[str], str]) -> str:
    """Why a session makes the knee irritable: its pain, or the exercise that hurt more."""
    when = f"on {session.performed_on:%a %d %b}"
    exercise = most_painful(session.exercise_pain)
    if exercise is not None and exercise[1] > session.pain_during:
        return f"{name(exercise[0])} hurt {exercise[1]}/10 during the session {when}"
    return f"a session {when} hurt {session.pain_during}/10 during"


def hurt_so_far(
    exercise_pain: Sequence[tuple[str, int]],
    day: dt.date,
    today: dt.date,
    name: Callable[[str], str] = str,
    *,
    last_done: dt.date | None = None,
) -> Advice | None:
    """The most pain reported during an exercise of a session not finished (kept on
    ``day``), when it was too much by the model (above 5/10): the runner was told so at
    once, and the clinician should know before any session's end judges it. Told while it
    still says how the knee is: for ``RECENT_DAYS``, and until a later session is finished
    (``last_done``: the latest day a session was). None otherwise. ``name``: an exercise's
    name."""
    if (today - day).days >= RECENT_DAYS or (last_done is not None and last_done > day):
        return None
    worst = most_painful(exercise_pain)
    if worst is None or Band(pain_during_band(worst[1])) is not Band.TOO_MUCH:
        return None
    key, pain = worst
    which = "today's session" if day == today else f"the session of {day:%a %d %b}"
    return Advice(
        f"{which}, not finished: pain during {name(key)} reached {pain}/10, above "
        f"{ACCEPTABLE_PAIN_DURING}/10",
        (*MODEL, PRODUCT_DEFAULT),
    )
