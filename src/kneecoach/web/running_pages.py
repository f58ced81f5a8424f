"""Runs: upload (files or export zips), the list, and the training load — each page formats
the view the runs service builds, in the runner's units."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import io
from pathlib import PureWindowsPath
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import WebSession
from kneecoach.web.context import Checked, PostedForm, Runner, Web, Who

if TYPE_CHECKING:
    from kneecoach.services.runs import ImportReport, LoadView, NamedSource, RunView


def named_upload(number: int, upload: UploadFile) -> "NamedSource":
    """An uploaded file under the name it was sent with (its own name, never a path on this
    server), read from where the server spooled it."""
    from kneecoach.services.runs import NamedSource

    def opened() -> BinaryIO:
        upload.file.seek(0)
        return cast(BinaryIO, _Unclosed(upload.file))

    name = PureWindowsPath(str(upload.filename or "")).name  # a browser's C:\\… path too
    return NamedSource(name or f"upload-{number}", opened)


class _Unclosed(io.BufferedIOBase):
    """The upload's own file, which the import may close when done: the server closes it."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return bytes(self.inner.read(-1 if size is None else size))

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        return int(self.inner.seek(offset, whence))

    def tell(self) -> int:
        return int(self.inner.tell())


def add_routes(app: FastAPI, web: Web) -> None:
    def runs_page(
        request: Request,
        who: WebSession,
        runner: RunnerContext,
        report: "ImportReport | None" = None,
        error: str | None = None,
    ) -> Response:
        from kneecoach.presenters import clock_text, import_report_text
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
        text = failed = None
        if report is not None:
            text = import_report_text(report)
            failed = report.failed[:20]
        return web.page.render(
            request,
            "runs.html",
            400 if error else 200,
            title="Runs",
            rows=rows,
            others=others,
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
        from kneecoach.services.runs import import_sources

        uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        if not uploads:
            return runs_page(request, who, runner, error="Choose at least one file to import.")
        report = import_sources(runner, [named_upload(n, u) for n, u in enumerate(uploads, 1)])
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
