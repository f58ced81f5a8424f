"""A runner's day: onboarding, Today (kept rendered per data revision), logging, the morning
check-in, history, progress and the AKPS."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.

import datetime as dt

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.redflags import AGE_BAND_KEYS, RED_FLAGS, AgeBand
from kneecoach.services.ports import Conflict, WebSession
from kneecoach.web.context import (
    Checked,
    PostedForm,
    Runner,
    Web,
    Who,
    adherence_sentence,
    history_rows,
    whole,
)
from kneecoach.web.progress_charts import progress_charts


def add_routes(app: FastAPI, web: Web) -> None:
    def form_page(
        request: Request,
        who: WebSession,
        status: int = 200,
        error: str | None = None,
        form: PostedForm | None = None,
    ) -> Response:
        """The onboarding form; shown again after a refusal with the answers given kept."""
        has_profile = web.runner(who).has_profile()
        return web.page.render(
            request,
            "onboarding.html",
            status,
            title="Set up",
            error=error,
            has_profile=has_profile,
            equipment=[(e.value, e.label.capitalize()) for e in Equipment],
            red_flags=RED_FLAGS,
            age_bands=AGE_BAND_KEYS,
            kept=None if form is None else _kept_answers(form),
            **web.base(who),
        )

    @app.get("/onboarding", response_class=HTMLResponse)
    def onboarding_form(request: Request, who: Who) -> Response:
        return form_page(request, who)

    @app.post("/onboarding")
    def onboarding(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        from kneecoach.domain.profile import Knee, Profile
        from kneecoach.services import onboarding as service

        if runner.has_profile() and form.get("replace") != "yes":
            return form_page(
                request,
                who,
                409,
                "You have a profile already: tick “Replace my profile” to set up again.",
            )
        try:
            profile = Profile(
                affected_knee=Knee(str(form.get("knee", "both"))),
                pain_at_rest=whole(form.get("pain_rest"), "pain at rest"),
                pain_running=whole(form.get("pain_running"), "pain when running"),
                equipment=frozenset(Equipment(str(e)) for e in form.getlist("equipment")),
                sessions_per_week=whole(form.get("sessions_per_week"), "sessions a week"),
                start_date=web.clock.today(),
            )
            answers, age = screen_answers(form)
            if (answers is None) != (age is None):
                # half a screen would be kept as none: the runner is told what is missing
                raise InvalidInput(
                    "choose your age band too: the red-flag screen needs both, your answers "
                    "and your age band"
                    if age is None
                    else "answer the red-flag questions too (tick the signs that apply, or "
                    "'None of these apply to me'): the screen needs both"
                )
            service.onboard(runner, profile, answers, age)
        except (InvalidInput, ValueError) as error:
            return form_page(request, who, 400, str(error), form)
        except Conflict as error:
            return form_page(request, who, 409, str(error), form)
        return RedirectResponse("/today", 303)

    @app.get("/screen", response_class=HTMLResponse)
    def screen_form(request: Request, who: Who, runner: Runner) -> Response:
        from kneecoach.services.onboarding import screening_view

        return web.page.render(
            request,
            "screen.html",
            title="Red-flag screen",
            screening=screening_view(runner),
            red_flags=RED_FLAGS,
            age_bands=AGE_BAND_KEYS,
            **web.base(who),
        )

    @app.post("/screen")
    def screen(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        from kneecoach.services import onboarding as service

        try:
            answers, age = screen_answers(form)
            if answers is None:
                raise InvalidInput("tick the signs that apply, or 'None of these apply to me'")
            seen = parse_day(form.get("seen_clinician_on"), "the day a clinician saw you")
            service.rescreen(runner, answers, age, seen)
        except (InvalidInput, Conflict) as error:
            return web.refused(request, who, "Screen not changed", error, "/screen")
        return RedirectResponse("/today", 303)

    @app.get("/today", response_class=HTMLResponse)
    def today_page(request: Request, who: Who, runner: Runner) -> Response:
        from kneecoach.domain.planning import Paused, RestDay, SessionPlan
        from kneecoach.services.today import today_view

        key = ("today", who.user_id, who.revision, web.clock.today(), who.csrf, who.role)
        kept = web.kept.get(key)
        if kept is not None:
            return HTMLResponse(kept)
        view = today_view(runner)
        plan = view.plan
        context = web.base(who, title="Today", view=view)
        if isinstance(plan, Paused):
            from kneecoach.services.onboarding import screening_view

            context.update(
                paused=plan.screening,
                screening=screening_view(runner),
                red_flags=RED_FLAGS,
                age_bands=AGE_BAND_KEYS,
            )
        elif isinstance(plan, RestDay):
            context.update(rest=f"Rest day. Next session: {plan.next_session:%A %d %B}.")
        elif isinstance(plan, SessionPlan):
            context.update(
                heading=f"{plan.date:%A %d %B} · week {plan.week} of {plan.weeks}", plan=plan
            )
        else:
            context.update(rest=f"Your program starts on {plan.start_date:%A %d %B}.")
        response = web.page.render(request, "today.html", **context)
        web.kept.keep(key, bytes(response.body))
        return response

    @app.post("/log")
    def log_today(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        from kneecoach.services import journal
        from kneecoach.services.today import session_for

        try:
            day = web.clock.today()
            done = journal.planned_as_done(session_for(runner, day))
            journal.record_session(
                runner,
                day,
                done,
                whole(form.get("pain"), "pain"),
                effort=whole(form.get("effort"), "effort") if form.get("effort") else None,
            )
        except (InvalidInput, Conflict) as error:
            return web.refused(request, who, "Not logged", error, "/today", "Back to today")
        return RedirectResponse("/today", 303)

    @app.get("/checkin", response_class=HTMLResponse)
    def checkin_form(request: Request, who: Who) -> Response:
        return web.page.render(request, "checkin.html", title="Check-in", **web.base(who))

    @app.post("/checkin")
    def checkin(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        from kneecoach.services.journal import record_checkin

        try:
            kept, _ = record_checkin(
                runner,
                whole(form.get("pain"), "pain"),
                swelling=form.get("swelling") == "1",
            )
        except InvalidInput as error:
            return web.page.render(
                request, "checkin.html", 400, title="Check-in", error=str(error), **web.base(who)
            )
        from kneecoach.services.onboarding import screening_view

        lines = [f"Morning pain {kept.pain_morning}/10 kept for {kept.date:%A %d %B}."]
        screening = screening_view(runner)
        if screening.status == "paused":
            lines.append(f"{screening.advice.text} [{screening.advice.labels}]")
        return web.page.render(
            request,
            "message.html",
            title="Saved",
            heading="Saved",
            lines=lines,
            link=("/today", "Back to today"),
            **web.base(who),
        )

    @app.get("/history", response_class=HTMLResponse)
    def history_page(request: Request, who: Who, runner: Runner) -> Response:
        from kneecoach.services.history import history

        report = history(runner)
        a = report.adherence
        rows = history_rows(report)
        adherence = adherence_sentence(a)
        return web.page.render(
            request,
            "history.html",
            title="History",
            rows=rows,
            adherence=adherence,
            checkins=tuple(reversed(report.checkins)),
            **web.base(who),
        )

    @app.get("/progress", response_class=HTMLResponse)
    def progress_page(request: Request, who: Who, runner: Runner) -> Response:
        return _progress(request, who, runner, note="")

    def _progress(request: Request, who: Who, runner: Runner, note: str) -> Response:
        """The progress page; a note only ever comes from the server's own answer, never
        from the address."""
        from kneecoach.services.pose import fppa_history
        from kneecoach.services.progress import progress

        view = progress(runner)
        charts = progress_charts(view, fppa_history(runner))
        context = web.base(who, title="Progress", view=view, note=note, **charts)
        return web.page.render(request, "progress.html", **context)

    @app.post("/progress/undo", response_class=HTMLResponse)
    def progress_undo(request: Request, who: Checked, runner: Runner) -> Response:
        from kneecoach.presenters import undo_note
        from kneecoach.services import adaptation

        return _progress(request, who, runner, note=undo_note(adaptation.undo(runner)))

    @app.get("/learn", response_class=HTMLResponse)
    def learn_page(request: Request, who: Who) -> Response:
        from kneecoach.services.education import learn

        return web.page.render(request, "learn.html", title="Learn", learn=learn(), **web.base(who))

    @app.get("/akps", response_class=HTMLResponse)
    def akps_form(request: Request, who: Who, runner: Runner) -> Response:
        from kneecoach.services.outcomes import akps_history, akps_questions

        return web.page.render(
            request,
            "akps.html",
            title="AKPS",
            items=akps_questions(),
            akps=akps_history(runner),
            **web.base(who),
        )

    @app.post("/akps")
    def akps_score(request: Request, who: Checked, runner: Runner, form: PostedForm) -> Response:
        from kneecoach.services.outcomes import akps_history, akps_questions, record_akps

        items = akps_questions()
        try:
            answers = [
                whole(form.get(f"item{item.number}"), f"item {item.number}") for item in items
            ]
            recorded = record_akps(runner, answers)
        except InvalidInput as error:
            return web.page.render(
                request,
                "akps.html",
                400,
                title="AKPS",
                items=items,
                akps=akps_history(runner),
                error=str(error),
                **web.base(who),
            )
        akps = recorded.history
        lines = [f"Your AKPS today: {recorded.score}/{akps.score_max}."]
        if recorded.replaced_note is not None:
            lines.append(recorded.replaced_note)
        lines.append(f"{akps.guidance.text} [{akps.guidance.labels}]")
        if akps.referral is not None:
            lines.append(f"{akps.referral.text} [{akps.referral.labels}]")
        lines.append(f"The next one is due on {akps.due_on:%A %d %B}.")
        return web.page.render(
            request,
            "message.html",
            title="AKPS",
            heading="AKPS scored",
            lines=lines,
            link=("/progress", "See your progress"),
            **web.base(who),
        )


def parse_day(value: object, what: str) -> dt.date | None:
    """A date typed into a form (YYYY-MM-DD); empty is none."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what} must be a date (YYYY-MM-DD), not '{text}'") from None


