"""Return to running: the entry check, then the graded walk/run stages, each run judged by
the next morning's check-in — the service of `kneecoach return-to-run`."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import datetime as dt
from typing import Any

from fastapi import FastAPI
from pydantic import Field

from kneecoach.domain.pain import PAIN_MAX, PAIN_MIN
from kneecoach.presenters import return_to_run_json
from kneecoach.services.context import RunnerContext
from kneecoach.web.api.access import Own
from kneecoach.web.api.body import Body
from kneecoach.web.api.errors import errors


class EntryCheckIn(Body):
    """The entry check, as `kneecoach return-to-run --walk-ok --squats N --hops N
    --test-pain N` takes it."""

    walk_ok: bool = Field(
        description="The entry check's brisk walk went pain-free, without a limp (the answer's "
        "`message` names any criterion still missing)."
    )
    squats: int = Field(ge=0, le=1000, description="Pain-free single-leg squats, good form.")
    hops: int = Field(ge=0, le=1000, description="Pain-free single-leg hops.")
    test_pain: int = Field(ge=PAIN_MIN, le=PAIN_MAX, description="Knee pain during the tests.")
    date: dt.date | None = Field(default=None, strict=False, description="The day (default today).")


class StageRunIn(Body):
    date: dt.date | None = Field(
        default=None, strict=False, description="The day run (default today)."
    )


def _status(runner: RunnerContext) -> dict[str, Any]:
    from kneecoach.services import return_to_run as service
    from kneecoach.services.steprate import step_rate_view

    return return_to_run_json(
        service.status(runner), service.attempts(runner), step_rate_view(runner)
    )


def add_routes(api: FastAPI) -> None:
    @api.get("/return-to-run", responses=errors(409))
    def return_to_run(runner: Own) -> dict[str, Any]:
        """Whether it has started, the stage, the next run, the stages and the runs (each
        with the reason it is flagged, if it is), whether it is paused and why, and the notes
        on what changed its course (`kneecoach return-to-run --json`)."""
        runner.stored_profile()
        return _status(runner)

    @api.post("/return-to-run/checks", status_code=201, responses=errors(409, 422))
    def entry_check(body: EntryCheckIn, runner: Own) -> dict[str, Any]:
        """Keep an entry check; once its criteria are met, the stages begin. 409 while the
        program is paused (the detail says why). Answers with where return to running
        stands."""
        from kneecoach.domain.return_to_run import EntryCheck
        from kneecoach.services.return_to_run import record_check

        day = body.date or runner.clock.today()
        record_check(runner, EntryCheck(day, body.walk_ok, body.squats, body.hops, body.test_pain))
        return _status(runner)

    @api.post("/return-to-run/runs", status_code=201, responses=errors(409, 422))
    def stage_run(runner: Own, body: StageRunIn | None = None) -> dict[str, Any]:
        """Log a run of the current stage (today unless ``date``); 422 before the stages have
        begun, 409 while the program is paused (the detail says why). Answers with where
        return to running stands."""
        from kneecoach.services.return_to_run import log_run

        log_run(runner, body.date if body else None)
        return _status(runner)
