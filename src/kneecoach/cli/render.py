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


ANSWER_HINT = (
    "Answer it with: kneecoach screen --no-red-flags --age-band BAND "
    "(or --red-flag NAME for each that applies)."
)
LIFT_HINT = (
    "If no clinician follows you, once one has seen you: "
    "kneecoach screen --no-red-flags --seen-clinician-on YYYY-MM-DD."
)


def show_screening(result: Any) -> None:
    out = console()
    style = "green" if result.clear else ("yellow" if not result.answered else "bold red")
    out.print(f"[{style}]{escape(result.advice)}[/]")
    out.print(f"[dim]Source: {escape(result.source.short())}[/]")
    if not result.answered:
        out.print(ANSWER_HINT)
    elif not result.clear:
        out.print(LIFT_HINT)


def _show_in_progress(in_progress: Any) -> None:
    """The day's session kept set by set and not finished: how far it got, and how to pick
    it up (an extra one on a rest day too)."""
    if in_progress is None:
        return
    pains = in_progress.pains_said
    console().print(
        f"[bold]In progress:[/] {in_progress.sets_kept} of {in_progress.sets_planned} sets "
        "kept so far" + (f" (pain reported: {escape(pains)})" if pains else "") + ". "
        "Pick it up where it stopped: [bold]kneecoach session[/], or the browser's player."
    )


