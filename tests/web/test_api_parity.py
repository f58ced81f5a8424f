"""One core, two faces: three weeks of a runner's program — onboarding, the sessions on the
planned days (one of them logged exercise by exercise), morning check-ins, the AKPS at the
start and after three weeks, weekly reviews, runs imported from a watch's files, the entry
check and a run of return to running — done once through the command line's `--json` and
once through the API, each on a fresh database, give the same JSON at every step and the
same reads at the end."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import pytest
from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.domain.prescription import session_days
from kneecoach.services.accounts import new_api_token
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from tests.cli.conftest import kc  # noqa: F401 (the fixture: the command line in-process)
from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity
from tests.web.conftest import PASSWORD, run_jobs

START = TODAY - dt.timedelta(days=20)
SESSIONS_PER_WEEK = 3
PLANNED = set(session_days(START, SESSIONS_PER_WEEK, START, TODAY))
RUN_DAYS = {1, 4, 8, 11, 15, 18}
"""Days of the program (0: the first) with a run recorded by the watch."""
REVIEW_DAYS = {6, 13, 20}
FIRST_AKPS = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]
LAST_AKPS = [1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1]
BY_EXERCISE = [
    {"exercise": "roll-down", "sets": [{"reps": 10}]},
    {"exercise": "bulgarian split squat", "side": "left", "sets": [{"reps": 12}, {"reps": 10}]},
    {"exercise": "fire-hydrant", "sets": [{"reps": 15}, {"reps": 15}]},
]
"""The session logged exercise by exercise, as a session file's "exercises" list."""

Step = tuple[str, Any]


def run_file(number: int, day: dt.date) -> tuple[str, bytes]:
    """A 25-minute run at 07:00 UTC on ``day``, as a watch writes it."""
    start = dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)
    points = run_points(int(start.timestamp()), 1500, seed=number)
    return f"run-{number:02d}.fit", write_activity(points)


def pain_during(number: int) -> int:
    return 2 + number % 2


def morning_pain(number: int) -> int:
    """Mornings that swing (a session judged too much) until the entry check on day 10,
    steady after it: a session too much after the check would void it."""
    return 1 + number % 2 if number <= 10 else 1


class Face(Protocol):
    """What a runner does, one method a step; each answers the JSON it was given."""

    def on(self, day: dt.date) -> None: ...
    def onboard(self) -> Any: ...
    def log_as_planned(self, pain: int) -> Any: ...
    def log_by_exercise(self, pain: int) -> Any: ...
    def checkin(self, pain: int) -> Any: ...
    def akps(self, answers: list[int]) -> Any: ...
    def review(self) -> Any: ...
    def import_run(self, name: str, data: bytes) -> Any: ...
    def effort(self, activity_id: int, effort: int) -> Any: ...
    def entry_check(self) -> Any: ...
    def stage_run(self) -> Any: ...
    def reads(self) -> dict[str, Any]: ...


