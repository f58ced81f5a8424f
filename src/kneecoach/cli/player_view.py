"""The full-screen terminal player: renders the engine's state and turns keys into commands."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.align import Align
from rich.console import Group
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from kneecoach.cli.common import console
from kneecoach.cli.terminal import Cues, Keys, big
from kneecoach.domain.timeline import Timeline
from kneecoach.services.guided import ExercisePainView, FigureView, GuidedSession, PlayerStepView
from kneecoach.services.player import Cue, Player, RealClock, State, drive

KEYS = "0–9 knee pain now (t for 10) · space pause · n skip · r repeat set"
"""The keys always open; the easier ways are listed only where the exercise has them."""
TEN_KEYS = ("t", "T")
"""One key press answers the pain, so 10/10 (the scale's top, as the web takes it) has a
key of its own: t, for ten."""


def pain_of_key(key: str) -> int | None:
    """The pain a key press reports: 0-9 by its digit, 10 by t; None for any other key."""
    if key in TEN_KEYS:
        return 10
    if len(key) == 1 and key in "0123456789":
        return int(key)
    return None


OFFER_KEYS = {
    "smaller_range": "d smaller range",
    "fewer_reps": "- fewer reps",
    "easier_variant": "e easier variant",
}


def _clock(seconds: float) -> str:
    whole = max(0, round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _headline(step: PlayerStepView) -> str:
    return f"{step.exercise_name} — {step.side_label}" if step.side_label else step.exercise_name


FIGURE_ROWS = 8
"""Rows kept free under the exercise's name for its figure, in terminals that show one."""
FIGURE_TOP = 5
"""The screen row the figure starts on: below the border, the header, the cue, a blank."""


def render(player: Player, session: GuidedSession, message: str, figure_rows: int = 0) -> Any:
    current = player.current
    total = player.timeline.total_seconds
    if current is None:
        return Panel(Align.center(Text("Session complete. Well done!", style="bold green")))
    view = session.view()
    step = view.steps[current.index]
    remaining = player.remaining_in_step()
    if step.kind == "beat":
        focus = f"{step.rep}/{step.reps}"
        label = f"rep {step.rep} of {step.reps} · {step.label}"
    else:
        held = step.kind == "hold" and remaining >= 60
        focus = _clock(remaining) if held else str(int(remaining + 0.999))
        label = step.label
    if player.state is State.PAUSED:
        label = "PAUSED — press space to go on"
    header = Table.grid(expand=True)
    header.add_column()
    header.add_column(justify="right")
    header.add_row(
        Text(_headline(step), style="bold"), Text(f"set {step.set_number} of {step.sets}")
    )
    progress = Table.grid(expand=True, padding=(0, 1))
    progress.add_column(ratio=1)
    progress.add_column(justify="right", no_wrap=True)
    progress.add_row(
        ProgressBar(total=max(total, 1), completed=min(player.offset(), total)),
        # the whole day's count, in other words than the exercise's 'set 1 of 2' above it
        f"{step.set_in_session} of {view.sets_in_session} sets today · "
        f"{_clock(total - player.offset())} left",
    )
    body = Group(
        header,
        Text(step.cue_line, style="italic"),
        Text(""),
        *([Text("\n" * (figure_rows - 1))] if figure_rows else []),
        Align.center(Text(big(focus), style="bold cyan")),
        Align.center(Text(label, style="bold")),
        Text(""),
        progress,
        Text(step.next_line),
        *(
            [
                Text(
                    f"Knee pain during {step.pain_exercise_name}? Press 0–9 (t for 10), "
                    "or carry on.",
                    style="bold",
                )
            ]
            if step.asks_pain and step.pain_exercise not in session.pains
            else []
        ),
        Text(message, style="yellow") if message else Text(""),
        Text(key_line(session.easier_ways(step.exercise)), style="dim"),
    )
    return Panel(body, title="kneecoach · guided session", border_style="cyan")


def key_line(offers: Sequence[str]) -> str:
    """The keys the player answers now: the easier ways only for those ``offers`` open."""
    eases = [OFFER_KEYS[offer] for offer in offers]
    return " · ".join([KEYS, *eases, "q quit"])


def pain_message(answer: ExercisePainView) -> str:
    """The player's line for reported pain: the keys of the offers first (they are for now),
    then the rule's advice with its sources."""
    keys = " · ".join(OFFER_KEYS[offer] for offer in answer.offers)
    sources = "; ".join(source.label for source in answer.advice.sources)
    offer = f"Press {keys}. " if keys else ""
    return f"{offer}{answer.advice.text} [{sources}]"


def report_scripted(player: Player, session: GuidedSession, pains: Mapping[str, int]) -> None:
    """Report a pain given on the command line for the exercise just done, once: at the rest
    after it, or at the end of the session for the last one."""
    current = player.current
    if current is not None:
        step = session.view().steps[current.index]
        done = step.pain_exercise if step.asks_pain else None
    else:
        done = session.timeline.steps[-1].exercise if session.timeline.steps else None
    if done is not None and done in pains and done not in session.pains:
        answer = session.report_pain(done, pains[done])
        if answer.stopped:
            player.quit()


def play(
    session: GuidedSession,
    *,
    speed: float,
    sound: str,
    log: bool = True,
    pains: Mapping[str, int] | None = None,
) -> Player:
    """Run the session's timeline in the terminal until it ends or the runner quits.

    Without a terminal (a script, a pipe) it runs hands-free and, unless ``log`` is off,
    writes one line per announcement instead of redrawing a screen. ``pains`` (exercise
    key: pain) are reported as each of those exercises ends, as if pressed then.
    """
    clock = RealClock(speed)
    cues = Cues(sound, speed)
    state = {"message": ""}
    scripted = dict(pains or {})

    def on_cue(cue: Cue) -> None:
        step = session.view().steps[cue.step.index]
        cues.say(step.cue, important=step.important)
        report_scripted(player, session, scripted)  # as the rest after the exercise begins

    player = Player(session.timeline, clock, session.keep, on_cue)

    def ease(rebuilt: Timeline | None, done: str, none: str) -> None:
        if rebuilt is None:
            state["message"] = none
        else:
            player.replace_timeline(rebuilt)
            state["message"] = done

    def on_key(key: str) -> None:
        step = player.current
        pain = pain_of_key(key)
        if pain is not None and step is not None:
            shown = session.view().steps[step.index]
            if not shown.pain_exercise:  # an exercise's get-ready, before its first rep
                state["message"] = (
                    f"{shown.exercise_name} has not begun yet: tell its pain once its reps start."
                )
                return
            answer = session.report_pain(shown.pain_exercise, pain)
            state["message"] = pain_message(answer)
            if answer.stopped:
                player.quit()
        elif key in ("d", "D") and step is not None:
            ease(
                session.smaller_range(step.exercise),
                f"{step.exercise_name}: a smaller range for the rest of the session.",
                f"{step.exercise_name} has no smaller range to go to.",
            )
        elif key == " ":
            player.toggle_pause()
        elif key in ("n", "N"):
            player.skip()
        elif key in ("r", "R"):
            player.repeat_set()
        elif key in ("q", "Q"):
            player.quit()
        elif key in ("-", "_") and step is not None:
            rebuilt = session.fewer_reps(step.exercise)
            if rebuilt is None:
                state["message"] = "No fewer reps to go to here."
            else:
                player.replace_timeline(rebuilt)
                state["message"] = f"{step.exercise_name}: fewer reps for the rest of the session."
        elif key in ("e", "E") and step is not None:
            rebuilt = session.easier_variant(step.exercise)
            if rebuilt is None:
                state["message"] = f"{step.exercise_name} has no easier variant."
            else:
                player.replace_timeline(rebuilt)
                state["message"] = f"{step.exercise_name}: easier variant from now on."

    out = console()
    figures = Figures() if out.is_terminal else None
    rows = FIGURE_ROWS if figures and figures.shown else 0
    try:
        if not out.is_terminal:
            _play_as_lines(player, session, clock, cues, log, scripted)
            return player
        with (
            Keys() as keys,
            Live(
                render(player, session, "", rows), console=out, auto_refresh=False, screen=True
            ) as live,
        ):

            def on_tick() -> None:
                live.update(render(player, session, state["message"], rows), refresh=True)
                if figures is not None and player.current is not None:
                    figures.show(session.view().steps[player.current.index].figure, out.file)

            drive(player, clock, keys.wait, on_key=on_key, on_tick=on_tick)
            if player.state is State.FINISHED:
                report_scripted(player, session, scripted)
            if figures is not None:
                figures.clear(out.file)
    except KeyboardInterrupt:
        player.quit()
    finally:
        cues.close()
    return player


class Figures:
    """The current exercise's key positions beside the countdown, in terminals that speak
    the kitty graphics protocol (kitty keeps pictures apart from the text the player
    redraws); drawn again only when the exercise, variant or side changes."""

    def __init__(self) -> None:
        import os

        from kneecoach.cli import terminal_images

        self.shown = terminal_images.protocol(os.environ, True) == "kitty"
        self.current: tuple[str, str, str] | None = None

    def show(self, wanted: FigureView, file: Any) -> None:
        if not self.shown:
            return
        key = (wanted.exercise, wanted.variant, wanted.side)
        if key == self.current:
            return
        self.current = key
        from kneecoach import definitions
        from kneecoach.cli.terminal_images import kitty_place
        from kneecoach.exports.figure_png import keyframes_png

        figure = definitions.catalogue().get(wanted.exercise).variant(wanted.variant).figure
        if figure is None:
            return
        side = "left" if wanted.side == "both" else wanted.side
        png = keyframes_png(figure, highlight=figure.working, flip=figure.flipped_for(side))
        file.write(kitty_place(png, FIGURE_TOP, 3, FIGURE_ROWS))
        file.flush()

    def clear(self, file: Any) -> None:
        if self.shown and self.current is not None:
            from kneecoach.cli.terminal_images import kitty_delete

            file.write(kitty_delete())
            file.flush()


def _play_as_lines(
    player: Player,
    session: GuidedSession,
    clock: RealClock,
    cues: Cues,
    log: bool,
    pains: Mapping[str, int],
) -> None:
    out = console()

    def on_cue(cue: Cue) -> None:
        step = session.view().steps[cue.step.index]
        cues.say(step.cue, important=step.important)
        if log and step.important:
            out.print(f"{_clock(step.start)}  {step.cue}", highlight=False)
        report_scripted(player, session, pains)  # as the rest after the exercise begins

    def on_tick() -> None:
        if not player.done or player.state is State.FINISHED:
            report_scripted(player, session, pains)

    player.on_cue = on_cue
    with Keys() as keys:
        drive(player, clock, keys.wait, on_tick=on_tick, refresh=1.0)
    if player.state is State.FINISHED:
        report_scripted(player, session, pains)
