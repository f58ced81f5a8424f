"""What a clinician sees: the dashboard's row for each runner — the last session, adherence,
the pain trend, the AKPS change, and warnings that call for a look, each with its source —
and the page on one runner, with what may be prescribed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, replace

from kneecoach import definitions
from kneecoach.domain.advice import Advice
from kneecoach.domain.evidence import PRODUCT_DEFAULT
from kneecoach.domain.irritability import hurt_so_far
from kneecoach.domain.journal import EARLIEST_DAY
from kneecoach.domain.load import RATIO_CAVEAT
from kneecoach.domain.outcomes import MCID
from kneecoach.domain.pain import Band, pain_direction
from kneecoach.services.adaptation import LevelView, exercise_name, latest_verdict
from kneecoach.services.care_alerts import attention, attention_rank
from kneecoach.services.context import RunnerContext
from kneecoach.services.history import attendance
from kneecoach.services.in_progress import (
    UnfinishedSessionView,
    is_in_progress,
    unfinished_view,
)
from kneecoach.services.kept import Kept
from kneecoach.services.onboarding import ScreeningView, current_screening, screening_view
from kneecoach.services.outcomes import AkpsChangeView, akps_history
from kneecoach.services.pose import FppaHistoryView, fppa_history
from kneecoach.services.progress import ProgressView, progress
from kneecoach.services.race import RacePlanView
from kneecoach.services.read_once import read_once
from kneecoach.services.today import session_for

RECENT_DAYS = 7
"""Load warnings this recent are shown on the dashboard (kneecoach default)."""
NO_SESSION_DAYS = 7
"""A runner with no session for this many days is on the dashboard's list of who needs a
look (kneecoach default)."""
URGENCY = ("paused", "unscreened", "too-much", "akps-worse", "load", "no-session")
"""What makes a runner need a clinician's look, most urgent first (kneecoach default): a
pause (a red flag or a pause sign in training), the red-flag screen not answered, a last
session the knee took badly, an AKPS worse by the MCID, a load spike, no session for a week.
The dashboard lists runners in this order and names each runner's most urgent reason."""
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
    """How much the latest session hurt: its own figure or its most painful exercise's."""
    pain_recent: float | None = None
    pain_change: float | None = None
    """Mean pain during the last four sessions minus the four before (positive: rising),
    each session as much as it hurt (its peak, as ``pain_latest``)."""
    pain_trend: str | None = None
    """Which way that change goes: rising, steady or falling."""
    akps_change: AkpsChangeView | None = None
    akps_due_on: dt.date | None = None
    flags: tuple[Advice, ...] = ()
    morning_pain: int | None = None
    """The latest next-morning check-in's knee pain (0–10), None before any."""
    morning_pain_on: dt.date | None = None
    """The day of that check-in."""
    morning_swelling: bool = False
    """Whether that check-in reported swelling."""
    in_progress_sets: int | None = None
    """The sets kept so far of today's session while the runner is doing it set by set (not
    finished, the program running); None when no session is in progress today."""
    attention: str | None = None
    """What most needs the clinician now ("paused", "akps-worse"), or None."""
    attention_rank: int = 0
    """Higher for a runner who needs a look sooner: the dashboard puts them first."""
    reason: str | None = None
    """The most urgent of the runner's reasons for a look (a key of ``URGENCY``), or None."""
    urgency: int = 0
    """Higher for a more urgent ``reason`` (0: none); the dashboard's default order."""
    lines: tuple[Advice, ...] = ()
    """The warnings as the dashboard lists them, most urgent first: a ratio spike without
    the ratio's caveat, which the page shows once (``ClinicDashboardView.caveat``)."""
    ratio_spike: bool = False
    """True when one of ``lines`` had the ratio's caveat lifted out: the page shows it."""


