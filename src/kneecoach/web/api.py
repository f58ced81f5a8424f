"""The JSON API under /api/v1: the same services and permission checks as the pages, for
scripts, with a bearer token made on the settings page. Its OpenAPI schema is served at
/api/v1/openapi.json."""

import datetime as dt
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException
from fastapi.responses import Response
from pydantic import BaseModel, Field

from kneecoach.bootstrap import Runtime
from kneecoach.domain.errors import InvalidInput
from kneecoach.presenters import (
    activity_json,
    history_json,
    load_json,
    return_to_run_json,
    run_json,
    runner_summary_json,
    session_json,
    today_json,
)
from kneecoach.services.accounts import NotAllowed, runner_for
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import Conflict
from kneecoach.web.context import PostedJson


class CheckinIn(BaseModel):
    pain_morning: int = Field(ge=0, le=10)
    date: dt.date | None = None
    swelling: bool = False


class SessionIn(BaseModel):
    """Today's session, done as planned."""

    pain_during: int = Field(ge=0, le=10)
    effort: int | None = Field(default=None, ge=0, le=10)
    notes: str = Field(default="", max_length=2000)


def create_api(runtime: Runtime) -> FastAPI:
    accounts = runtime.accounts
    api = FastAPI(
        title="kneecoach API",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )

    def account(authorization: Annotated[str | None, Header()] = None) -> int:
        token = (authorization or "").removeprefix("Bearer ").strip()
        user_id = accounts.api_token_owner(token)
        if user_id is None:
            raise HTTPException(
                status_code=401,
                detail="a valid bearer token is required",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return user_id

    User = Annotated[int, Depends(account)]

    def coach(user_id: int) -> RunnerContext:
        runner = runtime.runner(user_id)
        if not runner.has_profile():
            raise HTTPException(status_code=409, detail="no profile yet: set up the program")
        return runner

    @api.get("/today")
    def today(user: User) -> dict[str, Any]:
        """The session due today (or the rest day, or the pause), whether the AKPS is due,
        the return-to-run stage due, and what is already logged."""
        from kneecoach.services.today import today_view

        return today_json(today_view(coach(user)))

    @api.get("/history")
    def history(user: User) -> dict[str, Any]:
        """Sessions against the plan, pain during and next morning, adherence."""
        from kneecoach.services.history import history as build

        return history_json(build(coach(user)))

    @api.post("/checkins", status_code=201)
    def checkin(body: CheckinIn, user: User) -> dict[str, Any]:
        """Next-morning knee pain."""
        from kneecoach.services.journal import record_checkin

        try:
            kept, replaced = record_checkin(
                coach(user), body.pain_morning, body.date, swelling=body.swelling
            )
        except InvalidInput as error:
            raise HTTPException(status_code=422, detail=str(error)) from None
        return {
            "date": kept.date,
            "pain_morning": kept.pain_morning,
            "swelling": kept.swelling,
            "replaced": replaced.pain_morning if replaced else None,
        }

    @api.post("/sessions", status_code=201)
    def session(body: SessionIn, user: User) -> dict[str, Any]:
        """Log today's session as done as planned."""
        from kneecoach.services import journal
        from kneecoach.services.today import session_for

        c = coach(user)
        day = c.clock.today()
        try:
            logged = journal.record_session(
                c,
                day,
                journal.planned_as_done(session_for(c, day)),
                body.pain_during,
                effort=body.effort,
                notes=body.notes,
            )
        except (InvalidInput, Conflict) as error:
            raise HTTPException(status_code=409, detail=str(error)) from None
        return session_json(logged)

    @api.get("/runs")
    def runs(user: User, all_sports: bool = False) -> list[dict[str, Any]]:
        """Runs, newest first, in the runner's distance unit (``all_sports`` adds
        cross-training): the fields of `kneecoach runs list --json`."""
        from kneecoach.services.runs import runs_view

        return [activity_json(run) for run in runs_view(coach(user), all_sports).runs]

    @api.get("/runs/{activity_id}")
    def run(activity_id: int, user: User) -> dict[str, Any]:
        """One activity with its laps: the fields of `kneecoach runs show ID --json`."""
        from kneecoach.services.runs import NoSuchActivity, run_view

        try:
            return run_json(run_view(coach(user), activity_id))
        except NoSuchActivity as error:
            raise HTTPException(status_code=404, detail=str(error)) from None

    @api.get("/load")
    def load(user: User, unit: str | None = None) -> list[dict[str, Any]]:
        """The running load, one object per day from the first run to today, in the runner's
        units (``unit``: distance, duration or session-rpe): the fields of
        `kneecoach load --json`."""
        from kneecoach.services.runs import load_view

        try:
            view = load_view(coach(user), unit)
        except InvalidInput as error:
            raise HTTPException(status_code=422, detail=str(error)) from None
        return [] if view is None else load_json(view)

    @api.get("/progress")
    def progress(user: User) -> dict[str, Any]:
        """Each exercise's level, decisions and next step (`kneecoach progress --json`)."""
        from kneecoach.presenters import progress_json
        from kneecoach.services.progress import progress as build

        return progress_json(build(coach(user)))

    @api.get("/review")
    def review(user: User) -> dict[str, Any]:
        """The week summed up, as `kneecoach review --json` gives it, on the red-flag screen
        last answered (answering it again is the review's own step, in the app)."""
        from kneecoach.presenters import review_json
        from kneecoach.services.review import weekly_review

        return review_json(weekly_review(coach(user)))

    @api.get("/akps")
    def akps(user: User) -> dict[str, Any]:
        """Every AKPS result, the change and when the next is due (`akps --history --json`)."""
        from kneecoach.presenters import akps_history_json
        from kneecoach.services.outcomes import akps_history

        return akps_history_json(akps_history(coach(user)))

    @api.get("/runners")
    def runners(user: User) -> list[dict[str, Any]]:
        """A clinician's runners, each with what the dashboard shows: the last session,
        adherence, the pain trend, the AKPS change and when it is due, and warnings with
        their sources."""
        from kneecoach.services.clinic import dashboard

        view = dashboard((runtime.runner(i), n) for i, n in accounts.runners_of(user))
        return [runner_summary_json(r) for r in view.runners]

    @api.get("/return-to-run")
    def return_to_run(user: User) -> dict[str, Any]:
        """Return to running: whether it has started, the stage, the next run, the runs."""
        from kneecoach.services import return_to_run as service

        c = coach(user)
        return return_to_run_json(service.status(c), service.attempts(c))

    @api.get("/runners/{runner_id}/history")
    def runner_history(runner_id: int, user: User) -> dict[str, Any]:
        """One of the clinician's runners' history (404 for anyone else's)."""
        from kneecoach.services.history import history as build

        try:
            runner_for(accounts, user, runner_id)
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None
        return history_json(build(coach(runner_id)))

    @api.get("/export/csv", response_class=Response)
    def export_csv(user: User) -> Response:
        """Sessions (one row a set), check-ins, AKPS results and runs: the CSV files of
        `kneecoach export csv`, in one zip archive."""
        from kneecoach.services.exports import csv_archive
        from kneecoach.web.settings_pages import attachment

        return attachment(csv_archive(coach(user)))

    @api.get("/export/fhir", response_class=Response)
    def export_fhir(user: User) -> Response:
        """The FHIR R4 Bundle of `kneecoach export fhir` (application/fhir+json)."""
        from kneecoach.services.exports import fhir_export
        from kneecoach.web.settings_pages import attachment

        return attachment(fhir_export(coach(user), accounts.name_of(user)))

    @api.get("/export/backup", response_class=Response)
    def export_backup(user: User) -> Response:
        """Everything of the account's in one versioned JSON backup (`kneecoach export
        backup`)."""
        from kneecoach.services.backup import make_backup
        from kneecoach.web.settings_pages import attachment

        return attachment(make_backup(coach(user)))

    @api.post("/backup")
    def restore_backup(user: User, document: PostedJson) -> dict[str, Any]:
        """Restore a backup made by `GET /export/backup` (the document as the JSON body):
        all of it or nothing, skipping what is already kept. Returns what was added and
        skipped per table, as `kneecoach import backup --json`; 422 names the problem, with
        nothing changed."""
        from kneecoach.presenters import restore_json
        from kneecoach.services.backup import restore_document

        try:
            return restore_json(restore_document(runtime.runner(user), document, "the backup"))
        except InvalidInput as error:
            raise HTTPException(status_code=422, detail=str(error)) from None

    return api
