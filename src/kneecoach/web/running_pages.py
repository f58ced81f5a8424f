"""Runs: upload (files or export zips), the list, and the training load — each page formats
the view the runs service builds, in the runner's units."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import WebSession
from kneecoach.web.context import Checked, PostedForm, Runner, Web, Who

if TYPE_CHECKING:
    from kneecoach.services.runs import ImportReport, LoadView


def add_routes(app: FastAPI, web: Web) -> None:
    def runs_page(
        request: Request,
        who: WebSession,
        runner: RunnerContext,
        report: "ImportReport | None" = None,
        error: str | None = None,
    ) -> Response:
        from kneecoach.presenters import clock_text
        from kneecoach.services.runs import runs_view

        view = runs_view(runner)
        rows = [
            {
                "date": f"{run.start:%a %d %b %Y}",
                "distance": f"{run.distance:.2f} {run.distance_unit}",
                "time": clock_text(run.moving_s),
                "pace": "—" if run.pace_s is None else clock_text(run.pace_s),
                "hr": "—" if run.avg_hr is None else f"{run.avg_hr:.0f}",
                "effort": "—" if run.effort is None else f"{run.effort}/10",
            }
            for run in view.runs
        ]
        text = failed = None
        if report is not None:
            text = (
                f"{report.files} files: {report.added} added, {report.skipped} already kept, "
                f"{len(report.failed)} failed."
            )
            failed = report.failed[:20]
        return web.page.render(
            request,
            "runs.html",
            400 if error else 200,
            title="Runs",
            rows=rows,
            pace_unit=view.pace_unit,
            report=text,
            failed=failed,
            error=error,
            **web.base(who),
        )

    @app.get("/runs", response_class=HTMLResponse)
    def runs(request: Request, who: Who, runner: Runner) -> Response:
        return runs_page(request, who, runner)

    @app.post("/runs/import")
    def runs_import(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        import shutil
        import tempfile

        from kneecoach.services.runs import import_paths

        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        if not uploads:
            return runs_page(request, who, runner, error="Choose at least one file to import.")
        folder = Path(tempfile.mkdtemp(prefix="kneecoach-upload-"))
        try:
            paths = []
            for number, upload in enumerate(uploads):
                name = Path(str(upload.filename)).name or f"upload-{number}"
                target = folder / f"{number:04d}-{name}"
                with target.open("wb") as out:
                    shutil.copyfileobj(upload.file, out)
                paths.append(target)
            report = import_paths(runner, paths, workers=1)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return runs_page(request, who, runner, report)

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
