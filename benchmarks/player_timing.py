"""Timing of the guided-session engine on the real clock.

Two runs, as the terminal player drives it (waits capped at 0.1 s for display refreshes):
the first 2 minutes of the default session at speed 1, and the whole default session at
speed 10. Reported in real milliseconds: the final drift (when the last step ended against
the plan) and the worst lateness of a single cue. The named peer, run in the same process
at the same time, is the naive player: one ``time.sleep(step)`` after another, whose
errors add up. Targets: final drift < 20 ms, worst lateness < 50 ms.
"""

from __future__ import annotations

import datetime as dt
import select
import threading
import time
from dataclasses import replace

from kneecoach import definitions
from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.planning import session_plan
from kneecoach.domain.profile import Knee, Profile
from kneecoach.domain.timeline import Timeline, build_timeline
from kneecoach.services.player import Player, RealClock, drive

DRIFT_TARGET_MS = 20
LATENESS_TARGET_MS = 50


def default_timeline() -> Timeline:
    day = dt.date(2026, 11, 23)
    profile = Profile(Knee.LEFT, 1, 3, frozenset(Equipment), 3, day)
    plan = session_plan(day, profile, definitions.program(), definitions.catalogue())
    return build_timeline(plan, Knee.LEFT)


def first_minutes(timeline: Timeline, seconds: float) -> Timeline:
    return replace(timeline, steps=tuple(s for s in timeline.steps if s.end <= seconds))


def _wait(seconds: float) -> None:
    if seconds > 0:
        select.select([], [], [], seconds)
    return None


def run_engine(timeline: Timeline, speed: float) -> tuple[float, float]:
    clock = RealClock(speed)
    player = Player(timeline, clock, lambda done: None)
    drive(player, clock, _wait)
    return player.lag() / speed * 1000, player.worst_lateness / speed * 1000


def run_naive(timeline: Timeline, speed: float) -> float:
    start = time.monotonic()
    for step in timeline.steps:
        time.sleep(step.duration / speed)
    return ((time.monotonic() - start) - timeline.total_seconds / speed) * 1000


def measure(timeline: Timeline, speed: float) -> tuple[float, float, float]:
    naive: list[float] = []
    peer = threading.Thread(target=lambda: naive.append(run_naive(timeline, speed)))
    peer.start()
    drift, lateness = run_engine(timeline, speed)
    peer.join()
    return drift, lateness, naive[0]


def main() -> None:
    whole = default_timeline()
    cases = [
        ("first 2 min of the session, speed 1", first_minutes(whole, 120), 1.0),
        (f"whole session ({whole.total_seconds / 60:.0f} min), speed 10", whole, 10.0),
    ]
    print("\nGuided-session timing on the real clock (real milliseconds)")
    print(f"{'run':<40} {'steps':>5} {'drift':>8} {'worst cue':>10} {'naive drift':>12}  verdict")
    for name, timeline, speed in cases:
        drift, lateness, naive = measure(timeline, speed)
        ok = abs(drift) < DRIFT_TARGET_MS and lateness < LATENESS_TARGET_MS
        print(
            f"{name:<40} {len(timeline.steps):>5} {drift:>6.2f}ms {lateness:>8.2f}ms "
            f"{naive:>10.1f}ms  {'ok' if ok else 'OVER TARGET'}"
        )
    print(f"targets: drift < {DRIFT_TARGET_MS} ms, worst cue lateness < {LATENESS_TARGET_MS} ms")


if __name__ == "__main__":
    main()