class Terminal:
    def __init__(self, invoke: Callable[..., Any], folder: Path, monkeypatch) -> None:
        self.kc = invoke
        self.folder = folder
        self.monkeypatch = monkeypatch
        folder.mkdir()
        monkeypatch.chdir(folder)

    def on(self, day: dt.date) -> None:
        self.monkeypatch.setenv("KNEECOACH_TODAY", day.isoformat())

    def json(self, *args: str) -> Any:
        result = self.kc(*args, "--json")
        assert result.code == 0, result.err
        return result.json

    def onboard(self) -> Any:
        return self.json(
            "init",
            "--knee",
            "left",
            "--pain-rest",
            "1",
            "--pain-running",
            "4",
            "--equipment",
            "low-bench,wall,pad,resistance-band",
            "--sessions-per-week",
            str(SESSIONS_PER_WEEK),
            "--start",
            START.isoformat(),
            "--no-red-flags",
            "--age-band",
            "16-50",
        )

    def log_as_planned(self, pain: int) -> Any:
        return self.json("log", "--as-planned", "--pain", str(pain), "--effort", "4")

    def log_by_exercise(self, pain: int) -> Any:
        file = self.folder / "session.json"
        file.write_text(json.dumps({"pain_during": pain, "exercises": BY_EXERCISE}))
        return self.json("log", "--file", str(file))

    def checkin(self, pain: int) -> Any:
        return self.json("checkin", "--pain", str(pain))

    def akps(self, answers: list[int]) -> Any:
        return self.json("akps", "--answers", ",".join(map(str, answers)))

    def review(self) -> Any:
        return self.json("review", "--no-red-flags")

    def import_run(self, name: str, data: bytes) -> Any:
        (self.folder / name).write_bytes(data)
        return self.json("runs", "import", name)

    def effort(self, activity_id: int, effort: int) -> Any:
        result = self.kc("runs", "effort", str(activity_id), str(effort))
        assert result.code == 0, result.err
        return self.json("runs", "show", str(activity_id))

    def entry_check(self) -> Any:
        return self.json(
            "return-to-run", "--walk-ok", "--squats", "10", "--hops", "10", "--test-pain", "1"
        )

    def stage_run(self) -> Any:
        return self.json("return-to-run", "--ran")

    def reads(self) -> dict[str, Any]:
        return {
            "today": self.json("today"),
            "history": self.json("history"),
            "progress": self.json("progress"),
            "akps": self.json("akps", "--history"),
            "runs": self.json("runs", "list"),
            "load": self.json("load"),
            "return-to-run": self.json("return-to-run"),
            "review": self.json("review", "--no-red-flags"),
        }


class DayByDay:
    """The server's clock: the day the scenario is on (moved forward by :meth:`Api.on`)."""

    def __init__(self) -> None:
        self.day = START

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        return FixedClock(self.day).now()


