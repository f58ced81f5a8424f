"""``kneecoach strava``: connect Strava, sync the history from it, see where it stands,
disconnect; and ``strava fake``, a local stand-in of Strava for trying it without an account.

``connect`` prints the address where the runner gives consent (and opens it in the browser
at a terminal), catches Strava's redirect on a loopback port, keeps the tokens encrypted
and syncs the history; ``--code`` takes a code got some other way (for scripts).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import threading
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import parse_qs, urlsplit

import typer

from kneecoach.cli.common import BadInput, console, parse_date, print_json, runner, runtime

if TYPE_CHECKING:
    from kneecoach.services.strava import StravaStatus

app = typer.Typer(
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Connect Strava so runs arrive by themselves: connect, sync, status, disconnect.",
    no_args_is_help=True,
)

JsonFlag = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def _failed(error: Exception) -> typer.Exit:
    """Strava refused or could not be reached: one line, exit status 1."""
    sys.stderr.write(f"kneecoach: error: {error}\n")
    return typer.Exit(1)


def _status_json(found: StravaStatus) -> dict[str, Any]:
    document = asdict(found)
    for key in ("connected_at", "last_sync_at"):
        if document[key] is not None:
            document[key] = document[key].isoformat()
    return document


class _Callback(BaseHTTPRequestHandler):
    """Catches Strava's redirect to the loopback address: the code, or the refusal."""

    server: _CallbackServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        if parts.path != "/callback" or query.get("state") != self.server.state:
            self._answer(400, "This is not the answer kneecoach asked Strava for.")
            return
        if "code" in query:
            self.server.code = query["code"]
            self._answer(200, "Strava is connected. You can close this tab.")
        else:
            self.server.refused = query.get("error") or "no code"
            self._answer(200, "Strava was not connected. You can close this tab.")
        self.server.answered.set()

    def _answer(self, status: int, text: str) -> None:
        body = f"<!doctype html><html lang=en><title>kneecoach</title><p>{text}</p></html>"
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class _CallbackServer(HTTPServer):
    def __init__(self, port: int, state: str) -> None:
        super().__init__(("127.0.0.1", port), _Callback)
        self.state = state
        self.code: str | None = None
        self.refused: str | None = None
        self.answered = threading.Event()


def _catch_code(port: int, timeout: int, open_browser: bool, quiet: bool) -> str:
    """Print (and open) the consent address and wait for Strava's redirect on
    127.0.0.1:``port``; the authorization code."""
    from kneecoach.services.strava import need, new_state

    link = need(runtime().strava)
    state = new_state()
    try:
        server = _CallbackServer(port, state)
    except OSError as error:
        raise BadInput(f"--port {port} cannot be listened on: {error.strerror}") from None
    redirect = f"http://127.0.0.1:{server.server_address[1]}/callback"
    address = link.api.authorize_url(redirect, state)
    out = sys.stderr if quiet else sys.stdout
    out.write(f"Open this address to connect Strava:\n{address}\n")
    out.write(f"Waiting for Strava's answer on {redirect} (Ctrl+C stops).\n")
    out.flush()
    if open_browser:
        import webbrowser

        with contextlib.suppress(Exception):
            webbrowser.open(address)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        if not server.answered.wait(timeout):
            raise BadInput(f"no answer from Strava within {timeout} seconds: try again")
    finally:
        server.shutdown()
        server.server_close()
    if server.code is None:
        raise BadInput(f"Strava was not connected ({server.refused})")
    return server.code


