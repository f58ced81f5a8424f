"""The pain-monitoring model as a runner keeps it at hand: the 0–10 scale in its bands, and
the rules in words.

The bands are the ones ``domain.pain`` judges a session by (ideal up to 2, acceptable up to
5, too much above; Silbernagel 2007, Thomee 1997), so a printed scale can never disagree
with the verdict after a session.
"""

from __future__ import annotations

from dataclasses import dataclass

from kneecoach.domain.advice import Advice
from kneecoach.domain.evidence import SILBERNAGEL_2007, THOMEE_1997
from kneecoach.domain.pain import (
    ACCEPTABLE_PAIN_DURING,
    IDEAL_PAIN_DURING,
    PAIN_MAX,
    PAIN_MIN,
    Band,
)


@dataclass(frozen=True, slots=True)
class PainRange:
    """One band of the scale: the ratings from ``low`` to ``high``, both included."""

    band: Band
    low: int
    high: int


PAIN_DURING_SCALE: tuple[PainRange, ...] = (
    PainRange(Band.IDEAL, PAIN_MIN, IDEAL_PAIN_DURING),
    PainRange(Band.ACCEPTABLE, IDEAL_PAIN_DURING + 1, ACCEPTABLE_PAIN_DURING),
    PainRange(Band.TOO_MUCH, ACCEPTABLE_PAIN_DURING + 1, PAIN_MAX),
)
"""Pain during exercise, from no pain to the worst, in the model's three bands."""

PAIN_MONITORING_GUIDE = Advice(
    f"Pain during the exercises may reach {ACCEPTABLE_PAIN_DURING}/{PAIN_MAX} but ideally "
    f"stays at {IDEAL_PAIN_DURING} or below. It should settle by the next morning, and not "
    "rise from week to week. If the next morning is worse, do less next time.",
    (SILBERNAGEL_2007, THOMEE_1997),
)
"""The model's rules for a runner to read beside the scale: how much pain is all right
during the exercises and after them, and what to do when the knee did not take it well."""
