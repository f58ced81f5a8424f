"""The clinic: a clinician's runners (the dashboard's rows), one runner in detail and their
history, prescribing and pinning, and invitations. A runner who is not the clinician's is
'not found'; a runner's account sees no one."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import Field

from kneecoach.domain.journal import MAX_HOLD_SECONDS, MAX_LOAD_KG, MAX_NOTE_LENGTH, MAX_SETS
from kneecoach.presenters import (
    decision_json,
    history_json,
    pin_note,
    progress_json,
    race_plan_json,
    runner_detail_json,
    runner_summary_json,
)
from kneecoach.services.context import RunnerContext
from kneecoach.web.api.access import (
    Account,
    Clinician,
    client_address,
    reaching,
    runtime_of,
    site_address,
)
from kneecoach.web.api.body import Body
from kneecoach.web.api.errors import errors
from kneecoach.web.api.progress import PinIn
from kneecoach.web.api.race import RaceGoalIn


class PrescriptionIn(Body):
    """A clinician's prescription for one exercise of the runner's program, kept as a
    decision with the note as its reason (undone like any other)."""

    exercise: str = Field(min_length=1, max_length=100)
    variant: str = Field(min_length=1, max_length=100)
    sets: int = Field(ge=1, le=MAX_SETS)
    amount: int = Field(
        ge=1,
        le=MAX_HOLD_SECONDS,
        description="Reps, or seconds for an exercise that is held (its ladder says which).",
    )
    load_kg: float = Field(default=0.0, ge=0, le=MAX_LOAD_KG)
    note: str = Field(default="", max_length=MAX_NOTE_LENGTH)
    pinned: bool = False


Progress = Annotated[RunnerContext, Depends(reaching("viewed progress"))]
History = Annotated[RunnerContext, Depends(reaching("viewed history"))]
Prescribing = Annotated[RunnerContext, Depends(reaching("prescribing", reading=False))]
Pinning = Annotated[RunnerContext, Depends(reaching("pinning", reading=False))]
Lifting = Annotated[RunnerContext, Depends(reaching("lifting the pause", reading=False))]
StoppingRace = Annotated[RunnerContext, Depends(reaching("stopping the race plan", reading=False))]
ReadingRace = Annotated[RunnerContext, Depends(reaching("viewed the race plan"))]
SettingRace = Annotated[RunnerContext, Depends(reaching("setting the race goal", reading=False))]
HoldingRace = Annotated[RunnerContext, Depends(reaching("holding the race plan", reading=False))]
ReleasingRace = Annotated[
    RunnerContext, Depends(reaching("releasing the race plan", reading=False))
]
SteppingRace = Annotated[
    RunnerContext, Depends(reaching("stepping the race plan back", reading=False))
]
"""One of the calling clinician's runners, reached for what the route does (audited)."""


