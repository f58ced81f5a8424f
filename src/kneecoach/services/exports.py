"""A runner's record as files to take away — the CSV sheets, the FHIR Bundle, the calendar
and the program sheet — the same for the command line, the pages and the API.

Each export is assembled here, from the store and the domain, and handed to its format in
``exports/`` as plain data: the formats lay it out; they neither read the store nor decide
what it says. Every export only reads.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from kneecoach import DISCLAIMER, definitions
from kneecoach.domain.advice import Advice
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import KUJALA_1993, RED_FLAG_SCREENING, Source
from kneecoach.domain.figure import Figure
from kneecoach.domain.outcomes import ITEMS
from kneecoach.domain.pain import PAIN_MAX, PAIN_MIN
from kneecoach.domain.pain_scale import PAIN_DURING_SCALE, PAIN_MONITORING_GUIDE
from kneecoach.domain.planning import PlannedExercise, SessionPlan
from kneecoach.domain.prescription import Program, session_days
from kneecoach.domain.redflags import RED_FLAGS
from kneecoach.services.context import RunnerContext
from kneecoach.services.onboarding import current_screening
from kneecoach.services.race import RaceRunToday, runs_between
from kneecoach.services.today import session_for

EVER = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
"""A range that holds every day a record can have."""

CSV_COLUMNS: dict[str, tuple[str, ...]] = {
    "sessions.csv": (
        "date",
        "exercise",
        "variant",
        "side",
        "set",
        "reps",
        "hold_seconds",
        "load_kg",
        "pain_during",
        "pain_after",
        "effort",
        "notes",
    ),
    "checkins.csv": ("date", "pain_morning", "swelling"),
    "akps.csv": ("date", "score", *[f"item_{n}" for n in range(1, 14)]),
    "runs.csv": (
        "id",
        "sport",
        "start",
        "distance_m",
        "elapsed_s",
        "moving_s",
        "ascent_m",
        "avg_hr",
        "max_hr",
        "avg_cadence",
        "indoor",
        "name",
        "sources",
    ),
}
"""The CSV files and their columns, as the README documents them (a public interface)."""

FHIR_DISTANCE_UNIT = "km"
"""The Bundle is for clinic systems, which compare records across runners: weekly distance
goes in kilometres (a UCUM code) whatever units the runner reads it in."""


@dataclass(frozen=True, slots=True)
class CountView:
    """How many of one kind of thing an export holds (rows of a file, records of a table)."""

    what: str
    count: int


@dataclass(frozen=True, slots=True)
class ExportView:
    """An export made: the file's name and media type, its bytes, and what it holds."""

    file_name: str
    media_type: str
    data: bytes
    counts: tuple[CountView, ...]


# --- CSV -------------------------------------------------------------------------------