def _run_sync(quiet: bool) -> dict[str, Any]:
    """Queue the history sync and run it here, showing its progress; the job's outcome."""
    from kneecoach.presenters import strava_wait_text
    from kneecoach.services import jobs as J
    from kneecoach.services.strava import queue_sync
    from kneecoach.worker import Worker

    found = runtime()
    record = runner(create=True)
    job_id = queue_sync(record, found.strava, found.jobs, J.wall_clock())
    worker = Worker(found)
    thread = threading.Thread(target=worker.run_once, kwargs={"job_id": job_id}, daemon=True)
    thread.start()
    out = console()
    shown: tuple[int, dt.datetime | None] | None = None
    width = 0
    job = J.job_view(record, found.jobs, job_id)
    while thread.is_alive() or job.state == "running":  # here, or by a worker beside it
        thread.join(0.5)
        job = J.job_view(record, found.jobs, job_id)
        if not quiet and (job.files_done, job.waiting_until) != shown:
            shown = (job.files_done, job.waiting_until)
            waiting = (
                "" if job.waiting_until is None else f". {strava_wait_text(job.waiting_until)}."
            )
            line = f"Syncing from Strava: {job.files_done} activities read{waiting}"
            sys.stderr.write("\r" + line.ljust(width))  # spaces over a longer line before
            sys.stderr.flush()
            width = len(line)
    job = J.job_view(record, found.jobs, job_id)
    if not quiet and shown is not None:
        sys.stderr.write("\n")
    kept = found.jobs.get(record.user_id, job_id)
    result = dict(kept.result) if kept is not None and kept.result is not None else None
    document = {"job": job_id, "state": job.state, "report": result, "error": job.error}
    if not quiet:
        if result is not None:
            done = "the whole history" if result["done"] else "so far"
            out.print(
                f"{result['seen']} activities read ({done}, back to {result['reached'] or '-'}): "
                f"{result['added']} added, {result['merged']} merged into one already kept, "
                f"{result['already_kept']} already kept."
            )
            if result["paused_until"]:
                out.print(
                    f"Strava's limits are used up: sync again after {result['paused_until']}."
                )
        else:
            out.print(f"The sync {job.state}: {job.error or 'it will be tried again'}.")
    return document


@app.command("connect")
def connect(
    code: Annotated[
        str | None, typer.Option(help="An authorization code got from Strava (for scripts).")
    ] = None,
    port: Annotated[
        int, typer.Option(help="The loopback port Strava's answer comes to (0: any free one).")
    ] = 0,
    since: Annotated[
        str | None, typer.Option(help="Sync activities from this day (default: two years back).")
    ] = None,
    sync: Annotated[
        bool, typer.Option("--sync/--no-sync", help="Sync the history now (default).")
    ] = True,
    browser: Annotated[
        bool, typer.Option("--browser/--no-browser", help="Open the address in the browser.")
    ] = True,
    timeout: Annotated[int, typer.Option(help="Seconds to wait for Strava's answer.")] = 300,
    json: JsonFlag = False,
) -> None:
    """Connect Strava: give consent in the browser, then the history is synced."""
    from kneecoach.services import strava as S
    from kneecoach.services.ports import StravaError

    if not 0 <= port <= 65535:
        raise BadInput(f"--port must be from 0 to 65535, not {port}")
    if not 5 <= timeout <= 3600:
        raise BadInput(f"--timeout must be from 5 to 3600 seconds, not {timeout}")
    day = parse_date(since, "--since")
    link = S.need(runtime().strava)
    record = runner(create=True)
    record.stored_profile()
    if code is None:
        code = _catch_code(port, timeout, browser and sys.stdout.isatty(), json)
    try:
        found = S.connect(link, record, code, day)
    except StravaError as error:
        raise _failed(error) from None
    outcome = _run_sync(json) if sync else None
    if json:
        print_json({**_status_json(S.status(link, record.user_id)), "sync": outcome})
        return
    if not sync:
        console().print(
            f"Connected to Strava as {found.athlete_name}; 'kneecoach strava sync' reads the "
            f"history back to {found.history_from}."
        )


@app.command("sync")
def sync_command(json: JsonFlag = False) -> None:
    """Sync the history from Strava here, from where the last sync stopped."""
    from kneecoach.services import strava as S

    S.need(runtime().strava)
    document = _run_sync(json)
    if json:
        print_json(document)
    if document["state"] != "done":
        raise typer.Exit(1)


