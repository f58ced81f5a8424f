"""The terminal shows step-rate coaching on the load and in return to running."""

from __future__ import annotations

import dataclasses
import datetime as dt

from kneecoach.domain.steprate import NO_CADENCE
from tests.cli.conftest import SCRIPTED_INIT
from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity

START_CHECK = ("--walk-ok", "--squats", "10", "--hops", "10", "--test-pain", "0")


def _runs(folder, cadences: dict[int, int | None]) -> str:
    folder.mkdir()
    for ago, cadence in cadences.items():
        start = dt.datetime.combine(TODAY - dt.timedelta(days=ago), dt.time(7), dt.UTC)
        points = [
            dataclasses.replace(p, cadence=cadence)
            for p in run_points(int(start.timestamp()), 900, seed=ago)
        ]
        (folder / f"{ago}.fit").write_bytes(write_activity(points))
    return str(folder)


def test_the_load_and_return_to_running_show_the_target_sources_and_weak_evidence(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    kc("runs", "import", _runs(tmp_path / "runs", {6: 80, 4: 82, 2: 84}))
    for shown in (kc("load"), kc("return-to-run", *START_CHECK)):
        assert shown.code == 0, shown.err
        text = shown.flat
        assert "Step rate: baseline 164 steps/min, target 172 (never over 180)." in text
        assert "Heiderscheit" in text and "Bramah" in text
        assert "Weak evidence: in runners with patellofemoral pain" in text
        assert "kneecoach default" in text


def test_without_cadence_the_terminal_says_why(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    kc("runs", "import", _runs(tmp_path / "runs", {2: None}))
    assert " ".join(NO_CADENCE.split()) in kc("load").flat
    assert kc("return-to-run", "--json").json["step_rate"]["message"] == NO_CADENCE


def test_each_run_lists_its_step_rate(kc, tmp_path):
    kc(*SCRIPTED_INIT)
    kc("runs", "import", _runs(tmp_path / "runs", {4: 82, 2: None}))
    listed = kc("runs", "list", "--json").json
    assert [run["step_rate"] for run in listed] == [None, 164.0]
    shown = kc("runs", "show", str(listed[1]["id"])).flat
    assert "step rate 164 steps/min at easy pace" in shown
    assert "step rate" not in kc("runs", "show", str(listed[0]["id"])).flat
