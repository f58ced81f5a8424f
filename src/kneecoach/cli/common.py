"""What every command shares: this user's record, dates, prompts and JSON output."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from rich.console import Console

    from kneecoach.bootstrap import Runtime
    from kneecoach.services.context import RunnerContext

T = TypeVar("T")


class BadInput(Exception):
    """Input the command line refuses: printed as one line, exit status 2."""


_runtime: list[Runtime] = []


def runtime() -> Runtime:
    """This command's settings, database and clock, from the composition root (built once
    per command)."""
    if not _runtime:
        from kneecoach.bootstrap import build

        _runtime.append(build())
    return _runtime[0]


def forget_runtime() -> None:
    """Start the next command afresh (each ``kneecoach`` invocation reads the environment)."""
    _runtime.clear()


def runner(day: dt.date | None = None, *, create: bool = False) -> RunnerContext:
    """The configured user's record, on the configured database (on ``day`` if given).

    Only a command that writes passes ``create=True``: a read of a user not in the database
    yet reads an empty record and leaves the database as it was."""
    from kneecoach.services.ports import NO_USER_ID, FixedClock

    found = runtime()
    name = found.settings.user
    user_id = found.storage.user_id(name) if create else found.storage.find_user(name)
    if user_id is None:
        user_id = NO_USER_ID
    return found.runner(user_id, None if day is None else FixedClock(day))


def parse_date(text: str | None, what: str = "date") -> dt.date | None:
    if text is None:
        return None
    value = text.strip().lower()
    today = runtime().clock.today()
    if value == "today":
        return today
    if value == "yesterday":
        return today - dt.timedelta(days=1)
    if value == "tomorrow":
        return today + dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise BadInput(
            f"{what} '{text}' is not a date: use YYYY-MM-DD, today or yesterday"
        ) from None


def console() -> Console:
    from rich.console import Console

    return Console(highlight=False, emoji=False)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n")


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def interactive() -> bool:
    return sys.stdin.isatty()


def need(value: T | None, flag: str, ask: Callable[[], T]) -> T:
    """The flag's value, or the answer to a prompt; never a prompt without a terminal."""
    if value is not None:
        return value
    if not interactive():
        raise BadInput(f"missing {flag} (there is no terminal to ask; pass it as a flag)")
    return ask()


def ask_int(question: str, low: int, high: int, default: int | None = None) -> int:
    from rich.prompt import IntPrompt

    while True:
        answer = IntPrompt.ask(question, default=default, console=console())
        if answer is not None and low <= answer <= high:
            return answer
        console().print(f"[red]Please answer with a whole number from {low} to {high}.[/]")


def ask_yes(question: str, default: bool = False) -> bool:
    from rich.prompt import Confirm

    return Confirm.ask(question, default=default, console=console())


def ask_choice(question: str, choices: list[str], default: str | None = None) -> str:
    from rich.prompt import Prompt

    while True:
        answer = Prompt.ask(
            question, choices=choices, default=default, console=console(), case_sensitive=False
        )
        if answer and answer.lower() in choices:
            return answer.lower()
        console().print(f"[red]Please answer {', '.join(choices[:-1])} or {choices[-1]}.[/]")


def ask_text(question: str, default: str = "") -> str:
    from rich.prompt import Prompt

    return Prompt.ask(question, default=default, console=console())
