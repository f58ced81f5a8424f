"""`kneecoach today` says how far the day's session got when it was kept set by set (the
browser player) and not finished, and how to pick it up, as the Today page does."""

from __future__ import annotations

import json
import os

from kneecoach.bootstrap import build
from kneecoach.config import load_settings
from kneecoach.services import guided
from tests.cli.conftest import SCRIPTED_INIT


def _keep_two_sets() -> None:
    runtime = build(load_settings(dict(os.environ)))
    try:
        user = runtime.storage.user_id(os.environ.get("KNEECOACH_USER", "local"))
        steps = [s for s in guided.browser_session(runtime.runner(user)).steps if s.ends_set]
        for step in steps[:2]:
            report = guided.SetReport(step.exercise, step.side, step.set_number, completed=True)
            guided.keep_reported_set(runtime.runner(user), report)
    finally:
        runtime.engine.dispose()


def test_today_says_the_session_is_in_progress_and_how_to_pick_it_up(kc):
    assert kc(*SCRIPTED_INIT).code == 0
    _keep_two_sets()

    said = kc("today")
    assert said.code == 0, said.err
    text = " ".join(said.out.split())
    assert "In progress: 2 of 27 sets kept so far" in text
    assert "kneecoach session" in text and "About" not in text
    shown = json.loads(kc("today", "--json").out)["in_progress"]
    assert (shown["sets_kept"], shown["sets_planned"], shown["status"]) == (2, 27, "in progress")
