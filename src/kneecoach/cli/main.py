"""The ``kneecoach`` command: builds the Typer app and turns errors into one clear line."""

from __future__ import annotations

import sys

import typer

from kneecoach import DISCLAIMER
from kneecoach.cli import journal, onboarding, plan

app = typer.Typer(
    name="kneecoach",
    help=(
        "Get back to running with runner's knee: a hip and knee exercise program, "
        f"progressed by how your knee responds. {DISCLAIMER}"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

onboarding.register(app)
plan.register(app)
journal.register(app)


def run() -> None:
    """Entry point: exit 2 with one line for bad input, never a traceback for a user."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("\nStopped.\n")
        sys.exit(130)
    except BaseException as error:
        sys.exit(_report(error))


def _report(error: BaseException) -> int:
    from kneecoach.cli.common import BadInput
    from kneecoach.domain.errors import InvalidInput
    from kneecoach.services.context import NotSetUp
    from kneecoach.services.ports import Conflict, StorageError

    if isinstance(error, BadInput | InvalidInput | Conflict | NotSetUp | StorageError):
        sys.stderr.write(f"kneecoach: error: {error}\n")
        return 2
    from kneecoach.config import load_settings

    if load_settings().debug:
        import traceback

        traceback.print_exception(error)
    sys.stderr.write(
        f"kneecoach: internal error: {type(error).__name__}: {error}\n"
        "Nothing was lost that was saved before. Set KNEECOACH_DEBUG=1 for details.\n"
    )
    return 1
