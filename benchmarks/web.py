"""Web throughput: the Today page against a bare FastAPI route, in the same server and run.

One uvicorn process, run as ``kneecoach serve`` runs it, serves the real app (with a
signed-in runner) plus an async route that returns a constant; wrk (Debian's, installed by
`make bench`) keeps 50, then 200, connections busy for a few seconds each on loopback.
Reported: requests/s and p50/p99 latency. Targets: Today >= 50 % of the bare route's
throughput, p99 < 50 ms. With every connection always busy, mean latency is the number of
clients divided by the throughput (Little's law), which is printed beside the p99.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import socket
import subprocess
import tempfile
import time
from typing import Any

from kneecoach.domain.redflags import AgeBand

SECONDS = float(os.environ.get("KNEECOACH_BENCH_WEB_SECONDS", "4"))
PASSWORD = "a long enough password"


def _serve(data: str, port: int, ready: Any) -> None:
    """The app with a runner signed in; runs in its own process."""
    import uvicorn

    from kneecoach.bootstrap import build
    from kneecoach.config import load_settings
    from kneecoach.services import onboarding
    from kneecoach.web.app import SERVER_OPTIONS, create_app

    settings = load_settings({"KNEECOACH_DATA_DIR": data})
    app = create_app(settings)

    @app.get("/bench/bare")
    async def bare() -> dict[str, str]:
        # async: FastAPI's fastest route (a plain def would add a thread hop to the peer)
        return {"ok": "yes"}

    runtime = build(settings)
    accounts = runtime.accounts
    now = runtime.clock.now()
    user = accounts.create_owner("bench", PASSWORD, now)
    onboarding.onboard(
        runtime.runner(user),
        onboarding.default_profile(runtime.clock.today()),
        onboarding.answers_from_flags([]),
        AgeBand.ADULT,
    )
    token, _ = accounts.log_in("bench", PASSWORD, now)
    ready.put(token)
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        log_level="error",
        access_log=False,
        **SERVER_OPTIONS,  # as kneecoach serve runs it
    )


def start_server(data: str) -> tuple[str, str, Any]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ready: Any = multiprocessing.Queue()
    process = multiprocessing.Process(target=_serve, args=(data, port, ready), daemon=True)
    process.start()
    token = ready.get(timeout=60)
    for _ in range(200):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", token, process


def _ms(text: str) -> float:
    value = float(text.rstrip("usm"))
    if text.endswith("us"):
        return value / 1000
    if text.endswith("ms"):
        return value
    return value * 1000  # seconds


def load(url: str, cookie: str, concurrency: int) -> tuple[float, float, float]:
    """Requests/s, p50 ms and p99 ms from wrk."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{concurrency}",
            f"-d{SECONDS:g}s",
            "--latency",
            "--timeout",
            "10s",
            "-H",
            f"Cookie: kc_session={cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    return rps, p50, p99


def main() -> None:
    with tempfile.TemporaryDirectory() as data:
        base, cookie, process = start_server(data)
        print(f"\nWeb throughput on loopback ({SECONDS:g} s per run, one server process)")
        print(f"{'clients':>7} {'route':<12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}")
        try:
            for concurrency in (50, 200):
                results = {}
                for name, path in (("bare route", "/bench/bare"), ("Today page", "/today")):
                    results[name] = load(base + path, cookie, concurrency)
                    rps, p50, p99 = results[name]
                    print(f"{concurrency:>7} {name:<12} {rps:>8.0f} {p50:>8.1f} {p99:>8.1f}")
                ratio = results["Today page"][0] / results["bare route"][0]
                p99 = results["Today page"][2]
                verdict = "ok" if ratio >= 0.5 and p99 < 50 else "UNDER TARGET"
                floor = concurrency / results["Today page"][0] * 1000
                print(
                    f"        Today / bare throughput {ratio:.0%} (target >= 50 %), "
                    f"p99 {p99:.0f} ms (target < 50 ms): {verdict}; "
                    f"{concurrency} clients at this rate wait {floor:.0f} ms on average"
                )
        finally:
            process.terminate()
            process.join(timeout=10)


if __name__ == "__main__":
    main()
