"""The weekly review in the browser: the red-flag screen first, then the week summed up
with the decisions' reasons and sources — the same service as ``kneecoach review``."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from kneecoach.domain.redflags import RED_FLAGS
from kneecoach.web.context import Checked, PostedForm, Runner, Web, Who


def add_routes(app: FastAPI, web: Web) -> None:
    @app.get("/review", response_class=HTMLResponse)
    def review_form(request: Request, who: Who) -> Response:
        return web.page.render(
            request, "review.html", title="Weekly review", red_flags=RED_FLAGS, **web.base(who)
        )

    @app.post("/review", response_class=HTMLResponse)
    def review(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        from kneecoach.presenters import pain_trend, plan_line
        from kneecoach.services.review import screen_and_review

        ticked = {str(v) for v in form.getlist("red_flag")}
        unknown = ticked - {f.key for f in RED_FLAGS}
        if unknown:
            return web.refused(
                request, who, "Not reviewed", ValueError("unknown red flag"), "/review"
            )
        answers = {flag.key: flag.key in ticked for flag in RED_FLAGS}
        view = screen_and_review(runner, answers)
        return web.page.render(
            request,
            "review.html",
            title="Weekly review",
            review=view,
            pain_during=pain_trend(view.pain_during),
            morning=pain_trend(view.morning),
            next_plan=[plan_line(item) for item in view.next_plan],
            **web.base(who),
        )
