"""``create_app(settings)``: the web app, built by a factory (nothing at import time).

Small routes over the same services as the command line. Every page needs a logged-in
account except the first-run setup and the login; every form that changes something
carries the session's CSRF token; session cookies are HttpOnly, SameSite=Lax, and Secure
when the request came over TLS.
"""

from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from kneecoach import DISCLAIMER, definitions
from kneecoach.config import Settings
from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.redflags import RED_FLAGS
from kneecoach.services.accounts import (
    CLINICIAN_ROLES,
    Accounts,
    NotAllowed,
    hash_token,
    invite,
    join,
    new_api_token,
    runner_for,
)
from kneecoach.services.context import Coach, NotSetUp
from kneecoach.services.ports import Conflict, SystemClock
from kneecoach.storage.accounts import AccountStore, WebSession
from kneecoach.storage.database import open_database
from kneecoach.storage.sql import SqlRepository
from kneecoach.web import clinic_dashboard, return_to_run, weekly_review
from kneecoach.web.api import create_api
from kneecoach.web.context import Web, whole
from kneecoach.web.kept_pages import KeptPages
from kneecoach.web.progress_charts import progress_charts

COOKIE = "kc_session"
SERVER_OPTIONS = {"loop": "asyncio", "http": "httptools"}
"""How uvicorn runs the app (kneecoach serve, the benchmark, the README's deployment).

httptools parses HTTP far faster than the pure-Python parser; the standard asyncio loop
is kept because uvloop, under 200 busy clients, left some waiting seconds (p99 ~3 s
against ~0.16 s with asyncio in the same benchmark run)."""
HERE = Path(__file__).parent


class Page:
    """What every page knows: the templates and who is looking."""

    def __init__(self, templates: Jinja2Templates) -> None:
        self.templates = templates

    def render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        context.setdefault("title", "kneecoach")
        context.setdefault("disclaimer", DISCLAIMER)
        return self.templates.TemplateResponse(request, template, context, status_code=status)


