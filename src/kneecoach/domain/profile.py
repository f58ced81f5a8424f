"""The runner's profile: what onboarding learns and what planning depends on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import PRODUCT_DEFAULT, Source
from kneecoach.domain.pain import check_pain


class Knee(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class StartSide(StrEnum):
    """Which leg goes first in each round of a one-sided exercise (a runner's preference)."""

    AFFECTED = "affected"
    GOOD = "good"


DEFAULT_SESSIONS_PER_WEEK = 3
"""Product default. The seed asks for the exercises 'regularly' and gives no number; three
sessions a week, spread with rest days between, is kneecoach's starting value."""

MAX_DUMBBELL_KG = 100.0
"""Anything heavier than this in one hand is taken as a typing mistake."""


@dataclass(frozen=True, slots=True)
class Profile:
    affected_knee: Knee
    pain_at_rest: int
    pain_running: int
    equipment: frozenset[Equipment]
    sessions_per_week: int
    start_date: dt.date
    heaviest_dumbbell_kg: float | None = None
    start_side: StartSide = StartSide.AFFECTED

    def __post_init__(self) -> None:
        check_pain(self.pain_at_rest, "pain at rest")
        check_pain(self.pain_running, "pain when running")
        if not 1 <= self.sessions_per_week <= 7:
            raise InvalidInput(
                f"sessions per week must be between 1 and 7, not {self.sessions_per_week}"
            )
        if self.heaviest_dumbbell_kg is not None:
            if Equipment.DUMBBELLS not in self.equipment:
                raise InvalidInput("a heaviest dumbbell weight was given without dumbbells")
            if not 0 < self.heaviest_dumbbell_kg <= MAX_DUMBBELL_KG:
                raise InvalidInput(
                    "the heaviest dumbbell must weigh more than 0 and at most "
                    f"{MAX_DUMBBELL_KG:g} kg, not {self.heaviest_dumbbell_kg:g} kg"
                )

    @property
    def pain_is_high(self) -> bool:
        return pain_is_high(self.pain_at_rest, self.pain_running)


HIGH_PAIN_AT_REST = 2
HIGH_PAIN_RUNNING = 5
HIGH_PAIN_SOURCE: Source = PRODUCT_DEFAULT
"""Where these thresholds are past the pain-monitoring model's bands — above 2/10 at rest is
past its 'ideal' band, above 5/10 when running past what it accepts during exercise — calling
that pain 'high' is kneecoach's choice: the model says nothing of pain at rest."""


def pain_is_high(pain_at_rest: int, pain_running: int) -> bool:
    return pain_at_rest > HIGH_PAIN_AT_REST or pain_running > HIGH_PAIN_RUNNING
