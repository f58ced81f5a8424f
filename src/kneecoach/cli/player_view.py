"""The full-screen terminal player: renders the engine's state and turns keys into commands."""

from __future__ import annotations

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
from kneecoach.services.guided import FigureView, GuidedSession, PlayerStepView
from kneecoach.services.player import Cue, Player, RealClock, State, drive

KEYS = "space pause · n skip · r repeat set · - fewer reps · e easier variant · q quit"


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
        f"set {step.set_in_session} of {view.sets_in_session} · "
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
        Text(f"Next: {step.next_cue}"),
        Text(message, style="yellow") if message else Text(""),
        Text(KEYS, style="dim"),
    )
    return Panel(body, title="kneecoach · guided session", border_style="cyan")


def play(session: GuidedSession, *, speed: float, sound: str, log: bool = True) -> Player:
    """Run the session's timeline in the terminal until it ends or the runner quits.

    Without a terminal (a script, a pipe) it runs hands-free and, unless ``log`` is off,
    writes one line per announcement instead of redrawing a screen.
    """
    clock = RealClock(speed)
    cues = Cues(sound, speed)
    state = {"message": ""}

    def on_cue(cue: Cue) -> None:
        step = session.view().steps[cue.step.index]
        cues.say(step.cue, important=step.important)

    player = Player(session.timeline, clock, session.keep, on_cue)

    def on_key(key: str) -> None:
        step = player.current
        if key == " ":
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
            _play_as_lines(player, session, clock, cues, log)
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
    player: Player, session: GuidedSession, clock: RealClock, cues: Cues, log: bool
) -> None:
    out = console()

    def on_cue(cue: Cue) -> None:
        step = session.view().steps[cue.step.index]
        cues.say(step.cue, important=step.important)
        if log and step.important:
            out.print(f"{_clock(step.start)}  {step.cue}", highlight=False)

    player.on_cue = on_cue
    with Keys() as keys:
        drive(player, clock, keys.wait, refresh=1.0)
