"""The ``kneecoach`` command: a group that builds only the subcommand it runs.

Start-up time is a feature (see benchmarks/startup.py): Typer inspects every parameter of
every command it builds, so the group lists commands from the table below and imports and
builds just the one invoked. ``--help`` builds none.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import typer
import typer.core
import typer.main

# typer 0.28 carries its own click: a mistyped command line raises its usage errors.
from typer._click import exceptions as click

from kneecoach import DISCLAIMER

# name: (module, function, one-line summary — the function's docstring starts with it)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "serve": (
        "kneecoach.cli.serve",
        "serve",
        "Start the web app (http://127.0.0.1:8000 by default) on the configured database.",
    ),
    "worker": (
        "kneecoach.cli.worker",
        "worker",
        "Run the web app's background jobs (imports) until stopped (Ctrl+C or SIGTERM).",
    ),
    "start": (
        "kneecoach.cli.onboarding",
        "start",
        "Start where you are: onboarding the first time, today's session after that.",
    ),
    "init": (
        "kneecoach.cli.onboarding",
        "init",
        "Set up your profile and program: knee, pain, equipment, schedule, red flags.",
    ),
    "screen": (
        "kneecoach.cli.onboarding",
        "screen",
        "Answer the red-flag screen; a pause is lifted once a clinician has seen you.",
    ),
    "today": (
        "kneecoach.cli.plan",
        "today",
        "Show the session due today (or on --date): exercises, variant, dosage, rest.",
    ),
    "exercises": (
        "kneecoach.cli.plan",
        "exercises",
        "List the exercises, or show everything about one.",
    ),
    "session": (
        "kneecoach.cli.session",
        "session",
        "Do today's session hands-free: timers, tempo, rests and side switches, then log it.",
    ),
    "log": (
        "kneecoach.cli.journal",
        "log",
        "Record a session you did: as planned, by flags, from a JSON file, or by answering.",
    ),
    "checkin": (
        "kneecoach.cli.journal",
        "checkin",
        "Record knee pain the morning after a session (the key signal for progression).",
    ),
    "progress": (
        "kneecoach.cli.progress",
        "progress",
        "Each exercise: where it stands, its decisions and why, and what the next step needs.",
    ),
    "review": (
        "kneecoach.cli.progress",
        "review",
        "The weekly review: adherence, pain trend, AKPS, decisions and next week, with sources.",
    ),
    "akps": (
        "kneecoach.cli.outcomes",
        "akps",
        "Take the Kujala Anterior Knee Pain Scale (13 items, 0-100), or see its history.",
    ),
    "learn": (
        "kneecoach.cli.learn",
        "learn",
        "Read the education cards: pain and damage, load, insoles and taping, how long it takes.",
    ),
    "runs": (
        "kneecoach.cli.runs",
        "app",
        "Import running history (GPX, TCX, FIT, Strava and Garmin exports) and list runs.",
    ),
    "load": (
        "kneecoach.cli.runs",
        "load",
        "Weekly running load, acute:chronic ratios, fitness and fatigue, and warnings.",
    ),
    "return-to-run": (
        "kneecoach.cli.return_to_run",
        "return_to_run",
        "Return to running: check the entry criteria, then follow graded walk/run stages.",
    ),
    "race": (
        "kneecoach.cli.race",
        "app",
        "Back in the race: set a race goal and follow the knee-gated build-up to it.",
    ),
    "export": (
        "kneecoach.cli.transfer",
        "export_app",
        "Export your data: a lossless JSON backup, a calendar, or CSV files.",
    ),
    "import": (
        "kneecoach.cli.transfer",
        "import_app",
        "Restore a JSON backup made by 'kneecoach export backup'.",
    ),
    "mail": (
        "kneecoach.cli.mail",
        "app",
        "Email notices: what waits to be sent, and sending it now.",
    ),
    "strava": (
        "kneecoach.cli.strava",
        "app",
        "Connect Strava so runs arrive by themselves: connect, sync, status, disconnect.",
    ),
    "history": (
        "kneecoach.cli.journal",
        "history",
        "Sessions done against the plan, with pain during and the next morning.",
    ),
}

HELP = (
    "Get back to running with runner's knee: a hip and knee exercise program, "
    f"progressed by how your knee responds. {DISCLAIMER}"
)
CONTEXT = {"help_option_names": ["-h", "--help"]}


def build_command(name: str) -> Any:
    """Import one command's module and turn its function into a click command."""
    module, function, _ = COMMANDS[name]
    target = getattr(importlib.import_module(module), function)
    if isinstance(target, typer.Typer):  # a command with subcommands
        return typer.main.get_command(target)
    single = typer.Typer(
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings=CONTEXT,
    )
    single.command(name)(target)
    return typer.main.get_command(single)


class CommandGroup(typer.core.TyperGroup):
    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        return build_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        rows = [(name, summary) for name, (_, _, summary) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def group() -> CommandGroup:
    return CommandGroup(
        name="kneecoach",
        help=HELP,
        no_args_is_help=True,
        context_settings=CONTEXT,
        rich_markup_mode=None,
    )


def run() -> None:
    """Entry point: exit 2 with one line for bad input, never a traceback for a user."""
    from kneecoach.cli.common import forget_runtime

    forget_runtime()
    try:
        outcome = group().main(prog_name="kneecoach", standalone_mode=False)
    except SystemExit:
        raise
    except click.NoArgsIsHelpError as error:
        sys.stderr.write(error.format_message() + "\n")  # a bare command shows its help
        sys.exit(error.exit_code)
    except click.UsageError as error:
        sys.exit(_report_usage(error))
    except click.ClickException as error:
        sys.stderr.write(f"kneecoach: error: {error.format_message()}\n")
        sys.exit(error.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("\nStopped.\n")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)  # the reader of the output went away (``| head``): nothing to tell
    except BaseException as error:
        sys.exit(_report(error))
    sys.exit(outcome if isinstance(outcome, int) else 0)


def _report_usage(error: click.UsageError) -> int:
    """A mistyped command line: its usage, the one-line error, and where help is."""
    context = error.ctx
    if context is not None:
        sys.stderr.write(context.get_usage() + "\n")
    sys.stderr.write(f"kneecoach: error: {error.format_message()}\n")
    if context is not None:
        help_option = context.help_option_names[0] if context.help_option_names else "--help"
        sys.stderr.write(f"Try '{context.command_path} {help_option}' for help.\n")
    return error.exit_code


def _report(error: BaseException) -> int:
    from kneecoach.cli.common import BadInput
    from kneecoach.domain.errors import InvalidInput
    from kneecoach.services.context import NotSetUp
    from kneecoach.services.ports import Conflict, StorageError

    if isinstance(error, BadInput | InvalidInput | Conflict | NotSetUp | StorageError):
        sys.stderr.write(f"kneecoach: error: {error}\n")
        return 2
    if _debugging():
        import traceback

        traceback.print_exception(error)
    sys.stderr.write(
        f"kneecoach: internal error: {type(error).__name__}: {error}\n"
        "Nothing was lost that was saved before. Set KNEECOACH_DEBUG=1 for details.\n"
    )
    return 1


def _debugging() -> bool:
    from kneecoach.config import load_settings

    try:
        return load_settings().debug
    except Exception:
        return False