@dataclass(frozen=True, slots=True)
class ClinicDashboardView:
    runners: tuple[RunnerSummaryView, ...]
    caveat: Advice | None = None
    """The acute:chronic ratio's caveat, once, when a runner's line names a ratio spike."""


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


class KeptSummaries(Kept["RunnerSummaryView"]):
    """Dashboard rows kept in memory per runner's data revision (services.kept): a row is a
    function of the record, the day and the preferences alone, so a kept row is always the
    row ``summarise_runner`` would give. A revision read before the record means a row made
    from the record is never older than its key."""

    def __init__(self, capacity: int = 10_000) -> None:
        super().__init__(capacity)


def dashboard(
    runners: Iterable[tuple[RunnerContext, str]],
    revisions: Mapping[int, int] | None = None,
    kept: KeptSummaries | None = None,
) -> ClinicDashboardView:
    """Every runner of a clinician (whom the caller has checked), summed up. With the
    runners' data ``revisions`` (read before their records) and a ``kept`` store, a row
    whose record has not changed since it was made is not made again.

    A row not kept (the day's first look, a record changed, a process just started) is
    made from one read of each part of the record (``summarise_runner``): seven statements
    a runner whatever the record's length, about 14 ms of CPU for eight weeks of record
    (benchmarks/clinic_dashboard.py: 200 runners in 2.8 s of CPU, from 14.8 s and 3,174
    statements when each row read the journal four times and rebuilt the program per
    session). The rows are not read in bulk for the whole clinic: the statements are now
    a small share of a row's time (building the sessions and judging them is the rest, and
    a bulk read would build the same objects). They are kept in the web process's memory,
    which the worker, a process of its own, cannot fill; the served app makes them when
    the day changes (:func:`warm`), before the day's first look."""
    summaries = tuple(_summary(runner, name, revisions or {}, kept) for runner, name in runners)
    spiked = any(r.ratio_spike for r in summaries)
    return ClinicDashboardView(summaries, RATIO_CAVEAT if spiked else None)


def warm(runners: Iterable[tuple[RunnerContext, int]], kept: KeptSummaries) -> int:
    """Make and keep the row of each runner (with their data revision, read before their
    record) that is not kept for today, as the first look would: a clinic's first look of
    the day is then as quick as the next (200 runners took 4 s to make). Nobody looks, so
    nothing is audited, and nothing is written. The number of rows made."""
    made = 0
    for runner, revision in runners:
        key = _key(runner, revision)
        if kept.get(key) is None:
            kept.keep(key, summarise_runner(runner, ""))  # each look puts its own names
            made += 1
    return made


def _key(runner: RunnerContext, revision: int) -> Hashable:
    return (runner.user_id, revision, runner.clock.today(), runner.preferences)


def _summary(
    runner: RunnerContext, name: str, revisions: Mapping[int, int], kept: KeptSummaries | None
) -> RunnerSummaryView:
    revision = revisions.get(runner.user_id)
    if kept is None or revision is None:
        return summarise_runner(runner, name)
    key = _key(runner, revision)
    row = kept.get(key)
    if row is None:
        row = summarise_runner(runner, name)
        kept.keep(key, row)
    return row if row.name == name else replace(row, name=name)


def _urgency(reason: str) -> int:
    return len(URGENCY) - URGENCY.index(reason)