@app.command("status")
def status_command(json: JsonFlag = False) -> None:
    """Whether Strava is connected, and how far back the history is synced."""
    from kneecoach.cli.common import runner as record_of
    from kneecoach.services import strava as S

    found = S.status(runtime().strava, record_of().user_id)
    if json:
        print_json(_status_json(found))
        return
    out = console()
    if not found.enabled:
        out.print("Strava is off: set KNEECOACH_STRAVA_CLIENT_ID, KNEECOACH_STRAVA_CLIENT_SECRET")
        out.print("and KNEECOACH_SECRET_KEY (see the README's settings).")
    elif not found.connected:
        out.print("Strava is not connected: 'kneecoach strava connect' connects it.")
    elif found.needs_reconnect:
        out.print(
            f"Strava needs connecting again ({found.reconnect_reason}): no runs arrive until "
            "'kneecoach strava connect' connects it."
        )
    else:
        how_far = (
            "the whole history"
            if found.history_done
            else f"back to {found.reached or '-'} (of {found.history_from})"
        )
        out.print(
            f"Connected to Strava as {found.athlete_name} (athlete {found.athlete_id}); "
            f"{found.synced} activities synced, {how_far}."
        )


@app.command("disconnect")
def disconnect(json: JsonFlag = False) -> None:
    """Revoke kneecoach's access at Strava and delete the tokens."""
    from kneecoach.cli.common import runner as record_of
    from kneecoach.services import strava as S

    done = S.disconnect(runtime().strava, record_of().user_id)
    if json:
        print_json(asdict(done))
        return
    out = console()
    if not done.was_connected:
        out.print("Strava was not connected: nothing to do.")
    elif done.revoked:
        out.print("Disconnected: Strava revoked kneecoach's access and the tokens are deleted.")
    else:
        out.print(f"The tokens are deleted, but Strava could not be told ({done.error}):")
        out.print("revoke kneecoach at strava.com/settings/apps.")


@app.command("fake")
def fake(
    port: Annotated[int, typer.Option(help="The port to serve on (127.0.0.1).")] = 8088,
    days: Annotated[int, typer.Option(help="Days of activities each athlete has.")] = 400,
    limit_15min: Annotated[
        int, typer.Option("--limit-15min", help="Requests allowed in 15 minutes (Strava: 100).")
    ] = 100,
    limit_day: Annotated[
        int, typer.Option("--limit-day", help="Requests allowed a day (Strava: 1000).")
    ] = 1000,
) -> None:
    """Serve a fake Strava on 127.0.0.1 (with a few athletes) until stopped, to try it."""
    from kneecoach.integrations.strava_fake import FakeStrava, FakeStravaServer

    if not 1 <= port <= 65535:
        raise BadInput(f"--port must be from 1 to 65535, not {port}")
    if not 1 <= days <= 3650:
        raise BadInput(f"--days must be from 1 to 3650, not {days}")
    if not 1 <= limit_15min <= 1_000_000 or not 1 <= limit_day <= 10_000_000:
        raise BadInput("--limit-15min and --limit-day must be at least 1")
    clock = runtime().clock
    state = FakeStrava(
        until=clock.today(),
        now=lambda: dt.datetime.now(dt.UTC),
        days=days,
        short_limit=limit_15min,
        daily_limit=limit_day,
    )
    try:
        server = FakeStravaServer(state, port)
    except OSError as error:
        raise BadInput(f"--port {port} cannot be listened on: {error.strerror}") from None
    out = console()
    out.print(
        f"Fake Strava at {server.api_url} (OAuth pages at {server.root}/oauth/).", soft_wrap=True
    )
    out.print("Try it with these settings (and a KNEECOACH_SECRET_KEY):")
    for line in (
        f"KNEECOACH_STRAVA_URL={server.api_url}",
        f"KNEECOACH_STRAVA_CLIENT_ID={state.client_id}",
        f"KNEECOACH_STRAVA_CLIENT_SECRET={state.client_secret}",
    ):
        out.print(f"  {line}", soft_wrap=True, markup=False)
    out.print("Ctrl+C stops it.")
    with contextlib.suppress(KeyboardInterrupt):
        server.httpd.serve_forever()
    server.httpd.server_close()