def _kept_answers(form: PostedForm) -> dict[str, object]:
    """The onboarding answers as posted, to fill the form in again (text, never judged)."""
    return {
        "knee": str(form.get("knee") or ""),
        "pain_rest": str(form.get("pain_rest") or "")[:10],
        "pain_running": str(form.get("pain_running") or "")[:10],
        "equipment": [str(e) for e in form.getlist("equipment")],
        "sessions_per_week": str(form.get("sessions_per_week") or "")[:10],
        "red_flags": [str(f) for f in form.getlist("red_flag")],
        "no_red_flags": form.get("no_red_flags") == "1",
        "age_band": str(form.get("age_band") or ""),
        "replace": form.get("replace") == "yes",
    }


def screen_answers(form: PostedForm) -> tuple[dict[str, bool] | None, AgeBand | None]:
    """The screen as a form answers it: the flags ticked, or 'none of these' (neither: not
    answered), and the age band chosen (None when left empty)."""
    from kneecoach.domain.redflags import age_band
    from kneecoach.services.onboarding import answers_from_screen

    ticked = [str(f) for f in form.getlist("red_flag")]
    none = form.get("no_red_flags") == "1"
    answers = answers_from_screen(ticked, none) if ticked or none else None
    band = str(form.get("age_band") or "").strip()
    return answers, (age_band(band) if band else None)
