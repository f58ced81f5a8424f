"""What a clinician sees: the dashboard's row for each runner — the last session, adherence,
the pain trend, the AKPS change, and warnings that call for a look, each with its source —
and the page on one runner, with what may be prescribed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from kneecoach import definitions
from kneecoach.domain.advice import Advice
from kneecoach.domain.outcomes import MCID
from kneecoach.domain.pain import Band, pain_direction
from kneecoach.services.adaptation import latest_verdict
from kneecoach.services.care_alerts import attention, attention_rank
from kneecoach.services.context import RunnerContext
from kneecoach.services.history import history
from kneecoach.services.onboarding import ScreeningView, current_screening, screening_view
from kneecoach.services.outcomes import AkpsChangeView, akps_history
from kneecoach.services.progress import ProgressView, progress
from kneecoach.services.race import RacePlanView

RECENT_DAYS = 7
"""Load warnings this recent are shown on the dashboard (kneecoach default)."""
TREND_SESSIONS = 4
"""The pain trend compares the mean of the last four sessions with the four before."""


@dataclass(frozen=True, slots=True)
class RunnerSummaryView:
    """One runner's row on the dashboard; a runner not set up yet has only a name."""

    runner_id: int
    name: str
    set_up: bool
    last_session: dt.date | None = None
    adherence: float | None = None
    pain_latest: int | None = None
    pain_recent: float | None = None
    pain_change: float | None = None
    """Mean pain during the last four sessions minus the four before (positive: rising)."""
    pain_trend: str | None = None
    """Which way that change goes: rising, steady or falling."""
    akps_change: AkpsChangeView | None = None
    akps_due_on: dt.date | None = None
    flags: tuple[Advice, ...] = ()
    attention: str | None = None
    """What most needs the clinician now ("paused", "akps-worse"), or None."""
    attention_rank: int = 0
    """Higher for a runner who needs a look sooner: the dashboard puts them first."""


@dataclass(frozen=True, slots=True)
class ClinicDashboardView:
    runners: tuple[RunnerSummaryView, ...]


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def dashboard(runners: Iterable[tuple[RunnerContext, str]]) -> ClinicDashboardView:
    """Every runner of a clinician (whom the caller has checked), summed up."""
    return ClinicDashboardView(tuple(summarise_runner(runner, name) for runner, name in runners))


def summarise_runner(runner: RunnerContext, name: str) -> RunnerSummaryView:
    """What the dashboard shows of one runner (whom the caller has checked it may see)."""
    if not runner.has_profile():
        return RunnerSummaryView(runner.user_id, name, set_up=False)
    report = history(runner)
    pains = [s.pain_during for s in report.sessions]
    recent = _mean(pains[-TREND_SESSIONS:])
    before = _mean(pains[-2 * TREND_SESSIONS : -TREND_SESSIONS])
    moved = None if recent is None or before is None else recent - before
    outcomes = akps_history(runner)
    flags: list[Advice] = []
    screening = current_screening(runner)
    if not screening.answered:
        flags.append(Advice("has not answered the red-flag screen yet", (screening.source,)))
    elif not screening.clear:
        flags.append(Advice(f"paused: {screening.advice}", (screening.source,)))
    judged = latest_verdict(runner)
    if judged is not None and judged[1].band is Band.TOO_MUCH:
        flags.append(Advice(f"last session too much: {judged[1].reason}", judged[1].sources))
    if outcomes.referral is not None:
        flags.append(outcomes.referral)
    flags.extend(_load_flags(runner))
    alert = attention(
        paused=not screening.clear,
        akps_worse=outcomes.change is not None and outcomes.change.points <= -MCID,
    )
    return RunnerSummaryView(
        runner.user_id,
        name,
        set_up=True,
        last_session=report.sessions[-1].date if report.sessions else None,
        adherence=report.adherence.session_rate,
        pain_latest=pains[-1] if pains else None,
        pain_recent=recent,
        pain_change=moved,
        pain_trend=None if moved is None else pain_direction(moved).value,
        akps_change=outcomes.change,
        akps_due_on=outcomes.due_on,
        flags=tuple(flags),
        attention=None if alert is None else alert.value,
        attention_rank=attention_rank(alert),
    )


@dataclass(frozen=True, slots=True)
class VariantChoiceView:
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class PrescribableView:
    """An exercise of the runner's program and the variants a clinician may set."""

    exercise: str
    name: str
    variants: tuple[VariantChoiceView, ...]


@dataclass(frozen=True, slots=True)
class RunnerDetailView:
    """The clinician's page on one runner: their progress and what may be prescribed; only
    the name until they have set up a program."""

    runner_id: int
    name: str
    progress: ProgressView | None
    prescribable: tuple[PrescribableView, ...]
    screening: ScreeningView | None = None
    """The screen in force: a pause this clinician may lift, and who lifted the last."""
    race: RacePlanView | None = None
    """The runner's race goal and plan, as their race page shows it; None without a goal."""


def runner_detail(runner: RunnerContext, name: str) -> RunnerDetailView:
    if not runner.has_profile():
        return RunnerDetailView(runner.user_id, name, None, ())
    program = definitions.program(runner.stored_profile().program_key)
    catalogue = definitions.catalogue()
    return RunnerDetailView(
        runner.user_id,
        name,
        progress(runner),
        tuple(
            PrescribableView(
                item.exercise,
                catalogue.get(item.exercise).name,
                tuple(
                    VariantChoiceView(v.key, v.name) for v in catalogue.get(item.exercise).variants
                ),
            )
            for item in program.prescriptions
        ),
        screening_view(runner),
        _race(runner),
    )


def _race(runner: RunnerContext) -> RacePlanView | None:
    from kneecoach.services import race

    view = race.plan(runner)
    return None if view.goal is None and view.held_by is None else view


def _load_flags(runner: RunnerContext) -> list[Advice]:
    from kneecoach.domain.units import DistanceUnit
    from kneecoach.services.runs import load_report

    preferences = runner.preferences
    report = load_report(runner, preferences.load_unit, DistanceUnit(preferences.units))
    if report is None:
        return []
    today = runner.clock.today()
    return [
        Advice(f"{w.day:%d %b}: {w.text}", w.sources)
        for w in report.warnings
        if 0 <= (today - w.day).days <= RECENT_DAYS
    ]
