"""Other users' pages during a large import: the Today page of one runner, its p99 latency
while another runner's whole export is uploaded and imported, against its idle p99 in the
same run (target: at most 2x).

One server, run as ``kneecoach serve`` runs it (its worker process beside it). The export
is a zip of FIT runs (``KNEECOACH_BENCH_IMPORT_FILES``, 1,500 by default, an hour each); the
upload streams to disk, the worker imports it, and wrk keeps 20 connections busy on the
Today page until the import ends. The ratio is printed whatever it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import multiprocessing
import os
import socket
import sys
import tempfile
import threading
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parents[1]))

from kneecoach.domain.redflags import AgeBand

FILES = int(os.environ.get("KNEECOACH_BENCH_IMPORT_FILES", "1500"))
CLIENTS = 20
WINDOW_SECONDS = 3.0
"""p99 is measured in windows of this length, idle and busy alike; the worst window counts."""
PASSWORD = "a long enough password"


def _serve(data: str, port: int, ready: Any) -> None:
    """The app with its worker, a signed-in runner and another with an API token."""
    import uvicorn

    from kneecoach.bootstrap import build
    from kneecoach.config import load_settings
    from kneecoach.services import onboarding
    from kneecoach.services.accounts import new_api_token
    from kneecoach.web.app import SERVER_OPTIONS, create_app

    settings = load_settings({"KNEECOACH_DATA_DIR": data})
    app = create_app(settings, workers=1)
    runtime = build(settings)
    now = runtime.clock.now()
    reader = runtime.accounts.create_owner("reader", PASSWORD, now)
    importer = runtime.storage.user_id("importer")
    for user in (reader, importer):
        onboarding.onboard(
            runtime.runner(user),
            onboarding.default_profile(runtime.clock.today()),
            onboarding.answers_from_flags([]),
            AgeBand.ADULT,
        )
    cookie, _ = runtime.accounts.log_in("reader", PASSWORD, now)
    token = new_api_token(runtime.accounts, importer, "bench", now)
    ready.put((cookie, token))
    uvicorn.run(
        app, host="127.0.0.1", port=port, log_level="error", access_log=False, **SERVER_OPTIONS
    )


def export(files: int) -> bytes:
    """A Strava-like export: a zip of hour-long FIT runs, one a day going back."""
    from tests.fitwriter import run_points, write_activity

    today = dt.date.today()
    one = None
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for n in range(files):
            start = dt.datetime.combine(today - dt.timedelta(days=n + 1), dt.time(7), dt.UTC)
            if one is None or n % 50 == 0:
                one = run_points(int(start.timestamp()), 3600, seed=n)
            shift = int(start.timestamp()) - one[0].time
            points = [dataclasses.replace(p, time=p.time + shift) for p in one]
            archive.writestr(f"activities/{n}.fit", write_activity(points))
    return buffer.getvalue()


def upload(base: str, token: str, body: bytes) -> str:
    boundary = "benchboundary7f3a"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="export.zip"\r\n'
        "Content-Type: application/zip\r\n\r\n"
    ).encode()
    payload = head + body + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        base + "/api/v1/runs",
        data=payload,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    with urllib.request.urlopen(request, timeout=600) as answer:
        return str(answer.headers["Location"])


def job(base: str, token: str, location: str) -> dict[str, Any]:
    import json

    request = urllib.request.Request(base + location, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        found: dict[str, Any] = json.load(answer)
        return found


def cached_export(files: int) -> bytes:
    """The export, written once per size under .bench/ (writing 5,000 FIT files takes
    minutes)."""
    path = Path(__file__).parents[1] / ".bench" / f"import-export-{files}.zip"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(export(files))
    return path.read_bytes()


def main() -> None:
    body = cached_export(FILES)
    with tempfile.TemporaryDirectory() as data:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        ready: Any = multiprocessing.Queue()
        process = multiprocessing.Process(target=_serve, args=(data, port, ready))  # not a daemon
        process.start()
        cookie, token = ready.get(timeout=120)
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.05)
        try:
            import web

            web.SECONDS = 2.0
            web.load(base + "/today", cookie, CLIENTS)  # warm up: first pages, connections
            web.SECONDS = WINDOW_SECONDS
            idle_p99 = max(web.load(base + "/today", cookie, CLIENTS)[2] for _ in range(2))
            started = time.monotonic()
            where: dict[str, str] = {}
            sender = threading.Thread(target=lambda: where.update(url=upload(base, token, body)))
            sender.start()
            busy: list[float] = []
            state: dict[str, Any] = {}
            while True:
                busy.append(web.load(base + "/today", cookie, CLIENTS)[2])
                if "url" in where:
                    state = job(base, token, where["url"])
                    if state["ended"]:
                        break
                if time.monotonic() - started > 900:
                    break
            sender.join()
            took = time.monotonic() - started
        finally:
            process.terminate()
            process.join(timeout=10)
    busy_p99 = max(busy)
    ratio = busy_p99 / idle_p99
    result = state.get("result") or {}
    print(
        f"\nToday page during another runner's import ({len(body) / 1e6:.0f} MB export, "
        f"{FILES} FIT files, {CLIENTS} clients, one server process and its worker)"
    )
    print(
        f"  p99 of the worst {WINDOW_SECONDS:g} s window: idle {idle_p99:.1f} ms, "
        f"during the import {busy_p99:.1f} ms"
    )
    print(
        f"  ratio {ratio:.2f}x (target <= 2x): {'ok' if ratio <= 2 else 'OVER TARGET'}; "
        f"the import took {took:.0f} s ({state.get('state', '?')}, "
        f"{result.get('added', '?')} added)"
    )


if __name__ == "__main__":
    main()
