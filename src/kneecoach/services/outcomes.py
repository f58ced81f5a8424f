"""Kujala AKPS: take the questionnaire, keep each result, and follow the change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kneecoach.domain.advice import Advice
from kneecoach.domain.evidence import Source
from kneecoach.domain.journal import check_not_future
from kneecoach.domain.outcomes import (
    ITEMS,
    MCID,
    SCORE_MAX,
    SCORING,
    SOURCES,
    AkpsChange,
    AkpsResult,
    change,
    guidance,
    mcid_band,
    next_due,
    referral,
    worse_by_mcid,
)
from kneecoach.services.care_alerts import CareAlert, tell_when_begun
from kneecoach.services.context import RunnerContext
from kneecoach.services.history import BandView


@dataclass(frozen=True, slots=True)
class AkpsScoreView:
    """One result: its day, its score, and its difference from the first (None for it)."""

    taken_on: dt.date
    score: int
    from_first: int | None


@dataclass(frozen=True, slots=True)
class AkpsChangeView:
    """From the first result to the latest, judged against the MCID."""

    first_on: dt.date
    latest_on: dt.date
    points: int
    meaningful: bool
    mcid: int
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class AkpsView:
    """Every result, the change and what it means, when the next one is due, and the band
    within the MCID of the first for a chart."""

    results: tuple[AkpsScoreView, ...]
    latest: AkpsScoreView | None
    change: AkpsChangeView | None
    guidance: Advice
    """The change in words, or what size of change will matter."""
    referral: Advice | None
    """When the AKPS calls for a clinician."""
    due_on: dt.date
    due: bool
    score_max: int
    band: BandView | None
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class AkpsQuestionView:
    """One item as it is asked: its number, its name and the options' words, in order."""

    number: int
    name: str
    options: tuple[str, ...]


def akps_questions() -> tuple[AkpsQuestionView, ...]:
    """The thirteen items, as the terminal asks them and the form shows them."""
    return tuple(
        AkpsQuestionView(item.number, item.name, tuple(o.text for o in item.options))
        for item in ITEMS
    )


@dataclass(frozen=True, slots=True)
class AkpsItemView:
    """One item as answered: the option chosen (1-based), its words and its points."""

    number: int
    name: str
    answer: int
    option: str
    points: int


@dataclass(frozen=True, slots=True)
class AkpsRecordedView:
    """A questionnaire just scored, item by item, and the history it joins."""

    taken_on: dt.date
    score: int
    answers: tuple[int, ...]
    items: tuple[AkpsItemView, ...]
    sources: tuple[Source, ...]
    """Where the items and their points come from."""
    history: AkpsView
    replaced: int | None
    """The score of the result taken earlier the same day, which this one replaces."""
    replaced_note: str | None
    """That replacement in words, for the faces to show as it is."""
    paused: Advice | None = None
    """A documented kneecap dislocation answered: the red flag's pause, with its advice."""


def record_akps(
    runner: RunnerContext, answers: Sequence[int], day: dt.date | None = None
) -> AkpsRecordedView:
    """Score and keep one questionnaire; a wrong answer is refused before anything is kept.
    A retake the same day replaces that day's result, never to be compared with it."""
    runner.stored_profile()
    today = runner.clock.today()
    result = AkpsResult(check_not_future(day or today, today, "the AKPS date"), tuple(answers))
    from kneecoach.domain.outcomes import reports_dislocation
    from kneecoach.services.onboarding import pause_on_dislocation

    told = runner.care_team is not None
    with runner.store.transaction():
        was_worse = told and worse_by_mcid(change(runner.store.outcomes.akps_results()))
        replaced = runner.store.outcomes.save_akps(result)
        paused = pause_on_dislocation(runner) if reports_dislocation(result.answers) else None
        if told:
            tell_when_begun(
                runner.care_team,
                runner.store.notices,
                runner.user_id,
                CareAlert.AKPS_WORSE,
                before=was_worse,
                after=worse_by_mcid(change(runner.store.outcomes.akps_results())),
            )
    return AkpsRecordedView(
        taken_on=result.taken_on,
        score=result.score,
        answers=result.answers,
        items=tuple(
            AkpsItemView(item.number, item.name, answer, item.options[answer - 1].text, points)
            for item, answer, points in zip(ITEMS, result.answers, result.item_points, strict=True)
        ),
        sources=SCORING,
        history=akps_history(runner),
        replaced=None if replaced is None else replaced.score,
        replaced_note=None
        if replaced is None
        else (
            f"It replaces the {replaced.score}/{SCORE_MAX} taken earlier that day: a retake "
            "corrects the day's answers and is not compared with them."
        ),
        paused=None if paused is None else Advice(paused.advice, (paused.source,)),
    )


def change_view(found: AkpsChange | None) -> AkpsChangeView | None:
    if found is None:
        return None
    return AkpsChangeView(
        found.baseline.taken_on,
        found.latest.taken_on,
        found.points,
        found.meaningful,
        MCID,
        guidance(found).sources,
    )


def akps_history(runner: RunnerContext) -> AkpsView:
    """The results so far and the change; the next one falls due at the runner's interval
    (``KNEECOACH_AKPS_EVERY_DAYS``), by the rule Today uses."""
    profile = runner.stored_profile().profile
    results = runner.store.outcomes.akps_results()
    found = change(results)
    due_on = next_due(
        results[-1].taken_on if results else None,
        runner.preferences.akps_every_days,
        profile.start_date,
    )
    first = results[0].score if results else None
    scores = tuple(
        AkpsScoreView(r.taken_on, r.score, None if i == 0 else r.score - results[0].score)
        for i, r in enumerate(results)
    )
    return AkpsView(
        results=scores,
        latest=scores[-1] if scores else None,
        change=change_view(found),
        guidance=guidance(found),
        referral=referral(found, profile.start_date),
        due_on=due_on,
        due=due_on <= runner.clock.today(),
        score_max=SCORE_MAX,
        band=None if first is None else BandView.of(mcid_band(first)),
        sources=SOURCES,
    )
