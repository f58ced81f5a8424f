"""Runs and load: activities uploaded (files or whole exports), listed and shown in the
runner's units, how hard each felt, and the training load."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from kneecoach.domain.load import EFFORT_MAX, EFFORT_MIN
from kneecoach.presenters import activity_json, load_json, run_json
from kneecoach.web.api.access import MAX_ID, Own
from kneecoach.web.api.body import Body
from kneecoach.web.api.errors import ErrorOut, errors
from kneecoach.web.uploads import streams_upload

ActivityId = Annotated[int, Path(ge=1, le=MAX_ID, description="An activity's id (GET /runs).")]
MAX_FILES = 1000
"""Files in one upload (an export zip counts as one)."""
UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files"],
                "properties": {
                    "files": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                        "description": "GPX, TCX, FIT, zip",
                    }
                },
            }
        }
    },
}
JOB_QUEUED = {
    "description": "Queued: the job as `GET /jobs/{job_id}` gives it (its address also in "
    "`Location`); its `result`, once done, is the report of `kneecoach runs import --json`.",
    "content": {"application/json": {"schema": {"type": "object"}}},
}
TOO_LARGE = {
    "description": "The upload is larger than the server takes (KNEECOACH_UPLOAD_LIMIT): "
    "nothing of it was kept.",
    "model": ErrorOut,
}


class EffortIn(Body):
    effort: int = Field(
        ge=EFFORT_MIN, le=EFFORT_MAX, description=f"How hard it felt, {EFFORT_MIN} to {EFFORT_MAX}."
    )


def add_routes(api: FastAPI) -> None:
    @api.get("/runs", responses=errors(409, 422))
    def runs(runner: Own, all_sports: bool = False) -> list[dict[str, Any]]:
        """Runs, newest first, in the runner's distance unit (``all_sports`` adds
        cross-training, marked ``cross_training``): the fields of `kneecoach runs list
        --json`, each with its ``sources`` as the runner named the files."""
        from kneecoach.services.runs import runs_view

        return [activity_json(run) for run in runs_view(runner, all_sports).runs]

    @api.post(
        "/runs",
        status_code=202,
        responses={**errors(400, 409, 422), 202: JOB_QUEUED, 413: TOO_LARGE},
        openapi_extra={"requestBody": UPLOAD_BODY},
    )
    @streams_upload
    async def runs_upload(request: Request, runner: Own) -> JSONResponse:
        """Import activity files or whole Strava or Garmin exports (multipart, field
        ``files``) in the background: the upload is kept and a job queued, answered at once
        with the job (``GET /jobs/{job_id}`` follows it). Once done, its ``result`` is the
        report of `kneecoach runs import --json`, each file under the name it was sent with
        (an archive's member as archive/path). A file that cannot be read is named with its
        reason and never stops the rest; files of an activity already kept are merged into
        it (starts within 2 minutes, or 80 % of the shorter shared)."""
        from starlette.concurrency import run_in_threadpool

        from kneecoach.presenters import job_json
        from kneecoach.services.jobs import queue_import, wall_clock
        from kneecoach.web.api.access import runtime_of
        from kneecoach.web.uploads import BadUpload, UploadTooLarge, receive_upload

        runtime = runtime_of(request)
        await run_in_threadpool(runner.stored_profile)  # no profile: 409 before any upload
        try:
            received = await receive_upload(
                request.stream(),
                request.headers.get("content-type", ""),
                request.headers.get("content-length"),
                runtime.settings.jobs_dir,
                runtime.settings.upload_limit,
            )
        except UploadTooLarge as error:
            raise HTTPException(status_code=413, detail=str(error)) from None
        except BadUpload as error:
            raise HTTPException(status_code=400, detail=str(error)) from None
        try:
            if not received.files:
                raise HTTPException(status_code=422, detail="files: at least one file")
            if len(received.files) > MAX_FILES:
                raise HTTPException(
                    status_code=422, detail=f"files: at most {MAX_FILES} in one upload"
                )
            view = await run_in_threadpool(
                queue_import,
                runner,
                runtime.jobs,
                received.folder,
                received.files,
                wall_clock(),
            )
        except BaseException:
            received.remove()
            raise
        url = str(request.url_for("job", job_id=view.id).path)
        return JSONResponse(job_json(view, url), status_code=202, headers={"Location": url})

    @api.get("/runs/{activity_id}", responses=errors(404, 409, 422))
    def run(activity_id: ActivityId, runner: Own) -> dict[str, Any]:
        """One activity with its laps: the fields of `kneecoach runs show ID --json`."""
        from kneecoach.services.runs import run_view

        return run_json(run_view(runner, activity_id))

    @api.put("/runs/{activity_id}/effort", responses=errors(404, 409, 422))
    def run_effort(activity_id: ActivityId, body: EffortIn, runner: Own) -> dict[str, Any]:
        """How hard an activity felt, for load counted as session-RPE: the activity
        as `GET /runs/{activity_id}` gives it."""
        from kneecoach.services.runs import run_view, set_effort

        set_effort(runner, activity_id, body.effort)
        return run_json(run_view(runner, activity_id))

    @api.get("/load", responses=errors(409, 422))
    def load(
        runner: Own, unit: Annotated[str | None, Query(max_length=40)] = None
    ) -> list[dict[str, Any]]:
        """The running load, one object per day from the first run to today, in the runner's
        units (``unit``: distance, duration or session-rpe): the fields of
        `kneecoach load --json`."""
        from kneecoach.services.runs import load_view

        view = load_view(runner, unit)
        return [] if view is None else load_json(view)
