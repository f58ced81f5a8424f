"""Return to running in the browser: the entry check, then the graded stages, each run
judged by the next morning's check-in — the same service as ``kneecoach return-to-run``."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.domain.errors import InvalidInput
from kneecoach.presenters import ATTEMPT_VERDICTS, stage_state
from kneecoach.services.ports import Conflict
from kneecoach.web.context import Checked, PostedForm, Runner, Web, Who, whole


def add_routes(app: FastAPI, web: Web) -> None:
    @app.get("/return-to-run", response_class=HTMLResponse)
    def return_to_run_page(request: Request, who: Who, runner: Runner) -> Response:
        from kneecoach.services import return_to_run as service
        from kneecoach.services.steprate import step_rate_view

        return web.page.render(
            request,
            "return_to_run.html",
            title="Return to running",
            step_rate=step_rate_view(runner),
            **view(
                service.status(runner),
                service.attempts(runner),
                web.clock.today(),
                runner.preferences.units,
            ),
            **web.base(who),
        )

    @app.post("/return-to-run/check")
    def entry_check(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        from kneecoach.domain.return_to_run import EntryCheck
        from kneecoach.services import return_to_run as service

        try:
            check = EntryCheck(
                web.clock.today(),
                form.get("walk") == "yes",
                whole(form.get("squats"), "single-leg squats"),
                whole(form.get("hops"), "single-leg hops"),
                whole(form.get("test_pain"), "pain during the tests"),
            )
            service.record_check(runner, check)
        except (InvalidInput, Conflict) as error:
            return web.refused(request, who, "Not saved", error, "/return-to-run")
        return RedirectResponse("/return-to-run", 303)

    @app.post("/return-to-run/run")
    def log_run(request: Request, who: Checked, runner: Runner) -> Response:
        from kneecoach.services import return_to_run as service

        try:
            service.log_run(runner)
        except (InvalidInput, Conflict) as error:
            return web.refused(request, who, "Not logged", error, "/return-to-run")
        return RedirectResponse("/return-to-run", 303)


def view(now: Any, attempts: Any, today: Any, units: str = "km") -> dict[str, Any]:
    from kneecoach.domain.return_to_run import STAGES

    return {
        "started": now.stage is not None,
        "paused": now.paused,
        "refusal": now.refusal,
        "notes": list(now.notes),
        "finished": now.finished,
        "message": now.message,
        "sources": "; ".join(s.citation for s in now.sources),
        "next_run": (
            None
            if now.next_run_on is None or now.finished
            else ("today" if now.next_run_on <= today else f"{now.next_run_on:%A %d %B}")
        ),
        "can_run_today": bool(now.can_run and now.next_run_on and now.next_run_on <= today),
        "stages": [
            {
                "number": s.number,
                "state": stage_state(now, s.number),
                "how": (
                    "continuous"
                    if s.walk_minutes is None
                    else f"walk {s.walk_minutes} min / run {s.run_minutes} min"
                ),
                "distance": s.distance_in(units),
                "effort": f"{s.effort}/10",
            }
            for s in STAGES
        ],
        "attempts": [
            {
                "day": f"{a.day:%a %d %b}",
                "stage": a.stage,
                "source": a.source,
                "verdict": ATTEMPT_VERDICTS[a.tolerated],
                "flag": a.flag,
            }
            for a in attempts[-8:]
        ],
    }
