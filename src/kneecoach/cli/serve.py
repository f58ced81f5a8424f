"""``kneecoach serve``: the web app, for runners on their phones and their clinicians."""

from __future__ import annotations

from typing import Annotated

import typer

from kneecoach.cli.common import BadInput, console, runtime


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Start the web app (http://127.0.0.1:8000 by default) on the configured database.

    A worker process beside it runs the imports the app queues (see `kneecoach worker`).
    The links the app writes (invitations, calendar feeds) name KNEECOACH_PUBLIC_URL, or
    this address when it is not set."""
    import uvicorn

    from kneecoach.config import served_at
    from kneecoach.web.app import SERVER_OPTIONS, create_app

    if not 1 <= port <= 65535:
        raise BadInput(f"--port must be from 1 to 65535, not {port}")
    settings = served_at(runtime().settings, host, port)
    app = create_app(settings, clock=runtime().clock, workers=1)
    out = console()
    out.print(f"kneecoach is running at [bold]http://{host}:{port}[/] (Ctrl+C stops it)")
    if not settings.public_url_given:
        out.print(
            f"Links it writes (invitations, calendar feeds) point at {settings.public_url}: "
            "set KNEECOACH_PUBLIC_URL to the address phones reach."
        )
    uvicorn.run(app, host=host, port=port, log_level="warning", **SERVER_OPTIONS)
