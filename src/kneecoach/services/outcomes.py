"""Kujala AKPS: take the questionnaire, keep each result, and follow the change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kneecoach.domain.journal import check_not_future
from kneecoach.domain.outcomes import DEFAULT_EVERY_DAYS, AkpsChange, AkpsResult, change
from kneecoach.services.context import RunnerContext
from kneecoach.services.today import akps_due_on


def record_akps(
    runner: RunnerContext, answers: Sequence[int], day: dt.date | None = None
) -> AkpsResult:
    """Score and keep one questionnaire; a wrong answer is refused before anything is kept."""
    runner.stored_profile()
    today = runner.clock.today()
    result = AkpsResult(check_not_future(day or today, today, "the AKPS date"), tuple(answers))
    runner.store.outcomes.add_akps(result)
    return result


@dataclass(frozen=True, slots=True)
class AkpsHistory:
    results: list[AkpsResult]
    change: AkpsChange | None
    due_on: dt.date


def akps_history(runner: RunnerContext, every_days: int = DEFAULT_EVERY_DAYS) -> AkpsHistory:
    runner.stored_profile()
    results = runner.store.outcomes.akps_results()
    return AkpsHistory(results, change(results), akps_due_on(runner, every_days))
