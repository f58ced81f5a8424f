"""Education: short cards with their sources, and the moment each one matters.

In runners with patellofemoral pain, education on managing symptoms and adjusting training
did as well over 20 weeks as education plus exercise or plus gait retraining (Esculier 2018,
evidence.md §10): education is a treatment, so each card is short, specific and cited. The
consensus (Crossley 2016; Collins 2018) gives what they say: exercise for hip and knee is
the core, pain is not a sign of damage, load the knee tolerates is the way out, and foot
orthoses and taping help in the short term — something to ask a clinician about, never a
product kneecoach sells.

Which card a runner sees when is kneecoach's own choice (``MOMENT_SOURCE``): the card
that speaks to a flare while one is under way, to running when running starts again, to
patience when progress has held, and to load and capacity in the first week.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kneecoach.domain.evidence import (
    COLLINS_2018,
    CROSSLEY_2016,
    ESCULIER_2018,
    PRODUCT_DEFAULT,
    RTR_TRIAL_2023,
    SILBERNAGEL_2007,
    THOMEE_1997,
    TRIAL_LENGTHS,
    Source,
)
from kneecoach.domain.pain import ACCEPTABLE_PAIN_DURING, IDEAL_PAIN_DURING, pain_during_band
from kneecoach.domain.progression import Action, Decision
from kneecoach.domain.return_to_run import REPEATS_PER_STAGE


class Moment(StrEnum):
    """A moment in a runner's course when one card matters most."""

    FLARE = "a flare"
    RUNNING_AGAIN = "starting to run again"
    PLATEAU = "a plateau"
    FIRST_WEEK = "the first week"


@dataclass(frozen=True, slots=True)
class Card:
    """One thing worth knowing, in a few sentences, with the sources that say it."""

    key: str
    title: str
    text: str
    sources: tuple[Source, ...]
    moment: Moment | None
    """When it is shown on Today; None for a card read on the Learn page only."""


CARDS: tuple[Card, ...] = (
    Card(
        "load-and-capacity",
        "Load and capacity",
        "Your knee hurts when the load on it runs ahead of what it tolerates for now. "
        "Exercise for the hip and the knee together raises what it tolerates, and load the "
        "knee tolerates, built up step by step, is the way out, rather than rest alone. "
        "Knowing how to manage the pain and adjust your training is part of the treatment: "
        "for runners with this knee pain it did as much over 20 weeks as adding exercise or "
        "gait retraining to it.",
        (CROSSLEY_2016, COLLINS_2018, ESCULIER_2018),
        Moment.FIRST_WEEK,
    ),
    Card(
        "pain-is-not-damage",
        "Pain is not damage",
        "With this knee pain, pain is not a sign that the knee is being damaged: it tells "
        "you how much load it tolerates today. A flare means the load ran ahead of that for "
        f"now. During exercise pain may reach {ACCEPTABLE_PAIN_DURING}/10, ideally staying "
        f"at {IDEAL_PAIN_DURING}/10 or less, and it should settle by the next morning. "
        "Follow today's plan: it eases the load, or pauses it until the knee is checked.",
        (CROSSLEY_2016, COLLINS_2018, SILBERNAGEL_2007, THOMEE_1997),
        Moment.FLARE,
    ),
    Card(
        "how-long-it-takes",
        "How long it takes",
        "The trials of exercise for this knee pain lasted from 6 to 12 weeks. That is how "
        "long the trials ran, not a promise or a recommendation: some people feel better "
        "sooner and some take longer. Holding a level for a while is part of the course; "
        "the AKPS every few weeks shows whether your knee is changing.",
        (TRIAL_LENGTHS,),
        Moment.PLATEAU,
    ),
    Card(
        "running-again",
        "Running is load too",
        "Running again adds load, so it follows the same rule as the exercises: build it up "
        "in stages of walking and running, on level ground, with a rest day between runs. "
        f"Do each stage at least {REPEATS_PER_STAGE} times, and do not move on while "
        "swelling, stiffness or more pain appears.",
        (RTR_TRIAL_2023,),
        Moment.RUNNING_AGAIN,
    ),
    Card(
        "orthoses-and-taping",
        "Insoles and taping",
        "Foot orthoses (insoles) and taping of the kneecap can help in the short term, "
        "beside the exercise, not instead of it. Whether they suit you is a question for "
        "your clinician: kneecoach does not sell or recommend any product.",
        (CROSSLEY_2016,),
        None,
    ),
)
"""Every card, in the order the Learn page lists them."""

MOMENT_SOURCE = PRODUCT_DEFAULT
"""Which card is shown when is kneecoach's choice, not evidence."""

FIRST_WEEK_DAYS = 7
"""kneecoach default: the first week is the program's first seven days."""
FLARE_DAYS = 3
"""kneecoach default: a session with too much pain counts as a flare for three days."""
PLATEAU_HOLDS = 3
"""kneecoach default: an exercise held three times in a row is a plateau."""
RUNNING_AGAIN_DAYS = 14
"""kneecoach default: running counts as starting again for two weeks after the entry
criteria are met."""


@dataclass(frozen=True, slots=True)
class Course:
    """What the moment depends on, as of ``day``."""

    day: dt.date
    program_start: dt.date
    paused: bool
    last_session: tuple[dt.date, int] | None
    """The latest session on or before ``day``: its date and how much it hurt (its peak:
    its own pain during or its most painful exercise's)."""
    decisions: Sequence[Decision]
    """The progression decisions in force (undone ones left out), oldest first."""
    running_since: dt.date | None
    """The day the return-to-run entry criteria were met, if they were."""


@dataclass(frozen=True, slots=True)
class CardOfTheMoment:
    card: Card
    moment: Moment
    source: Source = MOMENT_SOURCE


def held_in_a_row(decisions: Sequence[Decision]) -> bool:
    """Whether any exercise's last ``PLATEAU_HOLDS`` decisions were all holds."""
    by_exercise: dict[str, list[Action]] = {}
    for decision in decisions:
        by_exercise.setdefault(decision.exercise, []).append(decision.action)
    return any(
        len(actions) >= PLATEAU_HOLDS
        and all(action is Action.HOLD for action in actions[-PLATEAU_HOLDS:])
        for actions in by_exercise.values()
    )


def moment(course: Course) -> Moment | None:
    """The moment the runner is in, the safety-relevant first: a flare (the program paused,
    or a session with too much pain in the last few days), then starting to run again, a
    plateau, the first week; None when none applies."""
    last = course.last_session
    if course.paused or (
        last is not None
        and 0 <= (course.day - last[0]).days < FLARE_DAYS
        and pain_during_band(last[1]) == "too much"
    ):
        return Moment.FLARE
    since = course.running_since
    if since is not None and 0 <= (course.day - since).days < RUNNING_AGAIN_DAYS:
        return Moment.RUNNING_AGAIN
    if held_in_a_row(course.decisions):
        return Moment.PLATEAU
    if 0 <= (course.day - course.program_start).days < FIRST_WEEK_DAYS:
        return Moment.FIRST_WEEK
    return None


def card_of_the_moment(course: Course) -> CardOfTheMoment | None:
    """The card for the runner's moment, if they are in one."""
    now = moment(course)
    if now is None:
        return None
    return CardOfTheMoment(next(card for card in CARDS if card.moment is now), now)
