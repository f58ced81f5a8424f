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

    A worker process beside it runs the imports the app queues (see `kneecoach worker`)."""
    import uvicorn

    from kneecoach.web.app import SERVER_OPTIONS, create_app

    if not 1 <= port <= 65535:
        raise BadInput(f"--port must be from 1 to 65535, not {port}")
    app = create_app(runtime().settings, clock=runtime().clock, workers=1)
    console().print(f"kneecoach is running at [bold]http://{host}:{port}[/] (Ctrl+C stops it)")
    uvicorn.run(app, host=host, port=port, log_level="warning", **SERVER_OPTIONS)
