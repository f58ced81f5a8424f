"""Runs: upload (files or export zips), the list, and the training load — each page formats
the view the runs service builds, in the runner's units."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import WebSession
from kneecoach.web.context import Runner, Web, Who
from kneecoach.web.uploads import streams_upload

if TYPE_CHECKING:
    from kneecoach.services.runs import LoadView, RunView


def add_routes(app: FastAPI, web: Web) -> None:
    def runs_page(
        request: Request,
        who: WebSession,
        runner: RunnerContext,
        error: str | None = None,
        status: int = 400,
    ) -> Response:
        from kneecoach.presenters import clock_text
        from kneecoach.services.runs import runs_view

        view = runs_view(runner)

        def row(run: "RunView") -> dict[str, str]:
            return {
                "date": f"{run.start:%a %d %b %Y}",
                "sport": run.sport_label,
                "distance": f"{run.distance:.2f} {run.distance_unit}",
                "time": clock_text(run.moving_s),
                "pace": "—" if run.pace_s is None else clock_text(run.pace_s),
                "hr": "—" if run.avg_hr is None else f"{run.avg_hr:.0f}",
                "effort": "—" if run.effort is None else f"{run.effort}/10",
                "sources": ", ".join(run.sources),
            }

        rows = [row(run) for run in view.runs]
        others = [row(run) for run in view.cross_training]
        return web.page.render(
            request,
            "runs.html",
            status if error else 200,
            title="Runs",
            rows=rows,
            others=others,
            pace_unit=view.pace_unit,
            error=error,
            **web.base(who),
        )

    @app.get("/runs", response_class=HTMLResponse)
    def runs(request: Request, who: Who, runner: Runner) -> Response:
        return runs_page(request, who, runner)

    @app.post("/runs/import")
    @streams_upload
    async def runs_import(request: Request, who: Who, runner: Runner) -> Response:
        """The upload streamed to disk and its import queued: the job's page follows it."""
        from starlette.concurrency import run_in_threadpool

        from kneecoach.web.job_pages import queue_upload

        job_id, error, status = await queue_upload(request, web, who, runner)
        if job_id is not None:
            return RedirectResponse(f"/runs/jobs/{job_id}", 303)
        return await run_in_threadpool(runs_page, request, who, runner, error, status)

    @app.get("/load", response_class=HTMLResponse)
    def load_page(request: Request, who: Who, runner: Runner) -> Response:
        from kneecoach.services.runs import load_view

        view = load_view(runner)
        if view is None:
            return web.page.render(request, "load.html", title="Load", view=None, **web.base(who))
        return web.page.render(
            request, "load.html", title="Load", view=view, **_charts(view), **web.base(who)
        )


def _charts(view: "LoadView") -> dict[str, Any]:
    """The weekly load and the last weeks' rolling ratio (once there is one), shaded with
    the bands the view names."""
    from kneecoach.web.charts import line_chart

    weeks = view.recent_weeks
    load_chart = line_chart(
        f"Weekly running {view.quantity} ({view.unit_label})",
        [w.monday for w in weeks],
        {view.unit_label: [round(w.load, 1) for w in weeks]},
        max(1.0, max(w.load for w in weeks) * 1.1),
    )
    days = view.recent_days
    ratios = [None if d.rolling.value is None else round(d.rolling.value, 2) for d in days]
    if all(r is None for r in ratios):
        return {"load_chart": load_chart, "ratio_chart": None}
    edges = [edge for z in view.named_zones for edge in (z.low, z.high) if edge is not None]
    ratio_chart = line_chart(
        f"Rolling acute:chronic ratio, last {len(days)} days (shaded: "
        + ", ".join(z.label for z in view.named_zones)
        + ")",
        [d.day for d in days],
        {"ratio": ratios},
        max([*edges, *(r for r in ratios if r is not None)]) * 1.1,
        bands=[(z.low, z.high, z.label) for z in view.named_zones],
    )
    return {"load_chart": load_chart, "ratio_chart": ratio_chart}