def add_routes(api: FastAPI) -> None:
    @api.get("/runners")
    def runners(request: Request, user: Account) -> list[dict[str, Any]]:
        """A clinician's runners, each with what the dashboard shows: the last session,
        adherence, the pain trend, the AKPS change and when it is due, the latest morning
        check-in (`morning_pain`, `morning_pain_on`, `morning_swelling`), the sets kept so
        far of today's session while the runner is doing it (`in_progress_sets`, null
        otherwise), and warnings with their sources (none for a runner's account)."""
        from kneecoach.services.audit import listed, visitor
        from kneecoach.services.clinic import dashboard

        runtime = runtime_of(request)
        followed = runtime.accounts.followed(user)
        if followed:
            who = visitor(runtime.accounts, user, client_address(request))
            listed(runtime.storage.audit(), who, (r.id for r in followed), runtime.clock.now())
        view = dashboard(
            ((runtime.runner(r.id), r.name) for r in followed),
            {r.id: r.revision for r in followed},
            runtime.kept_summaries,
        )
        return [runner_summary_json(r) for r in view.runners]

    @api.get("/runners/{runner_id}", responses=errors(404, 422))
    def runner(request: Request, runner: Progress) -> dict[str, Any]:
        """One of the clinician's runners: their progress, history and AKPS, and what may be
        prescribed (404 for anyone else's).

        `unfinished_session` is the session the runner keeps set by set in the browser
        player and has not finished yet, or null when there is none (nor once a session
        was finished on a later day: that one was left behind): its `date`, its
        `status` ("in progress" for today's while the program runs; "not finished" for an
        earlier day's never finished, or one a pause stopped, with `in_progress` saying
        which), `sets_kept` out of `sets_planned` (the day's planned sets, each side of a
        one-leg exercise counted), and `exercise_pain`: pain reported during an exercise so
        far (`exercise`, `name`, `pain` 0–10). It is not a session done: `history` and the
        adherence leave it out until it is finished."""
        from kneecoach.services.clinic import runner_detail

        name = runtime_of(request).accounts.name_of(runner.user_id)
        return runner_detail_json(runner_detail(runner, name))

    @api.get("/runners/{runner_id}/history", responses=errors(404, 409, 422))
    def runner_history(runner: History) -> dict[str, Any]:
        """One of the clinician's runners' history (404 for anyone else's)."""
        from kneecoach.services.history import history

        return history_json(history(runner))

    @api.post(
        "/runners/{runner_id}/prescriptions", status_code=201, responses=errors(404, 409, 422)
    )
    def prescribe(body: PrescriptionIn, runner: Prescribing) -> dict[str, Any]:
        """Set an exercise's variant, sets, reps or hold and load by hand, optionally pinned
        there: the decision kept."""
        from kneecoach.services.adaptation import prescribe as keep

        decision = keep(
            runner,
            body.exercise,
            body.variant,
            body.sets,
            body.amount,
            body.load_kg,
            note=body.note,
            pinned=body.pinned,
        )
        return decision_json(decision)

    @api.post("/runners/{runner_id}/pins", responses=errors(404, 409, 422))
    def pin(body: PinIn, runner: Pinning) -> dict[str, Any]:
        """Pin one of the runner's exercises where it is, or let it move again: their
        progress, with a note of where it stands."""
        from kneecoach.services.adaptation import pin as keep
        from kneecoach.services.progress import progress

        note = pin_note(keep(runner, body.exercise, body.pinned), body.pinned)
        return progress_json(progress(runner), note)

    @api.post("/runners/{runner_id}/lift", responses=errors(404, 409, 422))
    def lift(request: Request, user: Account, runner: Lifting) -> dict[str, Any]:
        """Lift the runner's pause once you have seen them, recorded with your name and the
        day: the screen in force (`lifted_by`). 409 when the program is not paused, or the
        runner has not answered the red-flag screen yet (theirs to answer)."""
        from kneecoach.presenters import screening_json
        from kneecoach.services.onboarding import lift_pause, screening_view

        lift_pause(runner, runtime_of(request).accounts.name_of(user))
        return screening_json(screening_view(runner))

    @api.delete("/runners/{runner_id}/race", responses=errors(404, 409, 422))
    def stop_race(runner: StoppingRace) -> dict[str, Any]:
        """Stop the runner's race plan: their race goal is cleared (recorded in the audit log
        with your name); `cleared` is false when they had none. The runner may set a new
        one."""
        from kneecoach.services.race import clear_goal

        runner.stored_profile()
        return {"cleared": clear_goal(runner)}

    @api.get("/runners/{runner_id}/race", responses=errors(404, 409, 422))
    def runner_race(runner: ReadingRace) -> dict[str, Any]:
        """The runner's race plan, as `kneecoach race plan --json` gives it to them: with
        `held_by`, `goal.set_by` and `clinician_decisions` (404 for anyone else's)."""
        from kneecoach.services.race import plan

        runner.stored_profile()
        return race_plan_json(plan(runner))

    @api.put("/runners/{runner_id}/race", responses=errors(404, 409, 422))
    def set_runner_race(body: RaceGoalIn, runner: SettingRace) -> dict[str, Any]:
        """Set or change the runner's race goal (date, distance, optional target), as
        yours: it is kept with your name (`goal.set_by`) and audited, and the runner cannot
        change or clear it — only a clinician can. Answers with the plan. 422 for a date,
        distance or target it cannot read; 409 when the runner has not set up a program."""
        from kneecoach.domain.race import parse_distance, parse_target
        from kneecoach.services.race import set_goal

        metres = parse_distance(body.distance)
        seconds = None if body.target is None else parse_target(body.target)
        return race_plan_json(set_goal(runner, body.date, metres, seconds))

    @api.post("/runners/{runner_id}/race/hold", responses=errors(404, 409, 422))
    def hold_race(runner: HoldingRace) -> dict[str, Any]:
        """Hold the runner's race plan at the week it is in: it does not build until a
        clinician releases it, whatever the runner changes (`held_by` names you). 409 when
        it is already held, or there is no race goal."""
        from kneecoach.domain.race import Call
        from kneecoach.services.race import decide

        return race_plan_json(decide(runner, Call.HOLD))

    @api.delete("/runners/{runner_id}/race/hold", responses=errors(404, 409, 422))
    def release_race(runner: ReleasingRace) -> dict[str, Any]:
        """Release your hold on the runner's race plan: it builds again within the same
        limits. 409 when the plan is not held."""
        from kneecoach.domain.race import Call
        from kneecoach.services.race import decide

        return race_plan_json(decide(runner, Call.RELEASE))

    @api.post("/runners/{runner_id}/race/step-back", responses=errors(404, 409, 422))
    def step_race_back(runner: SteppingRace) -> dict[str, Any]:
        """Step the runner's race plan back a week from the week it is in, then build again
        from there (audited, kept with your name). 409 when there is no race goal."""
        from kneecoach.domain.race import Call
        from kneecoach.services.race import decide

        return race_plan_json(decide(runner, Call.STEP_BACK))

    @api.post("/invitations", status_code=201, responses=errors(403))
    def invitation(request: Request, user: Clinician) -> dict[str, str]:
        """A single-use link for a new runner to join the clinic (valid two weeks)."""
        from kneecoach.services.accounts import NotAllowed, invite

        runtime = runtime_of(request)
        try:
            token = invite(runtime.accounts, user, runtime.clock.now())
        except NotAllowed:
            raise HTTPException(status_code=403, detail="only a clinician invites") from None
        return {"link": site_address(request, f"/invite/{token}")}
