"""Back in the race in the browser: the race goal, the knee-gated plan week by week with
what was done, and the runs of the plan told about — the service of ``kneecoach race``."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import datetime as dt

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.ports import Conflict
from kneecoach.web.context import Checked, PostedForm, Runner, Web, Who, whole


def race_day(text: object, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise InvalidInput(f"{what} must be a date, YYYY-MM-DD") from None


def _km(text: object) -> float | None:
    given = str(text or "").strip().replace(",", ".")
    if not given:
        return None
    try:
        value = float(given)
    except ValueError:
        raise InvalidInput("the run's distance must be a number of km") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInput("the run's distance must be a number of km")
    return value


def add_routes(app: FastAPI, web: Web) -> None:
    @app.get("/race", response_class=HTMLResponse)
    def race_page(request: Request, who: Who, runner: Runner) -> Response:
        from kneecoach.services import race
        from kneecoach.services.steprate import step_rate_view

        return web.page.render(
            request,
            "race.html",
            title="Race",
            view=race.plan(runner),
            run=race.run_today(runner),
            step_rate=step_rate_view(runner),
            today=web.clock.today(),
            week_length=dt.timedelta(weeks=1),
            day_length=dt.timedelta(days=1),
            **web.base(who),
        )

    @app.post("/race/goal")
    def set_goal(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        from kneecoach.domain.race import parse_distance, parse_target
        from kneecoach.services import race

        try:
            day = race_day(form.get("date"), "the race day")
            metres = parse_distance(str(form.get("distance") or ""))
            target_text = str(form.get("target") or "").strip()
            target = parse_target(target_text) if target_text else None
            race.set_goal(runner, day, metres, target)
        except (InvalidInput, Conflict) as error:
            return web.refused(request, who, "Not saved", error, "/race")
        return RedirectResponse("/race", 303)

    @app.post("/race/clear")
    def clear_goal(request: Request, who: Checked, runner: Runner) -> Response:
        from kneecoach.services import race

        try:
            race.clear_goal(runner)
        except Conflict as error:
            return web.refused(request, who, "Not cleared", error, "/race")
        return RedirectResponse("/race", 303)

    @app.post("/race/run")
    def tell_run(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        from kneecoach.services import race

        try:
            pain = whole(form.get("pain"), "the pain during the run")
            when = str(form.get("date") or "").strip()
            day = race_day(when, "the run's day") if when else None
            race.tell_run(runner, pain, day, _km(form.get("km")))
        except (InvalidInput, Conflict) as error:
            return web.refused(request, who, "Not saved", error, "/race")
        return RedirectResponse("/race", 303)
