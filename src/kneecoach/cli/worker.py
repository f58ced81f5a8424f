"""``kneecoach worker``: run background jobs (imports uploaded to the web app) alone, for a
deployment whose serving processes leave them to separate workers."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Annotated

import typer

from kneecoach.cli.common import BadInput, console, runtime


def worker(
    until_idle: Annotated[
        bool, typer.Option("--until-idle", help="Stop once no job waits (for a timer).")
    ] = False,
    lease: Annotated[
        int,
        typer.Option(
            help="Seconds a job is held without a word before another worker takes it again."
        ),
    ] = 120,
) -> None:
    """Run the web app's background jobs (imports) until stopped (Ctrl+C or SIGTERM)."""
    import signal
    import threading

    from kneecoach.worker import Worker

    if not 2 <= lease <= 86_400:
        raise BadInput(f"--lease must be from 2 to 86400 seconds, not {lease}")
    running = Worker(runtime(), lease=dt.timedelta(seconds=lease))
    if until_idle:
        running.sweep()
        ran = running.run_until_idle()
        console().print(f"{ran} job{'' if ran == 1 else 's'} run; none waits.")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    console().print(f"kneecoach worker {running.name} is running jobs (Ctrl+C stops it)")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C: stop quietly
        running.run(stop)
