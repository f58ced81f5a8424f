"""Run every benchmark and print its table: `make bench`.

Each benchmark measures kneecoach as a ratio against a named peer in the same run, so the
numbers mean the same on a slow or a fast machine.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import clinic_dashboard
import import_jobs
import importers
import load_scale
import merging
import player_timing
import pose_browser
import pose_counting
import queries
import startup
import web
import writes


def main() -> int:
    startup.main()
    importers.main()
    merging.main()
    load_scale.main()
    web.main()
    import_jobs.main()
    player_timing.main()
    pose_counting.main()
    pose_browser.main()
    queries.main()
    writes.main()
    clinic_dashboard.main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
