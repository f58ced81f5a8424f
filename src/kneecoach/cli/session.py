"""``kneecoach session``: today's session, hands-free, in the terminal."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from kneecoach.cli.common import (
    BadInput,
    ask_int,
    ask_text,
    ask_yes,
    console,
    interactive,
    need,
    print_json,
    runner,
)
from kneecoach.domain.digits import ascii_digits


def session(
    speed: Annotated[
        float,
        typer.Option(
            help="Run the clock this many times faster (1 to 1000): for a demo or a test."
        ),
    ] = 1.0,
    voice: Annotated[
        bool, typer.Option("--voice", help="Speak the cues with espeak-ng (else the bell).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No sound at all.")] = False,
    start_side: Annotated[
        str | None,
        typer.Option(help="Start each round on the 'affected' or the 'good' leg."),
    ] = None,
    resume: Annotated[
        bool | None,
        typer.Option(
            "--resume/--no-resume",
            help="Pick up a stopped session (default), or close it as it is and start anew.",
        ),
    ] = None,
    close_pain: Annotated[
        int | None,
        typer.Option(help="Pain during the stopped session you close with --no-resume (0-10)."),
    ] = None,
    pain: Annotated[
        int | None, typer.Option(help="Pain during the session (0-10), for scripts.")
    ] = None,
    exercise_pain: Annotated[
        list[str] | None,
        typer.Option(
            "--exercise-pain",
            help="Knee pain during one exercise, for scripts, repeatable: EXERCISE=N (0-10), "
            "reported as that exercise ends (in a terminal, press 0-9, or t for 10, at any "
            "time).",
        ),
    ] = None,
    effort: Annotated[int | None, typer.Option(help="How hard it was (0-10).")] = None,
    notes: Annotated[str | None, typer.Option(help="Notes to log with the session.")] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Do today's session again though it is logged.")
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print the logged session as JSON.")] = False,
) -> None:
    """Do today's session hands-free: timers, tempo, rests and side switches, then log it."""
    from kneecoach.services import guided

    if not 0 < speed <= 1000:
        raise BadInput(f"--speed must be above 0 and at most 1000, not {speed:g}")
    from kneecoach.cli.onboarding import start_side_from

    side = start_side_from(start_side) if start_side is not None else None
    if not interactive() and pain is None:
        raise BadInput("missing --pain (there is no terminal to ask at the end; pass it as a flag)")
    from kneecoach.services.journal import exercise_pains_from_text

    pains = exercise_pains_from_text(exercise_pain or ())
    c = runner()  # a session needs a profile, so its user is already kept
    guided.check_not_paused(c)

    stopped = guided.unfinished(c)
    if stopped is not None:
        when = f"{stopped.performed_on:%A %d %B}"
        wanted = resume
        if wanted is None:
            wanted = (
                ask_yes(
                    f"You stopped a session on {when} after {len(stopped.sets)} sets. Resume it?",
                    default=True,
                )
                if interactive()
                else True
            )
        if wanted:
            running = guided.resume(c, stopped, start_side=side)
        else:
            closing = need(
                close_pain,
                "--close-pain",
                lambda: ask_int(f"Pain during the session you stopped on {when} (0-10)", 0, 10),
            )
            guided.close(c, stopped, closing)
            console().print(f"Logged the stopped session of {when} as it was.")
            running = guided.begin(c, start_side=side, replace_day=replace)
    else:
        running = guided.begin(c, start_side=side, replace_day=replace)

    from kneecoach.cli.player_view import play
    from kneecoach.services.player import State

    sound = "quiet" if quiet else "voice" if voice else "bell"
    player = play(running, speed=speed, sound=sound, log=not json, pains=pains)
    if player.state is State.FINISHED:
        for exercise, value in pains.items():  # one the player ran past unasked (a fast run)
            if exercise not in running.pains and running.stopped_by is None:
                running.report_pain(exercise, value)
    if running.stopped_by is not None:
        from kneecoach.cli.player_view import pain_message

        stopped_by = running.stopped_by
        if json and running.logged is not None:
            from kneecoach.presenters import exercise_pain_json, session_json

            print_json({**session_json(running.logged), "stopped": exercise_pain_json(stopped_by)})
            return
        console().print(pain_message(stopped_by), highlight=False)
        console().print(
            f"The session is logged as it was ({len(running.done)} sets) and the program is "
            "paused: [bold]kneecoach today[/] says what comes next."
        )
        return
    if player.state is not State.FINISHED:
        kept = len(running.done)
        console().print(
            f"Stopped. {kept} set{'s' if kept != 1 else ''} kept; "
            "[bold]kneecoach session[/] picks up where you stopped."
        )
        return
    if interactive() and _ask_last_exercise_pain(running):
        return
    pain = need(
        pain, "--pain", lambda: ask_int("Highest knee pain during the session (0-10)", 0, 10)
    )
    if effort is None and interactive():
        effort = ask_int("How hard was it (0-10)?", 0, 10, 5)
    logged = running.finish(pain, effort, notes or "guided session")
    if logged is None:
        console().print("No set was done, so nothing was logged.")
        return
    if json:
        from kneecoach.presenters import logged_session_json
        from kneecoach.services.adaptation import session_end

        print_json(logged_session_json(logged, session_end(c, logged)))
        return
    from kneecoach.cli.render import show_logged
    from kneecoach.services.journal import logged_view

    show_logged(logged_view(c, logged, running.timeline.planned))


def _ask_last_exercise_pain(running: Any) -> bool:
    """Ask the pain during the session's last exercise (no rest follows it to ask in);
    Enter skips. True when that pain stopped the session (it is then logged, paused)."""
    from kneecoach.cli.player_view import pain_message

    last = running.timeline.planned.exercises[-1].exercise
    if last.key in running.pains or running.session_id is None:
        return False
    while True:
        answer = ask_text(f"Knee pain during {last.name} (0-10, Enter to skip)").strip()
        if not answer:
            return False
        if ascii_digits(answer) and 0 <= int(answer) <= 10:
            break
        console().print("[red]Please answer with a whole number from 0 to 10, or press Enter.[/]")
    reported = running.report_pain(last.key, int(answer))
    console().print(pain_message(reported), highlight=False)
    if reported.stopped:
        console().print(
            "The session is logged as it was and the program is paused: "
            "[bold]kneecoach today[/] says what comes next."
        )
    return bool(reported.stopped)
