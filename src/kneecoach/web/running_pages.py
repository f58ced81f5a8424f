"""Runs: upload (files or export zips), the list, and the training load."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from kneecoach.storage.accounts import WebSession
from kneecoach.web.context import Checked, PostedForm, Runner, Web, Who


def add_routes(app: FastAPI, web: Web) -> None:
    def runs_page(
        request: Request, who: WebSession, report: Any = None, status: int = 200
    ) -> Response:
        from kneecoach.domain.activity import Sport

        kept = [a for a in web.runner(who).store.activities.all() if a.activity.sport is Sport.RUN]
        rows = [
            {
                "date": f"{a.activity.start:%a %d %b %Y}",
                "distance": f"{a.activity.distance_m / 1000:.2f} km",
                "time": f"{int(a.activity.moving_s // 60)} min",
                "hr": "—" if a.activity.avg_hr is None else f"{a.activity.avg_hr:.0f}",
            }
            for a in reversed(kept)
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
            status,
            title="Runs",
            rows=rows,
            report=text,
            failed=failed,
            **web.base(who),
        )

    @app.get("/runs", response_class=HTMLResponse)
    def runs(request: Request, who: Who) -> Response:
        return runs_page(request, who)

    @app.post("/runs/import")
    def runs_import(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        import shutil
        import tempfile

        from kneecoach.services.runs import import_paths

        uploads = [f for f in form.getlist("files") if hasattr(f, "filename") and f.filename]
        if not uploads:
            return runs_page(request, who, status=400)
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
        return runs_page(request, who, report)

    @app.get("/load", response_class=HTMLResponse)
    def load_page(request: Request, who: Who, runner: Runner) -> Response:
        import math

        from kneecoach.domain.load import ACWR_CAVEAT_TEXT
        from kneecoach.services.runs import load_report
        from kneecoach.web.charts import line_chart

        report = load_report(runner)
        if report is None:
            return web.page.render(request, "load.html", title="Load", chart=None, **web.base(who))
        weeks = report.weeks[-16:]
        chart = line_chart(
            "Weekly running distance (km)",
            [w.monday for w in weeks],
            {"km": [round(w.load, 1) for w in weeks]},
            max(1.0, max(w.load for w in weeks) * 1.1),
        )
        days = report.days[-56:]
        ratios = [None if math.isnan(v) else round(float(v), 2) for v in report.acwr_rolling[-56:]]
        ratio_chart = line_chart(
            "Acute:chronic ratio, last 8 weeks (band 0.8-1.3)",
            days,
            {"ratio": ratios},
            2.0,
            (0.8, 1.3, "0.8-1.3"),
        )
        recent = [w for w in report.warnings if (report.days[-1] - w.day).days <= 28]
        return web.page.render(
            request,
            "load.html",
            title="Load",
            chart=chart,
            ratio_chart=ratio_chart,
            caveat=ACWR_CAVEAT_TEXT,
            warnings=recent,
            **web.base(who),
        )
