"""Rich rendering for people; every function here has a JSON twin in its command module."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from kneecoach import DISCLAIMER
from kneecoach.cli.common import console
from kneecoach.domain.planning import NotStarted, Paused, RestDay, SessionPlan

SPARK = "▁▂▃▄▅▆▇█"


def _day(date: Any) -> str:
    return f"{date:%A %d %B %Y}"


def _cite(sources: Any) -> str:
    return "; ".join(s.citation for s in sources)


def show_onboarded(result: Any) -> None:
    out = console()
    p = result.profile
    kit = ", ".join(sorted(e.label for e in p.equipment)) or "none"
    out.print(
        f"[bold]Profile {'updated' if result.replaced else 'saved'}.[/] "
        f"Knee: {p.affected_knee}; pain at rest {p.pain_at_rest}/10, running "
        f"{p.pain_running}/10; equipment: {kit}; {p.sessions_per_week} sessions a week "
        f"from {_day(p.start_date)}."
    )
    out.print(f"[dim]{escape(DISCLAIMER)}[/]")
    show_screening(result.screening)
    if result.screening.clear:
        out.print("Next: [bold]kneecoach today[/] shows your first session.")


def show_screening(result: Any) -> None:
    out = console()
    style = "green" if result.clear else "bold red"
    out.print(f"[{style}]{escape(result.advice)}[/]")
    out.print(f"[dim]Source: {escape(result.source.short())}[/]")


def show_day_plan(plan: Any) -> None:
    out = console()
    if isinstance(plan, Paused):
        out.print(Panel(escape(plan.screening.advice), title="Program paused", style="red"))
        out.print(f"[dim]Source: {escape(plan.screening.source.short())}[/]")
        return
    if isinstance(plan, NotStarted):
        out.print(f"Your program starts on {_day(plan.start_date)}. Nothing to do today.")
        return
    if isinstance(plan, RestDay):
        out.print(
            f"{_day(plan.date)} is a rest day. Next session: [bold]{_day(plan.next_session)}[/]."
        )
        return
    assert isinstance(plan, SessionPlan)
    table = Table(
        title=f"{_day(plan.date)} · week {plan.week} of {plan.weeks}"
        + (f" · {plan.phase} phase" if plan.phase else ""),
        title_justify="left",
        title_style="bold",
    )
    table.add_column("#", justify="right")
    table.add_column("Exercise", ratio=3)
    table.add_column("How", ratio=2)
    table.add_column("Sets × reps", ratio=3)
    table.add_column("Rest", justify="right", no_wrap=True)
    for order, item in enumerate(plan.exercises, start=1):
        how = item.variant.name
        if item.load_kg > 0:
            how += f", {item.load_kg:g} kg"
        table.add_row(
            str(order),
            item.exercise.name,
            how,
            item.dosage.short(),
            f"{item.rest_seconds} s",
        )
    out.print(table)
    sources: dict[str, Any] = {}
    notes = [(item.exercise.name, note) for item in plan.exercises for note in item.notes]
    if notes:
        for name, note in notes:
            out.print(
                f" • [bold]{escape(name)}[/]: {escape(note.text)} [dim]\\[{escape(note.labels)}][/]"
            )
            sources.update((src.label, src) for src in note.sources)
    note = plan.course_note
    out.print(f"{escape(note.text)} [dim]\\[{escape(note.labels)}][/]")
    sources.update((src.label, src) for src in note.sources)
    out.print(
        "[dim]Sources: "
        + escape("; ".join(f"[{label}] {src.citation}" for label, src in sources.items()))
        + "[/]"
    )
    minutes = round(session_seconds(plan) / 60)
    out.print(
        f"About {minutes} minutes with rests. Guided, hands-free: [bold]kneecoach session[/]. "
        "Done already? [bold]kneecoach log[/]."
    )


def session_seconds(plan: SessionPlan) -> float:
    from kneecoach.domain.profile import Knee
    from kneecoach.domain.timeline import build_timeline

    return build_timeline(plan, Knee.BOTH).total_seconds


def show_catalogue(catalogue: Any, program: Any) -> None:
    table = Table(title="Exercises", title_justify="left")
    table.add_column("Exercise")
    table.add_column("Dosage")
    table.add_column("Equipment")
    table.add_column("Works")
    for exercise in catalogue:
        table.add_row(
            exercise.name,
            program.prescription(exercise.key).dosage.describe(),
            ", ".join(sorted(e.label for e in exercise.equipment)) or "none",
            ", ".join(exercise.targets),
        )
    console().print(table)
    console().print("[dim]More about one: kneecoach exercises NAME[/]")


def show_exercise(exercise: Any, program: Any) -> None:
    prescribed = program.prescription(exercise.key)
    parts: list[Any] = [
        Text(exercise.purpose),
        Text(""),
        Text.assemble(("Dosage: ", "bold"), prescribed.dosage.describe()),
        Text.assemble(
            ("Equipment: ", "bold"),
            ", ".join(sorted(e.label for e in exercise.equipment)) or "none",
        ),
        Text.assemble(("Works: ", "bold"), ", ".join(exercise.targets)),
        Text(""),
        Text("How to do it", style="bold"),
    ]
    parts += [Text(f" {n}. {step}") for n, step in enumerate(exercise.instructions, start=1)]
    parts += [Text(""), Text("Variants", style="bold")]
    for variant in exercise.variants:
        kit = ", ".join(sorted(e.label for e in variant.equipment)) or "no equipment"
        parts.append(Text(f" • {variant.name} ({kit})"))
        parts += [Text(f"   {line}") for line in variant.instructions]
    if exercise.cautions:
        parts += [Text(""), Text("Take care", style="bold")]
        parts += [Text(f" • {c}") for c in exercise.cautions]
    if exercise.look_for:
        parts += [Text(""), Text("What to look for over the weeks", style="bold")]
        parts += [Text(f" • {c}") for c in exercise.look_for]
    if exercise.substitutes:
        parts += [Text(""), Text("Without the equipment", style="bold")]
        parts += [Text(f" • {e.label}: {text}") for e, text in exercise.substitutes]
    parts += [Text(""), Text(f"Source: {exercise.source.citation}", style="dim")]
    console().print(Panel(Group(*parts), title=exercise.name, title_align="left"))


def show_logged(session: Any, plan: Any) -> None:
    from kneecoach.domain.evidence import SILBERNAGEL_2007, THOMEE_1997
    from kneecoach.domain.pain import pain_during_band

    out = console()
    planned = plan.planned_sets
    done = sum(1 for s in session.sets if any(p.exercise.key == s.exercise for p in plan.exercises))
    out.print(
        f"[bold]Logged[/] {_day(session.performed_on)}: {len(session.sets)} sets "
        f"({min(done, planned)} of the {planned} planned), pain during {session.pain_during}/10."
    )
    band = pain_during_band(session.pain_during)
    message = {
        "ideal": "Pain during stayed at or below 2/10: ideal.",
        "acceptable": "Pain during stayed at or below 5/10: acceptable, if it settles by "
        "tomorrow morning.",
        "too much": "Pain during went above 5/10: too much. Do less next time, and see a "
        "clinician if it keeps happening.",
    }[band]
    out.print(f"{message} [dim]\\[{SILBERNAGEL_2007.label}; {THOMEE_1997.label}][/]")
    out.print("Tomorrow morning: [bold]kneecoach checkin --pain N[/].")


def sparkline(values: list[int | None]) -> str:
    return "".join(" " if v is None else SPARK[min(7, round(v * 7 / 10))] for v in values)


def show_history(report: Any) -> None:
    out = console()
    a = report.adherence
    if not report.sessions:
        out.print(f"No sessions logged from {report.first} to {report.last}.")
    else:
        table = Table(title=f"Sessions {report.first} to {report.last}", title_justify="left")
        table.add_column("Date")
        table.add_column("Planned day")
        table.add_column("Sets", justify="right")
        table.add_column("Pain during", justify="right")
        table.add_column("Next morning", justify="right")
        table.add_column("Effort", justify="right")
        table.add_column("Notes")
        for s in report.sessions:
            morning = s.morning_pain
            table.add_row(
                f"{s.session.performed_on:%a %d %b}",
                "yes" if s.planned_day else "extra",
                f"{s.sets_done}/{s.sets_planned}",
                f"{s.session.pain_during}/10",
                "—" if morning is None else f"{morning}/10",
                "—" if s.session.effort is None else str(s.session.effort),
                s.session.notes[:40],
            )
        out.print(table)
        during = [s.session.pain_during for s in report.sessions]
        mornings = [s.morning_pain for s in report.sessions]
        out.print(f"Pain during   {sparkline(list(during))}  (0-10, one mark a session)")
        out.print(f"Next morning  {sparkline(mornings)}")
    if a.session_rate is not None:
        extra = f", plus {a.sessions_extra} extra" if a.sessions_extra else ""
        out.print(
            f"Adherence: {a.sessions_done} of {a.sessions_planned} planned sessions "
            f"({a.session_rate:.0%}){extra}; {a.sets_done} of {a.sets_planned} planned sets "
            f"({a.set_rate:.0%})."
        )
