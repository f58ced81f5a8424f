"""Training load for a clinic: 10,000 runners × 5 years of days, every series at once.

kneecoach computes the rolling, uncoupled and EWMA ratios and CTL/ATL/TSB on a
runners × days array. The named peer is the same formulas written the plain way — a
Python loop over days for each runner — timed on 100 runners and scaled up.
Target: the whole clinic in seconds.
"""

from __future__ import annotations

import time

import numpy as np

from kneecoach.domain import load as L

RUNNERS, DAYS, PEER_RUNNERS = 10_000, 5 * 365, 100


def plain(series: list[float]) -> None:
    ewma_a = ewma_c = ctl = atl = 0.0
    for t, x in enumerate(series):
        acute = sum(series[max(0, t - 6) : t + 1])
        chronic = sum(series[max(0, t - 27) : t + 1]) / 4
        _ = acute / chronic if chronic and t >= 27 else None
        ewma_a = 0.25 * x + 0.75 * ewma_a
        ewma_c = 2 / 29 * x + (1 - 2 / 29) * ewma_c
        ctl += (x - ctl) / 42
        atl += (x - atl) / 7


def main() -> None:
    rng = np.random.default_rng(1)
    block = rng.uniform(3, 15, size=(RUNNERS, DAYS)) * (rng.uniform(size=(RUNNERS, DAYS)) < 0.5)
    start = time.perf_counter()
    L.acwr_rolling(block)
    L.acwr_uncoupled(block)
    L.acwr_ewma(block)
    L.fitness(block)
    L.fatigue(block)
    ours = time.perf_counter() - start
    rows = block[:PEER_RUNNERS].tolist()
    start = time.perf_counter()
    for row in rows:
        plain(row)
    peer = (time.perf_counter() - start) * RUNNERS / PEER_RUNNERS
    print(
        f"\nTraining load for {RUNNERS:,} runners × {DAYS:,} days: kneecoach {ours:.1f} s; "
        f"plain Python loops (timed on {PEER_RUNNERS}, scaled) {peer:.0f} s; "
        f"{peer / ours:.0f}x faster"
    )


if __name__ == "__main__":
    main()
