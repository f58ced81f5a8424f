"""The weekly review in the browser: the red-flag screen first, then the week summed up
with the decisions' reasons and sources — the same service as ``kneecoach review``."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from kneecoach.domain.redflags import RED_FLAGS
from kneecoach.web.context import Checked, PostedForm, Runner, Web, Who

UNANSWERED = ValueError(
    "the red-flag questions are not answered: tick each sign you have now, or "
    "'None of these apply to me' (an empty screen is never taken as a no)"
)


def add_routes(app: FastAPI, web: Web) -> None:
    @app.get("/review", response_class=HTMLResponse)
    def review_form(request: Request, who: Who) -> Response:
        return web.page.render(
            request, "review.html", title="Weekly review", red_flags=RED_FLAGS, **web.base(who)
        )

    @app.post("/review", response_class=HTMLResponse)
    def review(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        from kneecoach.presenters import pain_trend, plan_line
        from kneecoach.services.onboarding import answers_from_screen
        from kneecoach.services.review import screen_and_review

        ticked = [str(v) for v in form.getlist("red_flag")]
        none_of_these = form.get("no_red_flags") == "1"
        if not ticked and not none_of_these:
            return web.refused(request, who, "Not reviewed", UNANSWERED, "/review")
        try:
            answers = answers_from_screen(ticked, none_of_these)
        except ValueError as error:
            return web.refused(request, who, "Not reviewed", error, "/review")
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
