"""Imports in the background: the upload streamed to disk and queued (``queue_upload``), then
the job's page, which shows its progress live (``static/job.js`` asks the JSON beside it
every second) and its report once done; without JavaScript, a link refreshes it."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import WebSession
from kneecoach.web.context import Runner, Web, Who
from kneecoach.web.uploads import BadUpload, UploadTooLarge, receive_upload

JobId = Annotated[int, Path(ge=1, le=2**31 - 1)]


async def receive_files(request: Request, web: Web) -> Any:
    """The request's files on disk under the jobs directory (see web.uploads)."""
    return await receive_upload(
        request.stream(),
        request.headers.get("content-type", ""),
        request.headers.get("content-length"),
        web.settings.jobs_dir,
        web.settings.upload_limit,
    )


async def queue_upload(
    request: Request, web: Web, who: WebSession, runner: RunnerContext
) -> tuple[int | None, str | None, int]:
    """Stream the form's files to disk and queue their import: the job's id, or why not
    (and the status to answer with). A form without its CSRF token is refused (403) and
    nothing of it kept."""
    from kneecoach.services.jobs import queue_import, wall_clock

    await run_in_threadpool(runner.stored_profile)  # no profile: onboarding first
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        form = await request.form()
        if form.get("csrf") != who.csrf:
            raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
        return None, "Choose at least one file to import.", 400
    try:
        received = await receive_files(request, web)
    except UploadTooLarge as error:
        return None, f"Nothing was imported: {error}.", 413
    except BadUpload as error:
        return None, f"Nothing was imported: {error}.", 400
    if received.fields.get("csrf") != who.csrf:
        received.remove()
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
    if not received.files:
        received.remove()
        return None, "Choose at least one file to import.", 400
    try:
        view = await run_in_threadpool(
            queue_import,
            runner,
            web.runtime.jobs,
            received.folder,
            received.files,
            wall_clock(),
        )
    except BaseException:
        received.remove()
        raise
    return view.id, None, 202


def add_routes(app: FastAPI, web: Web) -> None:
    @app.get("/runs/jobs/{job_id}", response_class=HTMLResponse)
    def job_page(request: Request, job_id: JobId, who: Who, runner: Runner) -> Response:
        from kneecoach.presenters import job_progress_text
        from kneecoach.services.jobs import NoSuchJob, job_view

        try:
            view = job_view(runner, web.runtime.jobs, job_id)
        except NoSuchJob:
            raise HTTPException(status_code=404, detail="no such import") from None
        return web.page.render(
            request,
            "job.html",
            title="Import",
            job=view,
            text=job_progress_text(view),
            failed=[] if view.report is None else view.report.failed[:20],
            more_failed=0 if view.report is None else max(0, len(view.report.failed) - 20),
            **web.base(who),
        )

    @app.get("/runs/jobs/{job_id}/progress")
    def job_progress(job_id: JobId, who: Who, runner: Runner) -> dict[str, Any]:
        """The job page's script asks this every second."""
        from kneecoach.presenters import job_json
        from kneecoach.services.jobs import NoSuchJob, job_view

        try:
            view = job_view(runner, web.runtime.jobs, job_id)
        except NoSuchJob:
            raise HTTPException(status_code=404, detail="no such import") from None
        return job_json(view, f"/runs/jobs/{job_id}")