class Api:
    def __init__(self, folder: Path) -> None:
        url = f"sqlite:///{folder / 'api.db'}"
        self.settings = load_settings(
            {"KNEECOACH_DATA_DIR": str(folder), "KNEECOACH_DATABASE_URL": url}
        )
        self.clock = DayByDay()
        self.token: str | None = None
        self.client: TestClient | None = None

    def on(self, day: dt.date) -> None:
        """The server as it runs that day: one app, its clock on the day (building an app
        for each day cost a fifth of a second of a core each)."""
        self.clock.day = day
        if self.client is None:
            app = create_app(self.settings, clock=self.clock)
            runtime = app.state.web.runtime
            owner = runtime.accounts.create_owner("ana", PASSWORD, runtime.clock.now())
            self.token = new_api_token(runtime.accounts, owner, "parity", runtime.clock.now())
            self.client = TestClient(app, headers={"Authorization": f"Bearer {self.token}"})

    def call(self, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
        assert self.client is not None
        response = self.client.request(method, f"/api/v1{path}", **kwargs)
        assert response.status_code == status, response.text
        return response.json()

    def onboard(self) -> Any:
        profile = {
            "knee": "left",
            "pain_at_rest": 1,
            "pain_running": 4,
            "equipment": ["low-bench", "wall", "pad", "resistance-band"],
            "sessions_per_week": SESSIONS_PER_WEEK,
            "start_date": START.isoformat(),
            "red_flags": [],
            "age_band": "16-50",
        }
        return self.call("PUT", "/profile", json=profile)

    def log_as_planned(self, pain: int) -> Any:
        return self.call("POST", "/sessions", 201, json={"pain_during": pain, "effort": 4})

    def log_by_exercise(self, pain: int) -> Any:
        body = {"pain_during": pain, "exercises": BY_EXERCISE}
        return self.call("POST", "/sessions", 201, json=body)

    def checkin(self, pain: int) -> Any:
        return self.call("POST", "/checkins", 201, json={"pain_morning": pain})

    def akps(self, answers: list[int]) -> Any:
        return self.call("POST", "/akps", 201, json={"answers": answers})

    def review(self) -> Any:
        return self.call("POST", "/review", json={"red_flags": []})

    def import_run(self, name: str, data: bytes) -> Any:
        """The upload is queued (202), the worker runs it, and the job's result is the
        report the terminal gives."""
        queued = self.call("POST", "/runs", 202, files=[("files", (name, data))])
        assert self.client is not None
        run_jobs(self.client.app)
        return self.call("GET", queued["url"].removeprefix("/api/v1"))["result"]

    def effort(self, activity_id: int, effort: int) -> Any:
        return self.call("PUT", f"/runs/{activity_id}/effort", json={"effort": effort})

    def entry_check(self) -> Any:
        body = {"walk_ok": True, "squats": 10, "hops": 10, "test_pain": 1}
        return self.call("POST", "/return-to-run/checks", 201, json=body)

    def stage_run(self) -> Any:
        return self.call("POST", "/return-to-run/runs", 201)

    def reads(self) -> dict[str, Any]:
        return {
            "today": self.call("GET", "/today"),
            "history": self.call("GET", "/history"),
            "progress": self.call("GET", "/progress"),
            "akps": self.call("GET", "/akps"),
            "runs": self.call("GET", "/runs"),
            "load": self.call("GET", "/load"),
            "return-to-run": self.call("GET", "/return-to-run"),
            "review": self.call("GET", "/review"),
        }


def three_weeks(face: Face) -> tuple[list[Step], dict[str, Any]]:
    """The scenario, day by day; every step's JSON, and the reads on the last day."""
    steps: list[Step] = []
    sessions = runs = 0
    for number in range((TODAY - START).days + 1):
        day = START + dt.timedelta(days=number)
        face.on(day)
        if number == 0:
            steps.append(("onboard", face.onboard()))
            steps.append(("akps", face.akps(FIRST_AKPS)))
        if day - dt.timedelta(days=1) in PLANNED:
            steps.append((f"checkin {day}", face.checkin(morning_pain(number))))
        if number in RUN_DAYS:
            runs += 1
            steps.append((f"run {day}", face.import_run(*run_file(runs, day))))
        if number == 9:
            steps.append(("effort", face.effort(2, 6)))
        if number == 10:
            steps.append(("entry check", face.entry_check()))
        if number == 12:
            steps.append(("stage run", face.stage_run()))
        if day in PLANNED:
            sessions += 1
            log = face.log_by_exercise if sessions == 5 else face.log_as_planned
            steps.append((f"session {day}", log(pain_during(number))))
        if number in REVIEW_DAYS:
            steps.append((f"review {day}", face.review()))
    steps.append(("akps again", face.akps(LAST_AKPS)))
    return steps, face.reads()


@pytest.fixture
def terminal(kc, tmp_path, monkeypatch) -> Terminal:  # noqa: F811
    return Terminal(kc, tmp_path / "terminal", monkeypatch)


def test_three_weeks_through_the_terminal_and_the_api_give_the_same_json(terminal, tmp_path):
    folder = tmp_path / "api"
    folder.mkdir()
    by_terminal, read_by_terminal = three_weeks(terminal)
    by_api, read_by_api = three_weeks(Api(folder))

    assert [label for label, _ in by_api] == [label for label, _ in by_terminal]
    for (label, from_api), (_, from_terminal) in zip(by_api, by_terminal, strict=True):
        assert from_api == from_terminal, label
    for read in read_by_terminal:
        assert read_by_api[read] == read_by_terminal[read], read


def test_the_scenario_covers_what_it_says(terminal):
    """The comparison means something: the scenario has sessions judged, decisions made,
    both AKPS, runs with a load, return to running under way and a review."""
    _, reads = three_weeks(terminal)
    history = reads["history"]
    assert len(history["sessions"]) == len(PLANNED) and history["checkins"]
    assert any(e["decisions"] for e in reads["progress"]["exercises"])
    first, *_, last = reads["akps"]["results"]
    assert first["score"] < last["score"]
    assert len(reads["runs"]) == len(RUN_DAYS) and reads["runs"][-1]["effort"] is None
    assert any(run["effort"] == 6 for run in reads["runs"])
    assert reads["load"][-1]["date"] == TODAY.isoformat()
    assert reads["return-to-run"]["started"] and reads["return-to-run"]["attempts"]
    assert reads["review"]["program_active"] and reads["review"]["to"] == TODAY.isoformat()
