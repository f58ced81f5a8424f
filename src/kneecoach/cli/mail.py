"""``kneecoach mail``: what waits in the outbox, and sending it now.

``kneecoach serve`` sends the outbox by itself; these commands are for a deployment that
sends from a timer instead, and for checking the mail server settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from kneecoach.cli.common import BadInput, console, print_json, runtime

if TYPE_CHECKING:
    from kneecoach.services.mail import Postman

EMAIL_OFF = "email is off: set KNEECOACH_SMTP_HOST (see the README's settings)"

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Email notices: what waits to be sent, and sending it now.",
    no_args_is_help=True,
)


def _postman() -> Postman:
    postman = runtime().postman()
    if postman is None:
        raise BadInput(EMAIL_OFF)
    return postman


@app.command("send")
def send(
    limit: Annotated[int, typer.Option(help="Send at most this many messages.")] = 50,
    json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Send the messages that are due now through the mail server."""
    from kneecoach.presenters import delivery_json

    if not 1 <= limit <= 10_000:
        raise BadInput(f"--limit must be from 1 to 10000, not {limit}")
    result = _postman().deliver_due(limit)
    if json:
        print_json(delivery_json(result))
    else:
        out = console()
        out.print(
            f"Sent {result.sent}, failed {result.failed} (given up {result.given_up}); "
            f"{result.waiting} waiting."
        )
        for error in result.errors:
            out.print(f"  {error}", markup=False)
    if result.failed:
        raise typer.Exit(1)


@app.command("status")
def status(
    json: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
) -> None:
    """How many messages wait, were sent, and were given up; or that email is off."""
    outbox = runtime().outbox
    if outbox is None:  # a state to report, not a mistake in the command line
        if json:
            print_json({"enabled": False})
        else:
            console().print(f"E{EMAIL_OFF[1:]}.")
        return
    counts = outbox.counts()
    if json:
        print_json({"enabled": True, **counts})
        return
    console().print(
        f"{counts['waiting']} waiting, {counts['sent']} sent, {counts['given_up']} given up."
    )
