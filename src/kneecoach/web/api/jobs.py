"""Background jobs: an upload's import, followed until it ends."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Path, Request

from kneecoach.presenters import job_json
from kneecoach.web.api.access import MAX_ID, Own, runtime_of
from kneecoach.web.api.errors import errors

JobId = Annotated[int, Path(ge=1, le=MAX_ID, description="A job's id (POST /runs answers it).")]


def add_routes(api: FastAPI) -> None:
    @api.get("/jobs/{job_id}", name="job", responses=errors(404, 422))
    def job(job_id: JobId, request: Request, runner: Own) -> dict[str, Any]:
        """One of the account's own jobs (someone else's is 404): its ``state`` (queued,
        running, done, failed, abandoned), its progress (``files_done`` of ``files_total``,
        activities ``added`` and ``merged`` so far), ``waiting_until`` while a Strava sync
        waits for Strava's next window of requests (UTC; null otherwise) and, once done, its
        ``result``: the report of `kneecoach runs import --json`."""
        from kneecoach.services.jobs import NoSuchJob, job_view

        try:
            view = job_view(runner, runtime_of(request).jobs, job_id)
        except NoSuchJob as error:
            raise HTTPException(status_code=404, detail=str(error)) from None
        return job_json(view, str(request.url_for("job", job_id=job_id).path))
