"""Rich rendering for people; every function here has a JSON twin in its command module."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table

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
        from rich.panel import Panel

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
    return plan.seconds


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
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

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


def show_akps_result(result: Any, kept: Any) -> None:
    from kneecoach.domain.evidence import CROSSLEY_2004, KUJALA_1993

    out = console()
    out.print(f"[bold]AKPS {result.score}/100[/] on {_day(result.taken_on)} (higher is better).")
    if kept.change is not None:
        out.print(escape(kept.change.explain()))
    out.print(f"Next one due on {_day(kept.due_on)}.")
    out.print(f"[dim]Sources: {KUJALA_1993.citation}; {CROSSLEY_2004.citation}[/]")


def show_akps_history(kept: Any) -> None:
    from kneecoach.domain.evidence import CROSSLEY_2004, KUJALA_1993
    from kneecoach.domain.outcomes import MCID

    out = console()
    if not kept.results:
        out.print("No AKPS yet: [bold]kneecoach akps[/] takes it (13 questions).")
        return
    table = Table(title="Kujala AKPS (0-100, higher is better)", title_justify="left")
    table.add_column("Date")
    table.add_column("Score", justify="right")
    table.add_column("Change", justify="right")
    table.add_column("")
    first = kept.results[0].score
    for result in kept.results:
        delta = result.score - first
        bar = "█" * (result.score // 5)
        table.add_row(
            f"{result.taken_on:%a %d %b %Y}",
            str(result.score),
            f"{delta:+d}" if result is not kept.results[0] else "baseline",
            bar,
        )
    out.print(table)
    if kept.change is not None:
        out.print(escape(kept.change.explain()))
    else:
        out.print(f"A change of {MCID} points or more from your first AKPS is one that matters.")
    out.print(f"Next one due on {_day(kept.due_on)}.")
    out.print(f"[dim]Sources: {KUJALA_1993.citation}; {CROSSLEY_2004.citation}[/]")


def show_progress(rows: Any, note: str) -> None:
    out = console()
    if note:
        out.print(f"[bold]{escape(note)}[/]")
    table = Table(title="Progress", title_justify="left")
    table.add_column("Exercise", ratio=2)
    table.add_column("Now", ratio=2)
    table.add_column("Last decision", ratio=3)
    table.add_column("Next step", ratio=3)
    sources: dict[str, Any] = {}
    for row in rows:
        live = [d for d in row.history if not d.undone]
        last = live[-1].decision if live else None
        last_text = (
            f"{last.decided_on:%d %b}: {last.action.value} — {last.why} "
            f"[{'; '.join(s.label for s in last.sources)}]"
            if last
            else "none yet (the seed dosage)"
        )
        if last:
            sources.update((s.label, s) for s in last.sources)
        sources.update((s.label, s) for s in row.next.sources)
        table.add_row(
            row.name + (" (pinned)" if row.pinned else ""),
            row.level.describe(),
            escape(last_text),
            escape(f"{row.next.why} [{'; '.join(s.label for s in row.next.sources)}]"),
        )
    out.print(table)
    out.print(
        "[dim]Sources: "
        + escape("; ".join(f"[{label}] {src.citation}" for label, src in sources.items()))
        + "[/]"
    )
    out.print(
        "[dim]kneecoach progress --undo reverses the latest decision; --pin NAME holds one.[/]"
    )


def show_review(r: Any) -> None:
    from kneecoach.domain.evidence import CROSSLEY_2004, SILBERNAGEL_2007
    from kneecoach.presenters import pain_trend, plan_line

    out = console()
    out.print(f"[bold]Weekly review, {r.first:%d %b} to {r.last:%d %b %Y}[/]")
    a = r.adherence
    if a.sessions_planned:
        out.print(
            f"• Sessions: {a.sessions_done} of {a.sessions_planned} planned; "
            f"{a.sets_done} of {a.sets_planned} sets."
        )
    out.print(f"• Pain during sessions: {pain_trend(r.pain_during, r.pain_during_before)}.")
    out.print(
        f"• Next-morning pain: {pain_trend(r.morning, r.morning_before)}. It should not rise from "
        f"week to week. [dim]\\[{SILBERNAGEL_2007.label}][/]"
    )
    if r.akps_latest is None:
        out.print("• AKPS: not taken yet — [bold]kneecoach akps[/].")
    else:
        change = f" {r.akps_change.explain()}" if r.akps_change else ""
        out.print(
            f"• AKPS: {r.akps_latest.score}/100.{escape(change)} [dim]\\[{CROSSLEY_2004.label}][/]"
        )
    if r.decisions:
        out.print("• This week's decisions:")
        from kneecoach import definitions

        for d in r.decisions:
            name = definitions.catalogue().get(d.exercise).name
            out.print(
                f"   {d.decided_on:%a %d %b} {escape(name)}: {d.action.value} — "
                f"{escape(d.why)} [dim]\\[{escape('; '.join(s.label for s in d.sources))}][/]"
            )
    else:
        out.print("• No changes this week: each exercise holds where it is.")
    if not r.screening.clear:
        out.print(f"[bold red]{escape(r.screening.advice)}[/]")
        return
    if r.next_plan is not None:
        days = ", ".join(f"{d:%a %d %b}" for d in r.next_sessions)
        out.print(f"• Next week: sessions on {days}, at these levels:")
        for item in r.next_plan.exercises:
            out.print(f"   {plan_line(item)}")
    if r.akps_due_on <= r.last:
        out.print("• The AKPS is due: [bold]kneecoach akps[/].")