def show_day_plan(
    plan: Any, logged: Any = None, logged_on: str = "today", in_progress: Any = None
) -> None:
    """The day's plan; with ``logged`` (the session kept that day), it says so as the page
    does instead of asking whether it is done already; with ``in_progress`` (the day's
    session kept set by set, not finished), how far it got and how to pick it up."""
    out = console()
    if isinstance(plan, Paused):
        from rich.panel import Panel

        if not plan.screening.answered:
            out.print(Panel(escape(plan.screening.advice), title="Red-flag screen first"))
            out.print(ANSWER_HINT)
            return
        out.print(Panel(escape(plan.screening.advice), title="Program paused", style="red"))
        out.print(f"[dim]Source: {escape(plan.screening.source.short())}[/]")
        out.print(LIFT_HINT)
        return
    if isinstance(plan, NotStarted):
        out.print(f"Your program starts on {_day(plan.start_date)}. Nothing to do today.")
        _show_in_progress(in_progress)
        return
    if isinstance(plan, RestDay):
        out.print(
            f"{_day(plan.date)} is a rest day. Next session: [bold]{_day(plan.next_session)}[/]."
        )
        _show_in_progress(in_progress)
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
    for item in plan.exercises:
        if item.range_text:
            out.print(f" • [bold]{escape(item.exercise.name)}[/], range: {escape(item.range_text)}")
    notes = [(item.exercise.name, note) for item in plan.exercises for note in item.notes]
    for name, note in notes:
        out.print(
            f" • [bold]{escape(name)}[/]: {escape(note.text)} [dim]\\[{escape(note.labels)}][/]"
        )
    note = plan.course_note
    out.print(f"{escape(note.text)} [dim]\\[{escape(note.labels)}][/]")
    out.print(
        "[dim]Sources: "
        + escape("; ".join(f"[{src.label}] {src.citation}" for src in plan.sources))
        + "[/]"
    )
    if logged is not None:
        out.print(
            f"[bold green]Logged for {logged_on}: {logged.sets} sets, pain "
            f"{logged.pain_during}/10.[/] To log it again: [bold]kneecoach log --replace[/]."
        )
        return
    if in_progress is not None:
        _show_in_progress(in_progress)
        return
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
        prescribed = program.prescription(exercise.key)
        depth = exercise.range_text(prescribed.range)
        table.add_row(
            exercise.name,
            prescribed.dosage.describe() + (f", {depth}" if depth else ""),
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
        Text.assemble(
            ("Dosage: ", "bold"),
            prescribed.dosage.describe()
            + (f", {depth}" if (depth := exercise.range_text(prescribed.range)) else ""),
        ),
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
    if exercise.ranges:
        parts += [Text(""), Text("Range of motion", style="bold")]
        parts += [Text(f" • {r.text} [{r.source.label}]") for r in exercise.ranges]
        if exercise.range_note:
            note = exercise.range_note
            parts.append(Text(f"   {note.text} [{note.labels}]"))
    if exercise.cautions:
        parts += [Text(""), Text("Take care", style="bold")]
        parts += [Text(f" • {c}") for c in exercise.cautions]
    if exercise.look_for:
        parts += [Text(""), Text("What to look for over the weeks", style="bold")]
        parts += [Text(f" • {c}") for c in exercise.look_for]
    if exercise.substitutes:
        parts += [Text(""), Text("Without the equipment", style="bold")]
        parts += [Text(f" • {e.label}: {text}") for e, text in exercise.substitutes]
    parts += [Text("")]
    parts += [
        Text(f"{', '.join(c.parts).capitalize()}: {c.source.citation}", style="dim")
        for c in exercise.credits
    ]
    console().print(Panel(Group(*parts), title=exercise.name, title_align="left"))


def show_logged(view: Any) -> None:
    out = console()
    out.print(
        f"[bold]Logged[/] {_day(view.day)}: {view.sets_logged} sets "
        f"({view.planned_sets_done} of the {view.planned_sets} planned), "
        f"pain during {view.pain_during}/10."
    )
    for advice in view.end.message:  # per exercise when given, else the session's pain
        out.print(f"{escape(advice.text)} [dim]\\[{escape(advice.labels)}][/]")
    out.print("Tomorrow morning: [bold]kneecoach checkin --pain N[/].")


def sparkline(values: list[int | None], top: int) -> str:
    """One mark per value from 0 to ``top``; a gap where there is none."""
    return "".join(" " if v is None else SPARK[min(7, round(v * 7 / top))] for v in values)


def _labels(sources: Any) -> str:
    return "; ".join(s.label for s in sources)


def _cited(advice: Any) -> str:
    """Advice with its sources' short labels beside it, as the terminal shows it."""
    return f"{escape(advice.text)} [dim]\\[{escape(advice.labels)}][/]"


def _sources_line(sources: dict[str, Any]) -> str:
    return (
        "[dim]Sources: "
        + escape("; ".join(f"[{label}] {src.citation}" for label, src in sources.items()))
        + "[/]"
    )


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
        top = report.pain_max
        for s in report.sessions:
            morning = s.pain_next_morning
            table.add_row(
                f"{s.date:%a %d %b}",
                "yes" if s.planned_day else "extra",
                f"{s.sets_done}/{s.sets_planned}",
                f"{s.pain_during}/{top}",
                "—" if morning is None else f"{morning}/{top}",
                "—" if s.effort is None else str(s.effort),
                s.notes[:40],
            )
        out.print(table)
        during: list[int | None] = [s.pain_during for s in report.sessions]
        mornings = [s.pain_next_morning for s in report.sessions]
        out.print(f"Pain during   {sparkline(during, top)}  (0-{top}, one mark a session)")
        out.print(f"Next morning  {sparkline(mornings, top)}")
    if a.session_rate is not None:
        extra = f", plus {a.sessions_extra} extra" if a.sessions_extra else ""
        out.print(
            f"Adherence: {a.sessions_done} of {a.sessions_planned} planned sessions "
            f"({a.session_rate:.0%}){extra}; {a.sets_done} of {a.sets_planned} planned sets "
            f"({a.set_rate:.0%})."
        )


def _show_akps_outlook(akps: Any) -> None:
    """The change in words, a clinician when one is called for, the next due date, and the
    sources."""
    out = console()
    out.print(_cited(akps.guidance))
    if akps.referral is not None:
        out.print(f"[bold red]{_cited(akps.referral)}[/]")
    out.print(f"Next one due on {_day(akps.due_on)}.")
    out.print(f"[dim]Sources: {escape('; '.join(s.citation for s in akps.sources))}[/]")


def show_akps_result(recorded: Any) -> None:
    out = console()
    top = recorded.history.score_max
    out.print(
        f"[bold]AKPS {recorded.score}/{top}[/] on {_day(recorded.taken_on)} (higher is better)."
    )
    if recorded.replaced_note is not None:
        out.print(escape(recorded.replaced_note))
    _show_akps_outlook(recorded.history)


def show_akps_history(akps: Any) -> None:
    out = console()
    if not akps.results:
        out.print("No AKPS yet: [bold]kneecoach akps[/] takes it (13 questions).")
        return
    table = Table(title=f"Kujala AKPS (0-{akps.score_max}, higher is better)", title_justify="left")
    table.add_column("Date")
    table.add_column("Score", justify="right")
    table.add_column("Change", justify="right")
    table.add_column("")
    for result in akps.results:
        table.add_row(
            f"{result.taken_on:%a %d %b %Y}",
            str(result.score),
            "baseline" if result.from_first is None else f"{result.from_first:+d}",
            "█" * (result.score * 20 // akps.score_max),
        )
    out.print(table)
    _show_akps_outlook(akps)


def show_progress(view: Any, note: str) -> None:
    out = console()
    if note:
        out.print(f"[bold]{escape(note)}[/]")
    table = Table(title="Progress", title_justify="left")
    table.add_column("Exercise", ratio=2)
    table.add_column("Now", ratio=2)
    table.add_column("Last decision", ratio=3)
    table.add_column("Next step", ratio=3)
    sources: dict[str, Any] = {}
    adjustments: list[tuple[str, Any]] = []
    for row in view.exercises:
        last = row.latest
        last_text = (
            f"{last.decided_on:%d %b}: {last.action} — {last.why} [{_labels(last.sources)}]"
            if last
            else "none yet (the seed dosage)"
        )
        if last:
            sources.update((s.label, s) for s in last.sources)
        sources.update((s.label, s) for s in row.next.sources)
        next_text = f"{row.next.why} [{_labels(row.next.sources)}]"
        if row.verdict is not None:
            v = row.verdict
            next_text = (
                f"last session {v.performed_on:%d %b}: {v.band} — {v.reason} "
                f"[{_labels(v.sources)}]. {next_text}"
            )
            sources.update((s.label, s) for s in v.sources)
        now = row.level.described
        if row.today is not None and row.today.adjusted:
            now = f"today {row.today.level.described} (level: {now})"
            adjustments.extend((row.name, advice) for advice in row.today.notes)
        table.add_row(
            row.name + (" (pinned)" if row.pinned else ""),
            now,
            escape(last_text),
            escape(next_text),
        )
    out.print(table)
    for name, advice in adjustments:
        out.print(f"Today, {escape(name)}: {_cited(advice)}")
        sources.update((s.label, s) for s in advice.sources)
    out.print(_sources_line(sources))
    out.print(
        "[dim]kneecoach progress --undo reverses the latest decision; --pin NAME holds one.[/]"
    )


def show_review(r: Any) -> None:
    from kneecoach.presenters import pain_trend, plan_line

    out = console()
    out.print(f"[bold]Weekly review, {r.first:%d %b} to {r.last:%d %b %Y}[/]")
    done = r.sessions
    if done.sessions_planned:
        out.print(
            f"• Sessions: {done.sessions_done} of {done.sessions_planned} planned; "
            f"{done.sets_done} of {done.sets_planned} sets."
        )
    out.print(
        f"• Pain during sessions: {pain_trend(r.pain_during)}. {_cited(r.pain_during.advice)}"
    )
    out.print(f"• Next-morning pain: {pain_trend(r.morning)}. {_cited(r.morning.advice)}")
    akps = r.akps
    if akps.latest is None:
        out.print("• AKPS: not taken yet — [bold]kneecoach akps[/].")
    else:
        out.print(f"• AKPS: {akps.latest.score}/{akps.score_max}. {_cited(akps.guidance)}")
        if akps.referral is not None:
            out.print(f"  [bold red]{_cited(akps.referral)}[/]")
    if r.decisions:
        out.print("• This week's decisions:")
        for d in r.decisions:
            out.print(
                f"   {d.decided_on:%a %d %b} {escape(d.name)}: {d.action} — "
                f"{escape(d.why)} [dim]\\[{escape(_labels(d.sources))}][/]"
            )
    else:
        out.print("• No changes this week: each exercise holds where it is.")
    if r.paused is not None:
        out.print(f"[bold red]{escape(r.paused.text)}[/]")
        return
    if r.next_plan:
        days = ", ".join(f"{d:%a %d %b}" for d in r.next_sessions)
        out.print(f"• Next week: sessions on {days}, at these levels:")
        for item in r.next_plan:
            out.print(f"   {plan_line(item)}")
    if akps.due:
        out.print("• The AKPS is due: [bold]kneecoach akps[/].")