def csv_files(runner: RunnerContext) -> tuple[ExportView, ...]:
    """Sessions (one row a set), check-ins, AKPS results and runs: one CSV file each, with
    the columns of ``CSV_COLUMNS``."""
    runner.stored_profile()
    rows: dict[str, list[list[object]]] = {name: [] for name in CSV_COLUMNS}
    for session in runner.store.journal.sessions(*EVER):
        for s in session.sets:
            rows["sessions.csv"].append(
                [
                    session.performed_on,
                    s.exercise,
                    s.variant,
                    s.side.value,
                    s.set_number,
                    s.reps,
                    s.hold_seconds,
                    s.load_kg,
                    session.pain_during,
                    session.pain_after,
                    session.effort,
                    session.notes,
                ]
            )
    for checkin in runner.store.journal.checkins(*EVER):
        rows["checkins.csv"].append([checkin.date, checkin.pain_morning, checkin.swelling])
    for result in runner.store.outcomes.akps_results():
        rows["akps.csv"].append([result.taken_on, result.score, *result.answers])
    for stored in runner.store.activities.all():
        a = stored.activity
        rows["runs.csv"].append(
            [
                stored.id,
                a.sport.value,
                a.start.isoformat(),
                round(a.distance_m, 1),
                round(a.elapsed_s, 1),
                round(a.moving_s, 1),
                a.ascent_m,
                a.avg_hr,
                a.max_hr,
                a.avg_cadence,
                a.indoor,
                a.name,
                ";".join(stored.sources),
            ]
        )
    return tuple(
        ExportView(
            file_name=name,
            media_type="text/csv; charset=utf-8",
            data=_csv(header, rows[name]),
            counts=(CountView("rows", len(rows[name])),),
        )
        for name, header in CSV_COLUMNS.items()
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """``text`` as a spreadsheet shows it and never runs it: one starting as a formula does
    (=, +, - or @, or a tab or carriage return before one: a note, a run's name from its
    file, a file's name) gets a quote first."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: tuple[str, ...], rows: list[list[object]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(
        ["" if v is None else spreadsheet_text(v) if isinstance(v, str) else v for v in row]
        for row in rows
    )
    return out.getvalue().encode("utf-8")


def csv_archive(runner: RunnerContext) -> ExportView:
    """The CSV files in one zip archive, for a single download."""
    files = csv_files(runner)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.writestr(file.file_name, file.data)
    return ExportView(
        file_name=f"kneecoach-csv-{runner.clock.today().isoformat()}.zip",
        media_type="application/zip",
        data=buffer.getvalue(),
        counts=tuple(CountView(f.file_name, f.counts[0].count) for f in files),
    )


# --- FHIR ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CareActivityView:
    """One exercise of the care plan as it is prescribed now."""

    name: str
    variant: str
    dosage: str
    load: str
    rest_seconds: int


@dataclass(frozen=True, slots=True)
class CarePlanView:
    title: str
    summary: str
    activities: tuple[CareActivityView, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class PainRatingView:
    """One pain rating on the 0-10 numeric rating scale, and when in the day it was given."""

    day: dt.date
    value: int
    context: str


@dataclass(frozen=True, slots=True)
class AnswerOptionView:
    text: str
    points: int


@dataclass(frozen=True, slots=True)
class QuestionView:
    number: int
    name: str
    options: tuple[AnswerOptionView, ...]


@dataclass(frozen=True, slots=True)
class QuestionnaireView:
    """The Kujala AKPS as a questionnaire: its items and options, and its score range."""

    title: str
    questions: tuple[QuestionView, ...]
    score_max: int
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class AkpsResponseView:
    taken_on: dt.date
    answers: tuple[int, ...]
    """The option chosen per question (1-based), in question order."""
    score: int


@dataclass(frozen=True, slots=True)
class WeeklyDistanceView:
    monday: dt.date
    distance: float
    unit: str
    """A UCUM code."""


@dataclass(frozen=True, slots=True)
class FhirRecordView:
    """What the FHIR Bundle holds, as plain data (see ``exports.fhir``)."""

    user: str
    """Whose record: only a pseudonym derived from it goes into the Bundle."""
    made_at: dt.datetime
    care_plan: CarePlanView
    pain_min: int
    pain_max: int
    pain_ratings: tuple[PainRatingView, ...]
    questionnaire: QuestionnaireView
    akps: tuple[AkpsResponseView, ...]
    weekly_distance: tuple[WeeklyDistanceView, ...]


def fhir_record(runner: RunnerContext, user: str) -> FhirRecordView:
    """The runner's record for a clinic system: the program as prescribed today, every pain
    rating (during sessions, next mornings), every AKPS and the weekly running distance."""
    from kneecoach.services.runs import load_report

    program = definitions.program(runner.stored_profile().program_key)
    plan = session_for(runner, runner.clock.today())
    report = load_report(runner, "distance")
    sessions = runner.store.journal.sessions(*EVER)
    checkins = runner.store.journal.checkins(*EVER)
    return FhirRecordView(
        user=user,
        made_at=runner.clock.now(),
        care_plan=_care_plan(program, plan),
        pain_min=PAIN_MIN,
        pain_max=PAIN_MAX,
        pain_ratings=(
            *(
                PainRatingView(s.performed_on, s.pain_during, "during an exercise session")
                for s in sessions
            ),
            *(PainRatingView(c.date, c.pain_morning, "next morning") for c in checkins),
        ),
        questionnaire=QuestionnaireView(
            title="Kujala Anterior Knee Pain Scale",
            questions=tuple(
                QuestionView(
                    item.number,
                    item.name,
                    tuple(AnswerOptionView(o.text, o.points) for o in item.options),
                )
                for item in ITEMS
            ),
            score_max=sum(item.maximum for item in ITEMS),
            sources=(KUJALA_1993,),
        ),
        akps=tuple(
            AkpsResponseView(r.taken_on, r.answers, r.score)
            for r in runner.store.outcomes.akps_results()
        ),
        weekly_distance=tuple(
            WeeklyDistanceView(week.monday, round(week.load, 2), FHIR_DISTANCE_UNIT)
            for week in (report.weeks if report else [])
            if week.load > 0
        ),
    )


def _care_plan(program: Program, plan: SessionPlan) -> CarePlanView:
    return CarePlanView(
        title=program.name,
        summary=program.summary,
        activities=tuple(
            CareActivityView(
                item.exercise.name,
                item.variant.name,
                item.dosage.describe(),
                item.load_text,
                item.rest_seconds,
            )
            for item in plan.exercises
        ),
        sources=_unique((*program.sources, *PAIN_MONITORING_GUIDE.sources)),
    )


# --- Calendar --------------------------------------------------------------------------


def calendar_plans(runner: RunnerContext, weeks: int, *, timezone: str) -> tuple[SessionPlan, ...]:
    """The sessions of the coming ``weeks``, for a calendar; none while the program is paused."""
    from kneecoach.config import zone

    if not 1 <= weeks <= 52:
        raise InvalidInput(f"weeks must be from 1 to 52, not {weeks}")
    zone(timezone)
    stored = runner.stored_profile()
    _refuse_while_paused(runner, "no sessions")
    first = runner.clock.today()
    days = session_days(
        stored.profile.start_date,
        stored.profile.sessions_per_week,
        first,
        first + dt.timedelta(days=7 * weeks - 1),
    )
    return tuple(session_for(runner, day) for day in days)


def _refuse_while_paused(runner: RunnerContext, what: str) -> None:
    """A pause means pause everywhere: nothing that lays out sessions to do (a calendar, a
    sheet to pin on the fridge) is made while the program is paused."""
    screening = current_screening(runner)
    if not screening.clear:
        raise InvalidInput(f"{what} while the program is paused: {screening.advice}")


# --- Program sheet ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SheetExerciseView:
    """One exercise on the sheet: what to do, how much, and how."""

    key: str
    name: str
    variant: str
    dosage: str
    load: str | None
    """The load, for exercises that can be done with weight; None for the others."""
    rest_seconds: int
    variant_instructions: tuple[str, ...]
    instructions: tuple[str, ...]
    cue: str
    notes: tuple[Advice, ...]
    figure: Figure | None
    figure_flipped: bool
    """Mirror the figure, so the working leg is the runner's affected one."""
    range_text: str | None = None
    """How deep each repetition goes ('partial range: bend to about 45°'), for an exercise
    with ranges of motion; None for the others."""


@dataclass(frozen=True, slots=True)
class PainBandView:
    label: str
    low: int
    high: int


@dataclass(frozen=True, slots=True)
class SheetView:
    """The printable program sheet, as plain data (see ``exports.sheet``)."""

    knee: str
    """The affected knee: left, right or both."""
    sessions_per_week: int
    week: int
    weeks: int
    phase: str | None
    minutes: int
    printed: dt.date
    exercises: tuple[SheetExerciseView, ...]
    days: tuple[dt.date, ...]
    """The coming session days, one tick box each."""
    pain_scale: tuple[PainBandView, ...]
    pain_guide: Advice
    red_flags: tuple[str, ...]
    disclaimer: str
    sources: tuple[Source, ...]
    race_runs: tuple[RaceRunToday, ...] = ()
    """The race plan's runs over the same weeks, one tick box each."""


SHEET_DAYS = 16
"""At most this many tick boxes fit across an exercise on A4."""


def sheet_view(runner: RunnerContext, weeks: int) -> SheetView:
    """The runner's current program with ``weeks`` (1-8) of tick boxes, as the sheet shows
    it: each exercise, the pain scale and its rules, the red flags and the sources."""
    if not 1 <= weeks <= 8:
        raise InvalidInput(f"weeks must be from 1 to 8, not {weeks}")
    stored = runner.stored_profile()
    _refuse_while_paused(runner, "no program sheet")
    profile = stored.profile
    today = runner.clock.today()
    days = session_days(
        profile.start_date,
        profile.sessions_per_week,
        today,
        today + dt.timedelta(days=7 * weeks - 1),
    )
    plan = session_for(runner, days[0] if days else today)
    working_side = "left" if profile.affected_knee.value == "both" else profile.affected_knee.value
    exercises = tuple(_sheet_exercise(item, working_side) for item in plan.exercises)
    program = definitions.program(stored.program_key)
    runs = runs_between(runner, today, today + dt.timedelta(days=7 * weeks - 1))
    return SheetView(
        knee=profile.affected_knee.value,
        sessions_per_week=profile.sessions_per_week,
        week=plan.week,
        weeks=plan.weeks,
        phase=plan.phase,
        minutes=round(plan.seconds / 60),
        printed=today,
        exercises=exercises,
        days=tuple(days[:SHEET_DAYS]),
        pain_scale=tuple(
            PainBandView(band.band.value, band.low, band.high) for band in PAIN_DURING_SCALE
        ),
        pain_guide=PAIN_MONITORING_GUIDE,
        red_flags=tuple(flag.short for flag in RED_FLAGS),
        disclaimer=DISCLAIMER,
        sources=_unique(
            (
                *program.sources,
                program.length_source,
                *PAIN_MONITORING_GUIDE.sources,
                RED_FLAG_SCREENING,
                *(s for e in exercises for note in e.notes for s in note.sources),
                *(s for run in runs[:1] for s in run.sources),
            )
        ),
        race_runs=runs[:SHEET_DAYS],
    )


def _sheet_exercise(item: PlannedExercise, working_side: str) -> SheetExerciseView:
    figure = item.variant.figure
    return SheetExerciseView(
        key=item.exercise.key,
        name=item.exercise.name,
        variant=item.variant.name,
        dosage=item.dosage.describe(),
        load=item.load_text if item.exercise.has_weighted_variant else None,
        rest_seconds=item.rest_seconds,
        variant_instructions=item.variant.instructions,
        instructions=item.exercise.instructions,
        cue=item.cue,
        notes=item.notes,
        figure=figure,
        figure_flipped=figure is not None and figure.flipped_for(working_side),
        range_text=item.range_text,
    )


def _unique(sources: tuple[Source, ...]) -> tuple[Source, ...]:
    """Each source once, in the order first cited."""
    first: dict[str, Source] = {}
    for source in sources:
        first.setdefault(source.key, source)
    return tuple(first.values())