def create_app(settings: Settings) -> FastAPI:
    engine = open_database(settings.database_url)
    repository = SqlRepository(engine)
    accounts = Accounts(AccountStore(engine))
    clock = SystemClock()
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.auto_reload = settings.debug  # no file checks per page in production
    page = Page(templates)
    today_pages = KeptPages()
    app = FastAPI(title="kneecoach", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.mount("/api/v1", create_api(repository, accounts, clock))

    def session(request: Request) -> WebSession | None:
        return accounts.session(request.cookies.get(COOKIE), clock.now())

    async def signed_in(request: Request) -> WebSession:
        # async: one short indexed query costs less on the event loop than a thread hop
        found = session(request)
        if found is None:
            raise HTTPException(status_code=303, headers={"Location": "/login"})
        return found

    async def checked(
        request: Request, who: Annotated[WebSession, Depends(signed_in)]
    ) -> WebSession:
        form = await request.form()
        if form.get("csrf") != who.csrf:
            raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
        return who

    Who = Annotated[WebSession, Depends(signed_in)]
    Checked = Annotated[WebSession, Depends(checked)]
    web = Web(page, repository, accounts, clock, Who, Checked)
    weekly_review.add_routes(app, web)
    return_to_run.add_routes(app, web)

    coach_for, base = web.coach, web.base

    def history_rows(report: Any) -> list[dict[str, str]]:
        return [
            {
                "date": f"{s.session.performed_on:%a %d %b}",
                "sets": f"{s.sets_done}/{s.sets_planned}",
                "during": f"{s.session.pain_during}/10",
                "morning": "—" if s.morning_pain is None else f"{s.morning_pain}/10",
            }
            for s in report.sessions
        ]

    @app.get("/")
    def home(request: Request) -> Response:
        if accounts.needs_owner():
            return RedirectResponse("/setup", 303)
        who = session(request)
        if who is None:
            return RedirectResponse("/login", 303)
        if repository.profile(who.user_id) is None:
            return RedirectResponse("/onboarding", 303)
        return RedirectResponse("/today", 303)

    @app.get("/setup", response_class=HTMLResponse)
    def setup_form(request: Request) -> Response:
        if not accounts.needs_owner():
            return RedirectResponse("/login", 303)
        return page.render(request, "setup.html", title="Welcome")

    @app.post("/setup")
    def setup(
        request: Request, name: Annotated[str, Form()], password: Annotated[str, Form()]
    ) -> Response:
        try:
            accounts.create_owner(name, password, clock.now())
        except InvalidInput as error:
            return page.render(request, "setup.html", 400, title="Welcome", error=str(error))
        return _log_in(request, name, password)

    def _log_in(request: Request, name: str, password: str) -> Response:
        try:
            token, who = accounts.log_in(name, password, clock.now())
        except InvalidInput as error:
            return page.render(
                request, "login.html", 401, title="Log in", error=str(error), name=name
            )
        response = RedirectResponse("/", 303)
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            max_age=int((who.expires_at - clock.now()).total_seconds()),
        )
        return response

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> Response:
        if accounts.needs_owner():
            return RedirectResponse("/setup", 303)
        return page.render(request, "login.html", title="Log in")

    @app.post("/login")
    def login(
        request: Request, name: Annotated[str, Form()], password: Annotated[str, Form()]
    ) -> Response:
        return _log_in(request, name, password)

    @app.post("/logout")
    def logout(request: Request, who: Checked) -> Response:
        accounts.log_out(request.cookies.get(COOKIE))
        response = RedirectResponse("/login", 303)
        response.delete_cookie(COOKIE)
        return response

    @app.get("/onboarding", response_class=HTMLResponse)
    def onboarding_form(request: Request, who: Who) -> Response:
        return page.render(
            request,
            "onboarding.html",
            title="Set up",
            equipment=[(e.value, e.label.capitalize()) for e in Equipment],
            red_flags=RED_FLAGS,
            **base(who),
        )

    @app.post("/onboarding")
    async def onboarding(request: Request, who: Checked) -> Response:
        from kneecoach.domain.profile import Knee, Profile
        from kneecoach.services import onboarding as service

        form = await request.form()
        try:
            profile = Profile(
                affected_knee=Knee(str(form.get("knee", "both"))),
                pain_at_rest=whole(form.get("pain_rest"), "pain at rest"),
                pain_running=whole(form.get("pain_running"), "pain when running"),
                equipment=frozenset(Equipment(str(e)) for e in form.getlist("equipment")),
                sessions_per_week=whole(form.get("sessions_per_week"), "sessions a week"),
                start_date=clock.today(),
            )
            service.onboard(
                coach_for(who),
                profile,
                service.answers_from_flags([str(f) for f in form.getlist("red_flag")]),
            )
        except (InvalidInput, ValueError) as error:
            return page.render(
                request,
                "onboarding.html",
                400,
                title="Set up",
                error=str(error),
                equipment=[(e.value, e.label.capitalize()) for e in Equipment],
                red_flags=RED_FLAGS,
                **base(who),
            )
        return RedirectResponse("/today", 303)

    @app.get("/today", response_class=HTMLResponse)
    async def today_page(request: Request, who: Who) -> Response:
        from kneecoach.domain.planning import Paused, RestDay, SessionPlan
        from kneecoach.services.return_to_run import run_due
        from kneecoach.services.today import akps_due_on, plan_for

        key = ("today", who.user_id, who.revision, clock.today(), who.csrf, who.role)
        kept = today_pages.get(key)
        if kept is not None:
            return HTMLResponse(kept)
        coach = coach_for(who)
        try:
            stored = coach.stored_profile()
        except NotSetUp:
            return RedirectResponse("/onboarding", 303)
        plan = plan_for(coach)
        today = clock.today()
        knee = stored.profile.affected_knee.value
        context = base(
            who,
            title="Today",
            run=None if isinstance(plan, Paused) else run_due(coach, today),
            akps_due=akps_due_on(coach, settings.akps_every_days) <= today,
        )
        if isinstance(plan, Paused):
            context.update(
                paused=plan.screening.advice, paused_source=plan.screening.source.short()
            )
        elif isinstance(plan, RestDay):
            context.update(rest=f"Rest day. Next session: {plan.next_session:%A %d %B}.")
        elif isinstance(plan, SessionPlan):
            logged = repository.sessions(who.user_id, plan.date, plan.date)
            context.update(
                heading=f"{plan.date:%A %d %B} · week {plan.week} of {plan.weeks}",
                course_note=plan.course_note.text,
                items=plan.exercises,
                figure_side="left" if knee == "both" else knee,
                logged=(
                    f"{len(logged[0].sets)} sets, pain {logged[0].pain_during}/10"
                    if logged
                    else None
                ),
            )
        else:
            context.update(rest=f"Your program starts on {plan.start_date:%A %d %B}.")
        response = page.render(request, "today.html", **context)
        today_pages.keep(key, bytes(response.body))
        return response

    @app.post("/log")
    async def log_today(request: Request, who: Checked) -> Response:
        from kneecoach.services import journal
        from kneecoach.services.today import session_for

        form = await request.form()
        coach = coach_for(who)
        try:
            day = clock.today()
            done = journal.planned_as_done(session_for(coach, day))
            journal.record_session(
                coach,
                day,
                done,
                whole(form.get("pain"), "pain"),
                effort=whole(form.get("effort"), "effort") if form.get("effort") else None,
            )
        except (InvalidInput, Conflict) as error:
            return page.render(
                request,
                "message.html",
                400,
                title="Not logged",
                heading="Not logged",
                lines=[str(error)],
                link=("/today", "Back to today"),
                **base(who),
            )
        return RedirectResponse("/today", 303)

    @app.get("/session", response_class=HTMLResponse)
    def session_page(request: Request, who: Who, speed: float = 1.0) -> Response:
        """The guided session in the browser. ``speed`` (1 to 1000) runs the clock faster,
        for a demonstration or a test."""
        from kneecoach.domain.journal import LoggedSet
        from kneecoach.domain.timeline import SetRef, build_timeline
        from kneecoach.services import guided
        from kneecoach.services.today import session_for

        if repository.profile(who.user_id) is None:
            return RedirectResponse("/onboarding", 303)
        if not 0 < speed <= 1000:
            raise HTTPException(status_code=400, detail="speed must be above 0 and at most 1000")
        coach = coach_for(who)
        day = clock.today()
        stopped = guided.unfinished(coach)
        done: list[LoggedSet] = (
            list(stopped.sets) if stopped and stopped.performed_on == day else []
        )
        if not done and repository.sessions(who.user_id, day, day):
            return page.render(
                request,
                "message.html",
                title="Done",
                heading="Done for today",
                lines=["Today's session is logged already."],
                link=("/history", "See the history"),
                **base(who),
            )
        plan = session_for(coach, day)
        stored = coach.stored_profile().profile
        timeline = build_timeline(
            plan,
            stored.affected_knee,
            guided.options_for(coach),
            done={SetRef(s.exercise, s.side, s.set_number) for s in done},
        )
        cues = {item.exercise.key: item.exercise.cue for item in plan.exercises}
        holds = {
            item.exercise.key: item.dosage.hold_seconds
            for item in plan.exercises
            if not item.exercise.tempo and item.dosage.hold_seconds
        }

        def figure_url(exercise: str, variant: str, side: str) -> str:
            hold = f"&hold={holds[exercise]}" if exercise in holds else ""
            return (
                f"/exercises/{exercise}/figure.svg?variant={variant}&side={side}"
                f"&speed={speed:g}{hold}"
            )

        steps = [
            {
                "kind": s.kind.value,
                "start": s.start,
                "duration": s.duration,
                "exercise": s.exercise,
                "exercise_name": s.exercise_name,
                "variant": s.variant,
                "side": s.side.value,
                "set_number": s.set_number,
                "sets": s.sets,
                "rep": s.rep,
                "reps": s.reps,
                "phase": s.phase,
                "hold_seconds": s.hold_seconds,
                "load_kg": s.load_kg,
                "ends_set": s.ends_set,
                "cue": s.cue,
                "cue_line": cues.get(s.exercise, ""),
                "figure": figure_url(s.exercise, s.variant, s.side.value) if s.exercise else "",
            }
            for s in timeline.steps
        ]
        return page.render(
            request,
            "session.html",
            title="Session",
            timeline=steps,
            total=timeline.total_seconds,
            speed=speed,
            done=len(done),
            **base(who),
        )

    async def json_checked(request: Request, who: Who) -> WebSession:
        if request.headers.get("x-csrf-token") != who.csrf:
            raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
        return who

    JsonChecked = Annotated[WebSession, Depends(json_checked)]

    @app.post("/session/sets")
    async def session_set(request: Request, who: JsonChecked) -> dict[str, Any]:
        from kneecoach.domain.journal import LoggedSet, Side
        from kneecoach.services import guided

        data = await request.json()
        try:
            done = LoggedSet(
                exercise=definitions.catalogue().get(str(data["exercise"])).key,
                variant=str(data["variant"]),
                side=Side(str(data["side"])),
                set_number=int(data["set_number"]),
                reps=None if data.get("reps") is None else int(data["reps"]),
                hold_seconds=None
                if data.get("hold_seconds") is None
                else int(data["hold_seconds"]),
                load_kg=float(data.get("load_kg") or 0),
            )
            session_id = guided.keep_set(coach_for(who), clock.today(), done)
        except (KeyError, TypeError, ValueError, InvalidInput, Conflict) as error:
            raise HTTPException(status_code=400, detail=f"set not kept: {error}") from None
        return {"kept": True, "session": session_id}

    @app.post("/session/finish")
    async def session_finish(request: Request, who: Checked) -> Response:
        from kneecoach.services import guided

        form = await request.form()
        try:
            guided.finish_day(
                coach_for(who),
                clock.today(),
                whole(form.get("pain"), "pain"),
                whole(form.get("effort"), "effort") if form.get("effort") else None,
            )
        except (InvalidInput, Conflict) as error:
            return page.render(
                request,
                "message.html",
                400,
                title="Not logged",
                heading="Not logged",
                lines=[str(error)],
                link=("/session", "Back to the session"),
                **base(who),
            )
        return RedirectResponse("/today", 303)

    @app.get("/checkin", response_class=HTMLResponse)
    def checkin_form(request: Request, who: Who) -> Response:
        return page.render(request, "checkin.html", title="Check-in", **base(who))

    @app.post("/checkin")
    async def checkin(request: Request, who: Checked) -> Response:
        from kneecoach.services.journal import record_checkin

        form = await request.form()
        try:
            kept, _ = record_checkin(
                coach_for(who),
                whole(form.get("pain"), "pain"),
                swelling=form.get("swelling") == "1",
            )
        except InvalidInput as error:
            return page.render(
                request, "checkin.html", 400, title="Check-in", error=str(error), **base(who)
            )
        return page.render(
            request,
            "message.html",
            title="Saved",
            heading="Saved",
            lines=[f"Morning pain {kept.pain_morning}/10 kept for {kept.date:%A %d %B}."],
            link=("/today", "Back to today"),
            **base(who),
        )

    @app.get("/history", response_class=HTMLResponse)
    def history_page(request: Request, who: Who) -> Response:
        from kneecoach.services.history import history

        if repository.profile(who.user_id) is None:
            return RedirectResponse("/onboarding", 303)
        report = history(coach_for(who))
        a = report.adherence
        rows = [
            {
                "date": f"{s.session.performed_on:%a %d %b}",
                "sets": f"{s.sets_done}/{s.sets_planned}",
                "during": f"{s.session.pain_during}/10",
                "morning": "—" if s.morning_pain is None else f"{s.morning_pain}/10",
            }
            for s in report.sessions
        ]
        adherence = (
            f"{a.sessions_done} of {a.sessions_planned} planned sessions done."
            if a.sessions_planned
            else ""
        )
        return page.render(
            request, "history.html", title="History", rows=rows, adherence=adherence, **base(who)
        )

    @app.get("/clinic", response_class=HTMLResponse)
    def clinic(
        request: Request,
        who: Who,
        link: str | None = None,
        sort: str = clinic_dashboard.DEFAULT_SORT,
        order: str | None = None,
    ) -> Response:
        from kneecoach.services.clinic import summarise_runner

        if who.role not in CLINICIAN_ROLES:
            raise HTTPException(status_code=404, detail="not found")
        if sort not in clinic_dashboard.SORTS or order not in (None, "asc", "desc"):
            raise HTTPException(status_code=400, detail="unknown sort")
        summaries = [
            summarise_runner(repository, clock, runner_id, name)
            for runner_id, name in accounts.store.runners_of(who.user_id)
        ]
        rows = [
            clinic_dashboard.row_view(r)
            for r in clinic_dashboard.sorted_rows(summaries, sort, order)
        ]
        invitation = f"{request.base_url}invite/{link}" if link else None
        return page.render(
            request,
            "clinic.html",
            title="Clinic",
            rows=rows,
            columns=clinic_dashboard.columns(sort, order),
            link=invitation,
            **base(who),
        )

    @app.post("/clinic/invite")
    def create_invite(request: Request, who: Checked) -> Response:
        try:
            token = invite(accounts, who.user_id, clock.now())
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None
        return RedirectResponse(f"/clinic?link={token}", 303)

    @app.get("/invite/{token}", response_class=HTMLResponse)
    def join_form(request: Request, token: str) -> Response:
        if not accounts.store.invite_open(hash_token(token), clock.now()):
            return page.render(
                request,
                "message.html",
                404,
                title="Invitation",
                heading="This invitation is used, expired or unknown",
                lines=["Ask your clinician for a new link."],
            )
        return page.render(request, "join.html", title="Join", token=token)

    @app.post("/invite/{token}")
    def join_clinic(
        request: Request, token: str, name: Annotated[str, Form()], password: Annotated[str, Form()]
    ) -> Response:
        try:
            join(accounts, token, name, password, clock.now())
        except InvalidInput as error:
            return page.render(
                request, "join.html", 400, title="Join", token=token, error=str(error)
            )
        return _log_in(request, name, password)

    def runner_page(request: Request, who: WebSession, runner_id: int) -> Response:
        from kneecoach.services import adaptation
        from kneecoach.services.history import history

        try:
            runner_for(accounts, who.user_id, runner_id)
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None
        name = accounts.store.name_of(runner_id)
        context = base(
            who,
            title=name,
            runner=name,
            runner_id=runner_id,
            has_profile=repository.profile(runner_id) is not None,
        )
        if context["has_profile"]:
            coach = Coach(repository, clock, runner_id)
            report = history(coach)
            a = report.adherence
            context.update(
                **progress_charts(coach),
                rows=history_rows(report),
                levels=adaptation.status(coach),
                variants=sorted(
                    {(v.key, v.name) for e in definitions.catalogue() for v in e.variants}
                ),
                adherence=(
                    f"{a.sessions_done} of {a.sessions_planned} planned sessions done."
                    if a.sessions_planned
                    else "No sessions planned yet."
                ),
            )
        return page.render(request, "runner.html", **context)

    @app.post("/clinic/runners/{runner_id}/prescribe")
    async def runner_prescribe(request: Request, runner_id: int, who: Checked) -> Response:
        from kneecoach.domain.progression import Level
        from kneecoach.services import adaptation

        try:
            runner_for(accounts, who.user_id, runner_id)
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None
        form = await request.form()
        try:
            amount = whole(form.get("amount"), "reps or hold")
            exercise = definitions.catalogue().find(str(form.get("exercise")))
            hold = exercise.rep_seconds == 0
            level = Level(
                str(form.get("variant")),
                whole(form.get("sets"), "sets"),
                None if hold else amount,
                amount if hold else None,
                float(str(form.get("load") or 0)),
            )
            adaptation.prescribe(
                Coach(repository, clock, runner_id),
                exercise.key,
                level,
                str(form.get("note") or ""),
                form.get("pinned") == "1",
            )
        except (InvalidInput, ValueError) as error:
            return page.render(
                request,
                "message.html",
                400,
                title="Not prescribed",
                heading="Not prescribed",
                lines=[str(error)],
                link=(f"/clinic/runners/{runner_id}", "Back"),
                **base(who),
            )
        return RedirectResponse(f"/clinic/runners/{runner_id}", 303)

    @app.get("/clinic/runners/{runner_id}", response_class=HTMLResponse)
    def runner_detail(request: Request, runner_id: int, who: Who) -> Response:
        return runner_page(request, who, runner_id)

    @app.post("/clinic/runners/{runner_id}/pin")
    async def runner_pin(request: Request, runner_id: int, who: Checked) -> Response:
        from kneecoach.services import adaptation

        try:
            runner_for(accounts, who.user_id, runner_id)
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None
        form = await request.form()
        try:
            adaptation.pin(
                Coach(repository, clock, runner_id),
                str(form.get("exercise")),
                form.get("pinned") == "1",
            )
        except InvalidInput as error:
            raise HTTPException(status_code=400, detail=str(error)) from None
        return RedirectResponse(f"/clinic/runners/{runner_id}", 303)

    @app.get("/progress", response_class=HTMLResponse)
    def progress_page(request: Request, who: Who, note: str = "") -> Response:
        from kneecoach.services import adaptation

        if repository.profile(who.user_id) is None:
            return RedirectResponse("/onboarding", 303)
        coach = coach_for(who)
        adaptation.adapt(coach)
        return page.render(
            request,
            "progress.html",
            title="Progress",
            rows=adaptation.status(coach),
            note=note,
            **progress_charts(coach),
            **base(who),
        )

    @app.post("/progress/undo")
    def progress_undo(request: Request, who: Checked) -> Response:
        from urllib.parse import quote

        from kneecoach.services import adaptation

        undone = adaptation.undo(coach_for(who))
        note = (
            f"Undone: {undone.decision.action.value} of {undone.decision.exercise}; back to "
            f"{undone.decision.before.describe()}."
            if undone
            else "No decision to undo."
        )
        return RedirectResponse(f"/progress?note={quote(note)}", 303)

    @app.get("/akps", response_class=HTMLResponse)
    def akps_form(request: Request, who: Who) -> Response:
        from kneecoach.domain.outcomes import ITEMS

        return page.render(request, "akps.html", title="AKPS", items=ITEMS, **base(who))

    @app.post("/akps")
    async def akps_score(request: Request, who: Checked) -> Response:
        from kneecoach.domain.outcomes import ITEMS
        from kneecoach.services.outcomes import akps_history, record_akps

        form = await request.form()
        try:
            answers = [
                whole(form.get(f"item{item.number}"), f"item {item.number}") for item in ITEMS
            ]
            result = record_akps(coach_for(who), answers)
        except InvalidInput as error:
            return page.render(
                request, "akps.html", 400, title="AKPS", items=ITEMS, error=str(error), **base(who)
            )
        change = akps_history(coach_for(who)).change
        lines = [f"Your AKPS today: {result.score}/100."]
        if change is not None:
            lines.append(change.explain())
        return page.render(
            request,
            "message.html",
            title="AKPS",
            heading="AKPS scored",
            lines=lines,
            link=("/progress", "See your progress"),
            **base(who),
        )

    def runs_page(
        request: Request, who: WebSession, report: Any = None, status: int = 200
    ) -> Response:
        from kneecoach.domain.activity import Sport

        kept = [a for a in repository.activities(who.user_id) if a.activity.sport is Sport.RUN]
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
        return page.render(
            request,
            "runs.html",
            status,
            title="Runs",
            rows=rows,
            report=text,
            failed=failed,
            **base(who),
        )

    @app.get("/runs", response_class=HTMLResponse)
    def runs(request: Request, who: Who) -> Response:
        return runs_page(request, who)

    @app.post("/runs/import")
    async def runs_import(request: Request, who: Checked) -> Response:
        import shutil
        import tempfile

        from kneecoach.services.runs import import_paths

        if repository.profile(who.user_id) is None:
            return RedirectResponse("/onboarding", 303)
        form = await request.form()
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
            report = import_paths(coach_for(who), paths, workers=1)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return runs_page(request, who, report)

    @app.get("/load", response_class=HTMLResponse)
    def load_page(request: Request, who: Who) -> Response:
        import math

        from kneecoach.domain.load import ACWR_CAVEAT_TEXT
        from kneecoach.services.runs import load_report
        from kneecoach.web.charts import line_chart

        if repository.profile(who.user_id) is None:
            return RedirectResponse("/onboarding", 303)
        report = load_report(coach_for(who))
        if report is None:
            return page.render(request, "load.html", title="Load", chart=None, **base(who))
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
        return page.render(
            request,
            "load.html",
            title="Load",
            chart=chart,
            ratio_chart=ratio_chart,
            caveat=ACWR_CAVEAT_TEXT,
            warnings=recent,
            **base(who),
        )

    def settings_render(request: Request, who: WebSession, **extra: Any) -> Response:
        return page.render(
            request,
            "settings.html",
            title="Settings",
            has_feed=accounts.store.has_calendar_feed(who.user_id),
            **base(who),
            **extra,
        )

    @app.get("/settings", response_class=HTMLResponse)
    def settings_page(request: Request, who: Who) -> Response:
        return settings_render(request, who)

    @app.post("/settings/calendar")
    def settings_calendar(request: Request, who: Checked) -> Response:
        import secrets

        token = secrets.token_urlsafe(24)
        accounts.store.set_calendar_feed(who.user_id, hash_token(token), clock.now())
        return settings_render(request, who, feed=f"{request.base_url}calendar/{token}.ics")

    @app.post("/settings/calendar/revoke")
    def settings_calendar_revoke(request: Request, who: Checked) -> Response:
        accounts.store.set_calendar_feed(who.user_id, None, clock.now())
        return RedirectResponse("/settings", 303)

    @app.get("/calendar/{token}.ics")
    def calendar_feed(token: str) -> Response:
        """The subscription feed: no login, the secret address is the key."""
        from kneecoach.services.exports import calendar_for

        user_id = accounts.store.calendar_feed_user(hash_token(token))
        if user_id is None:
            raise HTTPException(status_code=404, detail="not found")
        try:
            data, _ = calendar_for(
                Coach(repository, clock, user_id),
                accounts.store.name_of(user_id),
                6,
                start_time=settings.session_time,
                reminder_minutes=settings.reminder_minutes,
                timezone=settings.timezone,
            )
        except (InvalidInput, NotSetUp):
            from kneecoach.exports.ical import calendar

            data = calendar(
                [],
                accounts.store.name_of(user_id),
                start_time=settings.session_time,
                reminder_minutes=0,
                timezone="UTC",
                stamp=clock.now(),
            )
        return Response(data, media_type="text/calendar; charset=utf-8")

    @app.get("/sheet", response_class=HTMLResponse)
    def sheet_html(who: Who) -> Response:
        from kneecoach.services.exports import sheet_for

        try:
            return HTMLResponse(sheet_for(coach_for(who), 4, pdf=False).decode())
        except NotSetUp:
            return RedirectResponse("/onboarding", 303)

    @app.get("/sheet.pdf")
    def sheet_pdf(who: Who) -> Response:
        from kneecoach.services.exports import sheet_for

        try:
            data = sheet_for(coach_for(who), 4, pdf=True)
        except NotSetUp:
            return RedirectResponse("/onboarding", 303)
        return Response(
            data,
            media_type="application/pdf",
            headers={"Content-Disposition": 'inline; filename="kneecoach-program.pdf"'},
        )

    @app.post("/settings/token")
    async def settings_token(request: Request, who: Checked) -> Response:
        form = await request.form()
        token = new_api_token(accounts, who.user_id, str(form.get("name") or ""), clock.now())
        return settings_render(request, who, token=token)

    @app.get("/exercises", response_class=HTMLResponse)
    def exercises(request: Request, who: Who) -> Response:
        return page.render(
            request,
            "exercises.html",
            title="Exercises",
            heading="Exercises",
            exercises=list(definitions.catalogue()),
            single=False,
            **base(who),
        )

    @app.get("/exercises/{key}/figure.svg")
    def exercise_figure_svg(
        key: str,
        who: Who,
        variant: str | None = None,
        side: str = "left",
        speed: float = 1.0,
        still: bool = False,
        hold: float | None = None,
    ) -> Response:
        """The animated (or still) figure; the player asks for it at its own speed."""
        from kneecoach.exports.figure_svg import exercise_figure

        try:
            found = definitions.catalogue().find(key)
        except InvalidInput:
            raise HTTPException(status_code=404, detail="no such exercise") from None
        keys = [v.key for v in found.variants]
        if (variant or keys[0]) not in keys:
            raise HTTPException(status_code=404, detail="no such variant")
        if not 0 < speed <= 1000 or (hold is not None and not 0 < hold <= 3600):
            raise HTTPException(status_code=400, detail="speed or hold out of range")
        try:
            svg = exercise_figure(
                found, variant or keys[0], side, speed=speed, still=still, hold_seconds=hold
            )
        except InvalidInput as error:
            raise HTTPException(status_code=400, detail=str(error)) from None
        return Response(
            svg, media_type="image/svg+xml", headers={"Cache-Control": "private, max-age=3600"}
        )

    @app.get("/exercises/{key}", response_class=HTMLResponse)
    def exercise(request: Request, key: str, who: Who) -> Response:
        try:
            found = definitions.catalogue().find(key)
        except InvalidInput:
            raise HTTPException(status_code=404, detail="no such exercise") from None
        return page.render(
            request,
            "exercises.html",
            title=found.name,
            heading=found.name,
            exercises=[found],
            single=True,
            **base(who),
        )

    return app


def app_from_environment() -> FastAPI:
    """For `uvicorn --factory kneecoach.web.app:app_from_environment`: settings from the
    environment, as `kneecoach serve` reads them."""
    from kneecoach.config import load_settings

    return create_app(load_settings())
