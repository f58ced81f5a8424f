"""Back in the race: the race goal and the knee-gated plan to it, and the runs of the plan
told about — the service and the JSON of `kneecoach race`."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import datetime as dt
from typing import Any

from fastapi import FastAPI
from pydantic import Field

from kneecoach.domain.pain import PAIN_MAX, PAIN_MIN
from kneecoach.presenters import race_plan_json
from kneecoach.web.api.access import Own
from kneecoach.web.api.body import Body
from kneecoach.web.api.errors import errors


class RaceGoalIn(Body):
    """The race goal, as `kneecoach race set --date --distance [--target]` takes it."""

    date: dt.date = Field(strict=False, description="The race day (after today).")
    distance: str = Field(
        max_length=12,
        description="5k, 10k, 21.1k, 42.2k, or the distance in metres (1000-100000), as 15000.",
    )
    target: str | None = Field(
        default=None, max_length=12, description="A target time, H:MM:SS (optional)."
    )


class RaceRunIn(Body):
    """A run of the plan, as `kneecoach race run --pain N [--date] [--km]` takes it."""

    pain_during: int = Field(
        ge=PAIN_MIN, le=PAIN_MAX, description="Knee pain during the run; 7 or more pauses."
    )
    date: dt.date | None = Field(
        default=None, strict=False, description="The day run (default today)."
    )
    distance_km: float | None = Field(
        default=None,
        gt=0,
        le=100,
        description="The run's distance in km, when no watch recorded it (imported runs "
        "count by themselves).",
    )


def add_routes(api: FastAPI) -> None:
    @api.get("/race", responses=errors(409))
    def race_plan(runner: Own) -> dict[str, Any]:
        """The plan to the race (`kneecoach race plan --json`): `reachable`, `reasons`,
        `sources` and `weeks` (each `monday`, `runs`, `distance_km`, `long_run_km`,
        `done_km`), with the goal; stopped while the program is paused; refused plainly, with
        what is reachable, when the limits cannot be kept."""
        from kneecoach.services import race

        runner.stored_profile()
        return race_plan_json(race.plan(runner))

    @api.put("/race", responses=errors(409, 422))
    def set_race(body: RaceGoalIn, runner: Own) -> dict[str, Any]:
        """Set the race goal, replacing any other (`kneecoach race set`); answers with its
        plan. 422 for a distance, date or target time it cannot read."""
        from kneecoach.domain.race import parse_distance, parse_target
        from kneecoach.services import race

        metres = parse_distance(body.distance)
        seconds = None if body.target is None else parse_target(body.target)
        return race_plan_json(race.set_goal(runner, body.date, metres, seconds))

    @api.delete("/race", responses=errors(409))
    def clear_race(runner: Own) -> dict[str, Any]:
        """Forget the race goal (`kneecoach race clear`); `cleared` is false when there was
        none."""
        from kneecoach.services import race

        runner.stored_profile()
        return {"cleared": race.clear_goal(runner)}

    @api.post("/race/runs", status_code=201, responses=errors(409, 422))
    def race_run(body: RaceRunIn, runner: Own) -> dict[str, Any]:
        """Tell how a run of the plan went (`kneecoach race run --pain N`): the pain during
        gates the plan with the next morning's check-in; 7/10 or more pauses the program.
        Answers with the plan as it now stands. 422 for a day after today."""
        from kneecoach.services import race

        return race_plan_json(race.tell_run(runner, body.pain_during, body.date, body.distance_km))
