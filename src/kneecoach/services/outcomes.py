"""Kujala AKPS: take the questionnaire, keep each result, and follow the change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kneecoach.domain.journal import check_not_future
from kneecoach.domain.outcomes import DEFAULT_EVERY_DAYS, AkpsChange, AkpsResult, change
from kneecoach.services.context import Coach
from kneecoach.services.today import akps_due_on


def record_akps(coach: Coach, answers: Sequence[int], day: dt.date | None = None) -> AkpsResult:
    """Score and keep one questionnaire; a wrong answer is refused before anything is kept."""
    coach.stored_profile()
    today = coach.clock.today()
    result = AkpsResult(check_not_future(day or today, today, "the AKPS date"), tuple(answers))
    coach.repository.add_akps(coach.user_id, result)
    return result


@dataclass(frozen=True, slots=True)
class AkpsHistory:
    results: list[AkpsResult]
    change: AkpsChange | None
    due_on: dt.date


def akps_history(coach: Coach, every_days: int = DEFAULT_EVERY_DAYS) -> AkpsHistory:
    coach.stored_profile()
    results = coach.repository.akps_results(coach.user_id)
    return AkpsHistory(results, change(results), akps_due_on(coach, every_days))