def summarise_runner(runner: RunnerContext, name: str) -> RunnerSummaryView:
    """What the dashboard shows of one runner (whom the caller has checked it may see),
    from one read of each part of their record (services.read_once)."""
    runner = read_once(runner)
    if not runner.has_profile():
        return RunnerSummaryView(runner.user_id, name, set_up=False)
    report = attendance(runner)
    pains = list(report.pains)
    today = runner.clock.today()
    checkins = runner.store.journal.checkins(EARLIEST_DAY, today)
    morning = checkins[-1] if checkins else None
    recent = _mean(pains[-TREND_SESSIONS:])
    before = _mean(pains[-2 * TREND_SESSIONS : -TREND_SESSIONS])
    moved = None if recent is None or before is None else recent - before
    outcomes = akps_history(runner)
    # each reason for a look: its key, the warning in full and its line on the dashboard
    found: list[tuple[str, Advice, Advice]] = []
    screening = current_screening(runner)
    if not screening.answered:
        said = Advice("has not answered the red-flag screen yet", (screening.source,))
        found.append(("unscreened", said, said))
    elif not screening.clear:
        # the dashboard's line names the signs; the runner's page gives the advice in full
        signs = "; ".join(flag.short for flag in screening.flagged)
        found.append(
            (
                "paused",
                Advice(f"paused: {screening.advice}", (screening.source,)),
                Advice(f"paused: {signs}", (screening.source,)),
            )
        )
    judged = latest_verdict(runner)
    if judged is not None and judged[1].band is Band.TOO_MUCH:
        said = Advice(f"last session too much: {judged[1].reason}", judged[1].sources)
        found.append(("too-much", said, said))
    doing = runner.store.journal.unfinished_session() if screening.clear else None
    hurt = (
        None
        if doing is None
        else hurt_so_far(
            doing.exercise_pain,
            doing.performed_on,
            today,
            exercise_name,
            last_done=report.days[-1] if report.days else None,
        )
    )
    if hurt is not None:
        found.append(("too-much", hurt, hurt))
    if outcomes.referral is not None:
        found.append(("akps-worse", outcomes.referral, outcomes.referral))
    load = _load_flags(runner)
    found.extend(("load", full, line) for full, line, _ in load)
    if report.days and (today - report.days[-1]).days >= NO_SESSION_DAYS:
        last = report.days[-1]
        said = Advice(
            f"no session for {(today - last).days} days (the last on {last:%d %b})",
            (PRODUCT_DEFAULT,),
        )
        found.append(("no-session", said, said))
    found.sort(key=lambda reason: URGENCY.index(reason[0]))
    in_progress = doing is not None and is_in_progress(doing, today, screening.clear)
    flags = [full for _, full, _ in found]
    alert = attention(
        paused=not screening.clear,
        akps_worse=outcomes.change is not None and outcomes.change.points <= -MCID,
    )
    return RunnerSummaryView(
        runner.user_id,
        name,
        set_up=True,
        last_session=report.days[-1] if report.days else None,
        adherence=report.session_rate,
        pain_latest=pains[-1] if pains else None,
        morning_pain=None if morning is None else morning.pain_morning,
        morning_pain_on=None if morning is None else morning.date,
        morning_swelling=morning is not None and morning.swelling,
        in_progress_sets=len(doing.sets) if doing is not None and in_progress else None,
        pain_recent=recent,
        pain_change=moved,
        pain_trend=None if moved is None else pain_direction(moved).value,
        akps_change=outcomes.change,
        akps_due_on=outcomes.due_on,
        flags=tuple(flags),
        attention=None if alert is None else alert.value,
        attention_rank=attention_rank(alert),
        reason=found[0][0] if found else None,
        urgency=_urgency(found[0][0]) if found else 0,
        lines=tuple(line for _, _, line in found),
        ratio_spike=any(spike for _, _, spike in load),
    )


@dataclass(frozen=True, slots=True)
class VariantChoiceView:
    """One choice of a form: its key and its name (a variant, or a range of motion)."""

    key: str
    name: str


@dataclass(frozen=True, slots=True)
class PrescribableView:
    """An exercise of the runner's program and the variants a clinician may set."""

    exercise: str
    name: str
    variants: tuple[VariantChoiceView, ...]
    level: LevelView | None = None
    """Where the exercise stands now: what the form starts from, so a clinician changes the
    dose they mean to change and keeps the rest."""
    ranges: tuple[VariantChoiceView, ...] = ()
    """The exercise's ranges of motion, smallest first (the split squat's partial and full);
    empty for one without."""


