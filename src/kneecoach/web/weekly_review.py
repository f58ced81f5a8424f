"""The weekly review in the browser: the red-flag screen first, then the week summed up
with the decisions' reasons and sources — the same service as ``kneecoach review``."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from kneecoach import definitions
from kneecoach.domain.evidence import CROSSLEY_2004, SILBERNAGEL_2007
from kneecoach.domain.redflags import RED_FLAGS
from kneecoach.presenters import pain_trend, plan_line
from kneecoach.web.context import Checked, PostedForm, Runner, Web, Who


def add_routes(app: FastAPI, web: Web) -> None:
    @app.get("/review", response_class=HTMLResponse)
    def review_form(request: Request, who: Who) -> Response:
        return web.page.render(
            request, "review.html", title="Weekly review", red_flags=RED_FLAGS, **web.base(who)
        )

    @app.post("/review", response_class=HTMLResponse)
    def review(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        from kneecoach.services.review import weekly_review

        ticked = {str(v) for v in form.getlist("red_flag")}
        unknown = ticked - {f.key for f in RED_FLAGS}
        if unknown:
            return web.refused(
                request, who, "Not reviewed", ValueError("unknown red flag"), "/review"
            )
        answers = {flag.key: flag.key in ticked for flag in RED_FLAGS}
        result = weekly_review(runner, answers)
        return web.page.render(
            request, "review.html", title="Weekly review", review=summary(result), **web.base(who)
        )


def summary(r: Any) -> dict[str, Any]:
    """The review as lines to show, each with its source where it advises."""
    a = r.adherence
    names = {e.key: e.name for e in definitions.catalogue()}
    return {
        "period": f"{r.first:%d %b} to {r.last:%d %b %Y}",
        "sessions": (
            f"{a.sessions_done} of {a.sessions_planned} planned sessions; "
            f"{a.sets_done} of {a.sets_planned} sets"
            if a.sessions_planned
            else "no sessions were planned this week"
        ),
        "pain_during": pain_trend(r.pain_during, r.pain_during_before),
        "morning": pain_trend(r.morning, r.morning_before),
        "morning_source": SILBERNAGEL_2007.label,
        "akps": (
            None
            if r.akps_latest is None
            else f"{r.akps_latest.score}/100"
            + (f" — {r.akps_change.explain()}" if r.akps_change else "")
        ),
        "akps_source": CROSSLEY_2004.label,
        "akps_due": r.akps_due_on <= r.last,
        "decisions": [
            {
                "day": f"{d.decided_on:%a %d %b}",
                "exercise": names.get(d.exercise, d.exercise),
                "action": d.action.value,
                "why": d.why,
                "sources": "; ".join(s.label for s in d.sources),
            }
            for d in r.decisions
        ],
        "paused": None if r.screening.clear else r.screening.advice,
        "next_days": ", ".join(f"{d:%a %d %b}" for d in r.next_sessions),
        "next_plan": [plan_line(item) for item in (r.next_plan.exercises if r.next_plan else [])],
    }
