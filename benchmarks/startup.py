"""Cold start of the CLI against the bare import of the libraries it cannot avoid.

`kneecoach --help` is compared with `python -c 'import typer'`, and `kneecoach today` (which
opens the database and plans the day) with `python -c 'import typer, sqlalchemy.orm'`.
Runs are interleaved and the median of each is taken. Target: both ratios <= 1.3.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(os.environ.get("KNEECOACH_BENCH_RUNS", "15"))
TARGET = 1.3
BIN = Path(sys.executable).parent


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def measure(pairs: dict[str, tuple[list[str], list[str]]], env: dict[str, str]) -> list[tuple]:
    samples: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in pairs}
    for command, peer in pairs.values():  # warm the file cache and the bytecode
        _time(command, env)
        _time(peer, env)
    for _ in range(RUNS):
        for name, (command, peer) in pairs.items():
            samples[name][0].append(_time(command, env))
            samples[name][1].append(_time(peer, env))
    rows = []
    for name, (ours, theirs) in samples.items():
        a, b = statistics.median(ours), statistics.median(theirs)
        rows.append((name, a, b, a / b))
    return rows


def main() -> None:
    python = str(Path(sys.executable))
    kneecoach = str(BIN / "kneecoach")
    with tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KNEECOACH_")}
        env["KNEECOACH_DATA_DIR"] = data
        subprocess.run(
            [kneecoach, "init", "--defaults", "--no-red-flags", "--age-band", "16-50"],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        rows = measure(
            {
                "kneecoach --help  vs  import typer": (
                    [kneecoach, "--help"],
                    [python, "-c", "import typer"],
                ),
                "kneecoach today   vs  import typer, sqlalchemy.orm": (
                    [kneecoach, "today"],
                    [python, "-c", "import typer, sqlalchemy.orm"],
                ),
            },
            env,
        )
    print(f"\nCLI cold start (median of {RUNS} interleaved runs; target ratio <= {TARGET})")
    print(f"{'command vs peer':<52} {'ours':>8} {'peer':>8} {'ratio':>6}  verdict")
    for name, ours, peer, ratio in rows:
        verdict = "ok" if ratio <= TARGET else "OVER TARGET"
        print(f"{name:<52} {ours * 1000:>6.0f}ms {peer * 1000:>6.0f}ms {ratio:>6.2f}  {verdict}")


if __name__ == "__main__":
    main()