def unfinished_session(runner: RunnerContext) -> UnfinishedSessionView | None:
    """The runner's latest session kept set by set and not finished, as the clinician sees
    it; None when there is none, or when a session was finished on a later day (the one
    left unfinished is behind the runner, not where they stand now)."""
    stopped = runner.store.journal.unfinished_session()
    if stopped is None:
        return None
    after = stopped.performed_on + dt.timedelta(days=1)
    today = runner.clock.today()
    if after <= today and runner.store.journal.sessions(after, today):
        return None
    return unfinished_view(
        stopped,
        session_for(runner, stopped.performed_on),
        today,
        program_runs=current_screening(runner).clear,
    )


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
    alignment: FppaHistoryView | None = None
    """The runner's knee-alignment tests (the camera's FPPA), charted beside the AKPS."""
    warnings: tuple[Advice, ...] = ()
    """Every reason for a look, most urgent first, in full (the dashboard names the first)."""
    summary: RunnerSummaryView | None = None
    """The runner's row of the dashboard: each reason for a look once, in the clinician's
    words (``lines``: a pause by its signs, not the advice the runner is given; a ratio
    spike as one line), the pain trend, adherence and the AKPS; None before set-up."""
    unfinished: UnfinishedSessionView | None = None
    """The session the runner keeps set by set and has not finished (today's in progress,
    or an earlier day's never finished); None when there is none."""

    @property
    def caveat(self) -> Advice | None:
        """The acute:chronic ratio's caveat, once, when one of the summary's lines is a
        ratio spike (which the line names without it): derived from the row, so the two
        cannot disagree."""
        return RATIO_CAVEAT if self.summary is not None and self.summary.ratio_spike else None


def runner_detail(runner: RunnerContext, name: str) -> RunnerDetailView:
    runner = read_once(runner)
    if not runner.has_profile():
        return RunnerDetailView(runner.user_id, name, None, ())
    summary = summarise_runner(runner, name)
    program = definitions.program(runner.stored_profile().program_key)
    catalogue = definitions.catalogue()
    shown = progress(runner)
    levels = {row.exercise: row.level for row in shown.exercises}
    return RunnerDetailView(
        runner.user_id,
        name,
        shown,
        tuple(
            PrescribableView(
                item.exercise,
                catalogue.get(item.exercise).name,
                tuple(
                    VariantChoiceView(v.key, v.name) for v in catalogue.get(item.exercise).variants
                ),
                levels.get(item.exercise),
                tuple(
                    VariantChoiceView(r.key, r.name) for r in catalogue.get(item.exercise).ranges
                ),
            )
            for item in program.prescriptions
        ),
        screening_view(runner),
        _race(runner),
        fppa_history(runner),
        summary.flags,
        summary,
        unfinished_session(runner),
    )


def _race(runner: RunnerContext) -> RacePlanView | None:
    from kneecoach.services import race

    view = race.plan(runner)
    return None if view.goal is None and view.held_by is None else view


def _load_flags(runner: RunnerContext) -> list[tuple[Advice, Advice, bool]]:
    """The recent load warnings: each in full, as the dashboard's line (a spike over
    several days is one line, named by its span, without the ratio's caveat) and whether
    it is such a spike."""
    from kneecoach.domain.units import DistanceUnit
    from kneecoach.services.runs import load_report

    preferences = runner.preferences
    report = load_report(runner, preferences.load_unit, DistanceUnit(preferences.units))
    if report is None:
        return []
    today = runner.clock.today()
    recent = [w for w in report.warnings if 0 <= (today - w.day).days <= RECENT_DAYS]
    recent.sort(key=lambda w: (w.since is None, -w.day.toordinal()))  # a spike first
    return [
        (
            Advice(f"{w.day:%d %b}: {w.text}", w.sources),
            Advice(w.headline if w.since else f"{w.day:%d %b}: {w.headline}", w.sources),
            w.caveat is not None,
        )
        for w in recent
    ]
