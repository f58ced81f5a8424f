"""The clinic: the dashboard, invitations and joining, a runner's page, prescribing and pinning."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import math

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.accounts import (
    CLINICIAN_ROLES,
    NotAllowed,
    invite,
    join,
)
from kneecoach.services.context import NotSetUp, RunnerContext
from kneecoach.services.ports import Conflict, WebSession
from kneecoach.web import clinic_dashboard
from kneecoach.web.context import (
    FORGED,
    Checked,
    Name,
    Password,
    PostedForm,
    RecordId,
    Web,
    Who,
    adherence_sentence,
    came_from_our_form,
    history_rows,
    whole,
)
from kneecoach.web.progress_charts import progress_charts


def add_routes(app: FastAPI, web: Web) -> None:
    def clinic_page(
        request: Request, who: WebSession, sort: str, order: str | None, link: str | None
    ) -> Response:
        from kneecoach.services.audit import listed
        from kneecoach.services.clinic import dashboard

        if who.role not in CLINICIAN_ROLES:
            raise HTTPException(status_code=404, detail="not found")
        if sort not in clinic_dashboard.SORTS or order not in (None, "asc", "desc"):
            raise HTTPException(status_code=400, detail="unknown sort")
        followed = web.accounts.followed(who.user_id)
        if followed:
            listed(
                web.runtime.storage.audit(),
                web.visitor(request, who),
                (runner.id for runner in followed),
                web.clock.now(),
            )
        view = dashboard(
            ((web.runner_by_id(runner.id), runner.name) for runner in followed),
            {runner.id: runner.revision for runner in followed},
            web.runtime.kept_summaries,
        )
        rows = [
            clinic_dashboard.row_view(r)
            for r in clinic_dashboard.sorted_rows(list(view.runners), sort, order)
        ]
        return web.page.render(
            request,
            "clinic.html",
            title="Clinic",
            rows=rows,
            columns=clinic_dashboard.columns(sort, order),
            caveat=view.caveat,
            link=link,
            **web.base(who),
        )

    @app.get("/clinic", response_class=HTMLResponse)
    def clinic(
        request: Request,
        who: Who,
        sort: str = clinic_dashboard.DEFAULT_SORT,
        order: str | None = None,
    ) -> Response:
        return clinic_page(request, who, sort, order, None)

    @app.post("/clinic/invite")
    def create_invite(request: Request, who: Checked) -> Response:
        """The clinic page with the new invitation's link, answered to the POST itself: the
        link is a secret (kept only as a hash), so it goes in no address — none in the
        browser's history, the pages kept for offline use or a server's logs."""
        try:
            token = invite(web.accounts, who.user_id, web.clock.now())
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None
        link = f"{web.settings.public_url}/invite/{token}"
        return clinic_page(request, who, clinic_dashboard.DEFAULT_SORT, None, link)

    @app.get("/invite/{token}", response_class=HTMLResponse)
    def join_form(request: Request, token: str) -> Response:
        if not web.accounts.invite_open(token, web.clock.now()):
            return web.page.render(
                request,
                "message.html",
                404,
                title="Invitation",
                heading="This invitation is used, expired or unknown",
                lines=["Ask your clinician for a new link."],
            )
        return web.open_form(request, "join.html", title="Join", token=token)

    @app.post("/invite/{token}")
    def join_clinic(
        request: Request, token: str, name: Name, password: Password, form: PostedForm
    ) -> Response:
        if not came_from_our_form(request, form):
            return web.open_form(request, "join.html", 403, title="Join", token=token, error=FORGED)
        try:
            join(web.accounts, token, name, password, web.clock.now())
        except InvalidInput as error:
            return web.open_form(
                request, "join.html", 400, title="Join", token=token, error=str(error)
            )
        return web.log_in(request, name, password)

    def runner_coach(
        request: Request, who: WebSession, runner_id: RecordId, action: str, *, reading: bool
    ) -> RunnerContext:
        """One of this clinician's runners, the access recorded in the audit log (a read
        here, a change by the use case that makes it); anyone else's is "not found", and
        the attempt is recorded too."""
        from kneecoach.services.audit import reach

        try:
            return reach(
                web.accounts,
                web.runtime.storage.audit(),
                lambda found, by: web.runtime.runner(found, visitor=by),
                web.visitor(request, who),
                runner_id,
                action,
                web.clock.now(),
                reading=reading,
            )
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None

    @app.get("/clinic/runners/{runner_id}", response_class=HTMLResponse)
    def runner_detail(request: Request, runner_id: RecordId, who: Who) -> Response:
        from kneecoach.services.clinic import runner_detail as build

        coach = runner_coach(request, who, runner_id, "viewed progress", reading=True)
        detail = build(coach, web.accounts.name_of(runner_id))
        context = web.base(who, title=detail.name, detail=detail, view=detail.progress)
        if detail.progress is not None:
            a = detail.progress.history.adherence
            context.update(
                **progress_charts(detail.progress, detail.alignment),
                rows=history_rows(detail.progress.history),
                adherence=adherence_sentence(a, "No session was due before today."),
                # the pain trend, last session and AKPS as the dashboard's row says them
                glance=clinic_dashboard.row_view(detail.summary) if detail.summary else None,
            )
        return web.page.render(request, "runner.html", **context)

    @app.post("/clinic/runners/{runner_id}/prescribe")
    def runner_prescribe(
        request: Request, runner_id: RecordId, who: Checked, form: PostedForm
    ) -> Response:
        from kneecoach.services import adaptation

        coach = runner_coach(request, who, runner_id, "prescribing", reading=False)
        try:
            adaptation.prescribe(
                coach,
                str(form.get("exercise") or ""),
                str(form.get("variant") or ""),
                whole(form.get("sets"), "sets"),
                whole(form.get("amount"), "reps or hold"),
                kilograms(form.get("load")),
                note=str(form.get("note") or ""),
                pinned=form.get("pinned") == "1",
                range_key=str(form.get("range") or "") or None,  # empty: it stays as it is
            )
        except InvalidInput as error:
            return web.refused(
                request, who, "Not prescribed", error, f"/clinic/runners/{runner_id}"
            )
        except NotSetUp:
            return web.refused(
                request, who, "Not prescribed", not_set_up(), f"/clinic/runners/{runner_id}"
            )
        return RedirectResponse(f"/clinic/runners/{runner_id}", 303)

    @app.post("/clinic/runners/{runner_id}/lift")
    def runner_lift(request: Request, runner_id: RecordId, who: Checked) -> Response:
        from kneecoach.services.onboarding import lift_pause

        coach = runner_coach(request, who, runner_id, "lifting the pause", reading=False)
        try:
            lift_pause(coach, web.accounts.name_of(who.user_id))
        except Conflict as error:
            return web.refused(request, who, "Not lifted", error, f"/clinic/runners/{runner_id}")
        except NotSetUp:
            return web.refused(
                request, who, "Not lifted", not_set_up(), f"/clinic/runners/{runner_id}"
            )
        return RedirectResponse(f"/clinic/runners/{runner_id}", 303)

    @app.post("/clinic/runners/{runner_id}/race/clear")
    def runner_race_clear(request: Request, runner_id: RecordId, who: Checked) -> Response:
        from kneecoach.services.race import clear_goal

        coach = runner_coach(request, who, runner_id, "stopping the race plan", reading=False)
        clear_goal(coach)
        return RedirectResponse(f"/clinic/runners/{runner_id}", 303)

    @app.post("/clinic/runners/{runner_id}/race/goal")
    def runner_race_goal(
        request: Request, runner_id: RecordId, who: Checked, form: PostedForm
    ) -> Response:
        from kneecoach.domain.race import parse_distance, parse_target
        from kneecoach.services.race import set_goal
        from kneecoach.web.race_pages import race_day

        coach = runner_coach(request, who, runner_id, "setting the race goal", reading=False)
        back = f"/clinic/runners/{runner_id}"
        try:
            day = race_day(form.get("date"), "the race day")
            metres = parse_distance(str(form.get("distance") or ""))
            target_text = str(form.get("target") or "").strip()
            set_goal(coach, day, metres, parse_target(target_text) if target_text else None)
        except (InvalidInput, Conflict) as error:
            return web.refused(request, who, "Not saved", error, back)
        except NotSetUp:
            return web.refused(request, who, "Not saved", not_set_up(), back)
        return RedirectResponse(back, 303)

    def race_call(request: Request, runner_id: int, who: WebSession, call: str) -> Response:
        from kneecoach.domain.race import Call
        from kneecoach.services.race import CLINICIAN_CALLS, decide

        made = Call(call)
        coach = runner_coach(request, who, runner_id, CLINICIAN_CALLS[made], reading=False)
        back = f"/clinic/runners/{runner_id}"
        try:
            decide(coach, made)
        except Conflict as error:
            return web.refused(request, who, "Not changed", error, back)
        except NotSetUp:
            return web.refused(request, who, "Not changed", not_set_up(), back)
        return RedirectResponse(back, 303)

    @app.post("/clinic/runners/{runner_id}/race/hold")
    def runner_race_hold(request: Request, runner_id: RecordId, who: Checked) -> Response:
        return race_call(request, runner_id, who, "hold")

    @app.post("/clinic/runners/{runner_id}/race/release")
    def runner_race_release(request: Request, runner_id: RecordId, who: Checked) -> Response:
        return race_call(request, runner_id, who, "release")

    @app.post("/clinic/runners/{runner_id}/race/step-back")
    def runner_race_step_back(request: Request, runner_id: RecordId, who: Checked) -> Response:
        return race_call(request, runner_id, who, "step-back")

    @app.post("/clinic/runners/{runner_id}/pin")
    def runner_pin(
        request: Request, runner_id: RecordId, who: Checked, form: PostedForm
    ) -> Response:
        from kneecoach.services import adaptation

        coach = runner_coach(request, who, runner_id, "pinning", reading=False)
        try:
            adaptation.pin(coach, str(form.get("exercise") or ""), form.get("pinned") == "1")
        except InvalidInput as error:
            return web.refused(request, who, "Not pinned", error, f"/clinic/runners/{runner_id}")
        except NotSetUp:
            return web.refused(
                request, who, "Not pinned", not_set_up(), f"/clinic/runners/{runner_id}"
            )
        return RedirectResponse(f"/clinic/runners/{runner_id}", 303)


def not_set_up() -> InvalidInput:
    return InvalidInput("this runner has not set up a program yet: nothing to change")


def kilograms(value: object) -> float:
    """A load typed into the form: empty is none; anything but a number is refused."""
    text = str(value or "").strip()
    if not text:
        return 0.0
    try:
        load = float(text)
    except ValueError:
        raise InvalidInput(f"load must be a number of kg, not '{text}'") from None
    if not math.isfinite(load):
        raise InvalidInput(f"load must be a number of kg, not '{text}'")
    return load
