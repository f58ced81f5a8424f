"""Education cards: the one for the runner's moment, and all of them to read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecoach.domain.education import (
    CARDS,
    FLARE_DAYS,
    MOMENT_SOURCE,
    Card,
    Course,
    card_of_the_moment,
)
from kneecoach.domain.evidence import Source
from kneecoach.services.context import RunnerContext


@dataclass(frozen=True, slots=True)
class EducationCardView:
    """One card as every face shows it: its title, its words and its sources; ``moment``
    says why it is shown now (None on the Learn page), by ``moment_source``."""

    key: str
    title: str
    text: str
    sources: tuple[Source, ...]
    moment: str | None
    moment_source: Source | None


@dataclass(frozen=True, slots=True)
class LearnView:
    """Every card, in order."""

    cards: tuple[EducationCardView, ...]


def _card_view(card: Card, moment: str | None = None) -> EducationCardView:
    return EducationCardView(
        key=card.key,
        title=card.title,
        text=card.text,
        sources=card.sources,
        moment=moment,
        moment_source=None if moment is None else MOMENT_SOURCE,
    )


def learn() -> LearnView:
    """Every card, as the Learn page and ``kneecoach learn`` list them."""
    return LearnView(tuple(_card_view(card) for card in CARDS))


def card_for_day(runner: RunnerContext, day: dt.date, paused: bool) -> EducationCardView | None:
    """The card of the runner's moment on ``day`` (reads only)."""
    store = runner.store
    sessions = store.journal.sessions(day - dt.timedelta(days=FLARE_DAYS - 1), day)
    latest = max(sessions, key=lambda s: s.performed_on, default=None)
    check = store.return_to_run.latest_entry_check()
    chosen = card_of_the_moment(
        Course(
            day=day,
            program_start=runner.stored_profile().profile.start_date,
            paused=paused,
            # how much it hurt as the model judges it: its own figure or its most painful
            # exercise's (a split squat at 6/10 in a session rated 3/10 was too much)
            last_session=None if latest is None else (latest.performed_on, latest.peak_pain),
            decisions=tuple(
                s.decision
                for s in store.plan.decisions()
                if not s.undone and s.decision.decided_on <= day
            ),
            running_since=check.taken_on if check is not None and check.passed else None,
        )
    )
    return None if chosen is None else _card_view(chosen.card, chosen.moment.value)
