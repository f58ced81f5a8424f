"""What a clinician's dashboard shows for each runner: the last session, adherence, the
pain trend, the AKPS change, and warnings that call for a look — each with its source."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecoach.domain.evidence import CROSSLEY_2004, Source
from kneecoach.domain.outcomes import MCID, AkpsChange
from kneecoach.domain.pain import Band, judge_session
from kneecoach.services.context import NotSetUp, RunnerContext
from kneecoach.services.history import history
from kneecoach.services.onboarding import current_screening
from kneecoach.services.outcomes import akps_history

RECENT_DAYS = 7
"""Load warnings this recent are shown on the dashboard (kneecoach default)."""
TREND_SESSIONS = 4
"""The pain trend compares the mean of the last four sessions with the four before."""


@dataclass(frozen=True, slots=True)
class Flag:
    text: str
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class RunnerSummary:
    runner_id: int
    name: str
    set_up: bool
    last_session: dt.date | None = None
    adherence: float | None = None
    pain_latest: int | None = None
    pain_recent: float | None = None
    pain_change: float | None = None
    """Mean pain during the last four sessions minus the four before (positive: rising)."""
    akps_change: AkpsChange | None = None
    flags: tuple[Flag, ...] = ()


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise_runner(runner: RunnerContext, name: str) -> RunnerSummary:
    """What the dashboard shows of one runner (whom the caller has checked it may see)."""
    runner_id = runner.user_id
    try:
        profile = runner.stored_profile().profile
    except NotSetUp:
        return RunnerSummary(runner_id, name, set_up=False)
    report = history(runner)
    pains = [s.session.pain_during for s in report.sessions]
    recent = _mean(pains[-TREND_SESSIONS:])
    before = _mean(pains[-2 * TREND_SESSIONS : -TREND_SESSIONS])
    outcomes = akps_history(runner)
    flags: list[Flag] = []
    screening = current_screening(runner)
    if not screening.clear:
        flags.append(Flag(f"paused: {screening.advice}", (screening.source,)))
    if report.sessions:
        last = report.sessions[-1]
        verdict = judge_session(
            last.session.pain_during,
            last.morning_pain,
            profile.pain_at_rest,
            pain_after=last.session.pain_after,
        )
        if verdict.band is Band.TOO_MUCH:
            flags.append(Flag(f"last session too much: {verdict.reason}", verdict.sources))
    change = outcomes.change
    if change is not None and change.points <= -MCID:
        flags.append(Flag(f"AKPS {-change.points} points worse than the first", (CROSSLEY_2004,)))
    flags.extend(_load_flags(runner))
    return RunnerSummary(
        runner_id,
        name,
        set_up=True,
        last_session=report.sessions[-1].session.performed_on if report.sessions else None,
        adherence=report.adherence.session_rate,
        pain_latest=pains[-1] if pains else None,
        pain_recent=recent,
        pain_change=None if recent is None or before is None else recent - before,
        akps_change=change,
        flags=tuple(flags),
    )


def _load_flags(runner: RunnerContext) -> list[Flag]:
    from kneecoach.services.runs import load_report

    report = load_report(runner)
    if report is None:
        return []
    today = runner.clock.today()
    return [
        Flag(f"{w.day:%d %b}: {w.text}", w.sources)
        for w in report.warnings
        if 0 <= (today - w.day).days <= RECENT_DAYS
    ]
