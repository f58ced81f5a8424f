"""The knee-alignment test (issue 18): the frontal plane projection angle (FPPA) of a
single-leg squat, 3 trials per leg, measured from the camera on the runner's device. The
device posts only the angles it measured (or the landmark points of each trial, never a
frame of video); the service keeps the mean of the 3 beside the published values, with the
2D-vs-3D validity caveat. It measures; it does not diagnose."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Any, Literal

from fastapi import FastAPI
from pydantic import Field

from kneecoach.domain.pose import FPPA_TRIALS
from kneecoach.presenters import fppa_history_json, fppa_recorded_json
from kneecoach.web.api.access import Own
from kneecoach.web.api.body import Body
from kneecoach.web.api.errors import errors


class TrialIn(Body):
    """One single-leg squat's FPPA, degrees (valgus positive), as the device measured it at
    the squat's deepest point."""

    fppa: float = Field(description="Degrees, valgus positive (out of range: 422).")


class AlignmentIn(Body):
    side: Literal["left", "right"] = Field(description="The leg tested.")
    trials: list[TrialIn] = Field(
        min_length=FPPA_TRIALS,
        max_length=FPPA_TRIALS,
        description=f"The {FPPA_TRIALS} trials of that leg, in order.",
    )


def add_routes(api: FastAPI) -> None:
    @api.get("/alignment-tests", responses=errors(409))
    def alignment_tests(runner: Own) -> dict[str, Any]:
        """Every knee-alignment test kept, oldest first (one a day per leg, each with its
        mean, trials, the published values, the caveat and sources), and whether the next
        is due."""
        from kneecoach.services.pose import fppa_history

        runner.stored_profile()
        return fppa_history_json(fppa_history(runner))

    @api.post("/alignment-tests", status_code=201, responses=errors(409, 422))
    def alignment_test(body: AlignmentIn, runner: Own) -> dict[str, Any]:
        """Keep a knee-alignment test taken today: 3 trials of one leg. A retake the same day
        replaces that leg's test (answered as `replaced`). 422 for a trial out of range or
        not 3 trials."""
        from kneecoach.services.pose import record_fppa

        runner.stored_profile()
        document = {"side": body.side, "trials": [{"fppa": t.fppa} for t in body.trials]}
        return fppa_recorded_json(record_fppa(runner, document))
