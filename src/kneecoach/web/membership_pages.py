"""Running a clinic in the browser: the clinic's clinicians and their invitations, handing a
runner to a colleague; your account (password, sessions, API tokens, your clinicians,
deleting it); and a forgotten password reset by email. The use cases are
``services.membership``; these routes only read forms and show views."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.domain.errors import InvalidInput
from kneecoach.services import membership
from kneecoach.services.accounts import CLINICIAN_ROLES, NotAllowed
from kneecoach.services.ports import WebSession
from kneecoach.web.context import (
    COOKIE,
    FORGED,
    LONGEST_PASSWORD,
    Checked,
    Name,
    Password,
    PostedForm,
    RecordId,
    Web,
    Who,
    came_from_our_form,
    record_id,
)


def _text(form: Any, field: str) -> str:
    value = form.get(field)
    return value if isinstance(value, str) else ""


def _password(form: Any, field: str) -> str:
    """A typed password, refused (not cut short) when longer than anyone types."""
    text = _text(form, field)
    if len(text) > LONGEST_PASSWORD:
        raise InvalidInput(f"a password has at most {LONGEST_PASSWORD} characters")
    return text


def add_routes(app: FastAPI, web: Web) -> None:
    def client(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    # the clinic's clinicians -----------------------------------------------------------
    def clinicians_render(request: Request, who: WebSession, **extra: Any) -> Response:
        if who.role not in CLINICIAN_ROLES:
            raise HTTPException(status_code=404, detail="not found")
        return web.page.render(
            request,
            "clinicians.html",
            title="Clinicians",
            members=membership.colleagues(web.accounts, who.user_id),
            owner=who.role == "owner",
            **web.base(who),
            **extra,
        )

    @app.get("/clinic/clinicians", response_class=HTMLResponse)
    def clinicians(request: Request, who: Who) -> Response:
        return clinicians_render(request, who)

    @app.post("/clinic/clinicians/invite")
    def invite_clinician(request: Request, who: Checked) -> Response:
        try:
            token = membership.invite_clinician(web.accounts, who.user_id, web.clock.now())
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None
        return clinicians_render(request, who, link=f"{web.settings.public_url}/invite/{token}")

    @app.get("/clinic/runners/{runner_id}/hand-over", response_class=HTMLResponse)
    def hand_over_form(request: Request, runner_id: RecordId, who: Who) -> Response:
        try:
            name, members = membership.hand_over_choices(web.accounts, who.user_id, runner_id)
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None
        return web.page.render(
            request,
            "hand_over.html",
            title="Hand over",
            runner_id=runner_id,
            runner=name,
            members=members,
            **web.base(who),
        )

    @app.post("/clinic/runners/{runner_id}/hand-over")
    def hand_over(
        request: Request, runner_id: RecordId, who: Checked, form: PostedForm
    ) -> Response:
        back = f"/clinic/runners/{runner_id}/hand-over"
        try:
            done = membership.hand_over(
                web.accounts,
                who.user_id,
                client(request),
                runner_id,
                record_id(form.get("to"), "the clinician"),
                web.clock.now(),
            )
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None
        except InvalidInput as error:
            return web.refused(request, who, "Not handed over", error, back)
        told = "They have been told by email." if done.runner_told else ""
        return web.page.render(
            request,
            "message.html",
            title="Handed over",
            heading=f"{done.runner} is now followed by {done.clinician}",
            lines=[line for line in (told,) if line],
            link=("/clinic", "Back to your runners"),
            **web.base(who),
        )

    # your account ----------------------------------------------------------------------
    def account_render(
        request: Request, who: WebSession, status: int = 200, **extra: Any
    ) -> Response:
        now = web.clock.now()
        return web.page.render(
            request,
            "account.html",
            status,
            title="Your account",
            name=web.accounts.name_of(who.user_id),
            sessions=membership.sessions(
                web.accounts, who.user_id, request.cookies.get(COOKIE), now
            ),
            tokens=membership.api_tokens(web.accounts, who.user_id),
            followers=membership.my_clinicians(web.accounts, who.user_id),
            runner=who.role == "runner",
            **web.base(who),
            **extra,
        )

    @app.get("/settings/account", response_class=HTMLResponse)
    def account(request: Request, who: Who) -> Response:
        return account_render(request, who)

    @app.post("/settings/password")
    def change_password(request: Request, who: Checked, form: PostedForm) -> Response:
        try:
            membership.change_password(
                web.accounts,
                who.user_id,
                _password(form, "current"),
                _password(form, "new"),
                request.cookies.get(COOKIE),
                web.clock.now(),
                client(request),
            )
        except InvalidInput as error:
            return account_render(request, who, 400, password_error=str(error))
        return account_render(request, who, password_changed=True)

    @app.post("/settings/sessions/end")
    def end_session(request: Request, who: Checked, form: PostedForm) -> Response:
        key, now = _text(form, "key"), web.clock.now()
        mine = membership.sessions(web.accounts, who.user_id, request.cookies.get(COOKIE), now)
        here = any(s.current and s.key == key for s in mine)
        if not membership.end_session(web.accounts, who.user_id, key, now):
            raise HTTPException(status_code=404, detail="not found")
        if here:  # signed out in this browser
            response = RedirectResponse("/login", 303)
            response.delete_cookie(COOKIE)
            return response
        return RedirectResponse("/settings/account", 303)

    @app.post("/settings/tokens/revoke")
    def revoke_token(request: Request, who: Checked, form: PostedForm) -> Response:
        if not membership.revoke_api_token(web.accounts, who.user_id, _text(form, "key")):
            raise HTTPException(status_code=404, detail="not found")
        return RedirectResponse("/settings/account", 303)

    @app.post("/settings/clinicians/leave")
    def leave(request: Request, who: Checked, form: PostedForm) -> Response:
        try:
            left = membership.leave_clinician(
                web.accounts,
                who.user_id,
                record_id(form.get("clinician"), "the clinician"),
                web.clock.now(),
            )
        except (NotAllowed, InvalidInput):
            raise HTTPException(status_code=404, detail="not found") from None
        return account_render(request, who, left=left.name)

    @app.post("/settings/delete")
    def delete(request: Request, who: Checked, form: PostedForm) -> Response:
        try:
            membership.delete_account(
                web.accounts,
                who.user_id,
                _password(form, "password"),
                web.clock.now(),
                client(request),
            )
        except InvalidInput as error:
            return account_render(request, who, 400, delete_error=str(error))
        response = web.page.render(
            request,
            "message.html",
            title="Account deleted",
            heading="Your account is deleted",
            lines=["Your record is removed, and your clinician has been told."],
            link=("/login", "Log in page"),
        )
        response.delete_cookie(COOKIE)
        return response

    # a forgotten password --------------------------------------------------------------
    @app.get("/reset", response_class=HTMLResponse)
    def reset_form(request: Request) -> Response:
        return web.open_form(request, "reset.html", title="Reset your password")

    @app.post("/reset")
    def reset_request(request: Request, name: Name, form: PostedForm) -> Response:
        if not came_from_our_form(request, form):
            return web.open_form(request, "reset.html", 403, title="Reset", error=FORGED)
        try:
            membership.request_reset(web.accounts, name, client(request), web.clock.now())
        except membership.ResetThrottled as error:
            return web.open_form(request, "reset.html", 429, title="Reset", error=str(error))
        return web.open_form(request, "reset.html", title="Reset your password", asked=True)

    def reset_closed(request: Request) -> Response:
        return web.page.render(
            request,
            "message.html",
            404,
            title="Reset",
            heading="This reset link is used, expired or unknown",
            lines=["Ask for a new one."],
            link=("/reset", "Reset your password"),
        )

    @app.get("/reset/{token}", response_class=HTMLResponse)
    def reset_token_form(request: Request, token: str) -> Response:
        if not membership.reset_open(web.accounts, token, web.clock.now()):
            return reset_closed(request)
        return web.open_form(request, "reset_password.html", title="New password", token=token)

    @app.post("/reset/{token}")
    def reset_password(
        request: Request, token: str, password: Password, form: PostedForm
    ) -> Response:
        def again(status: int, error: str) -> Response:
            return web.open_form(
                request,
                "reset_password.html",
                status,
                title="New password",
                token=token,
                error=error,
            )

        if not came_from_our_form(request, form):
            return again(403, FORGED)
        if not membership.reset_open(web.accounts, token, web.clock.now()):
            return reset_closed(request)
        try:
            name = membership.reset_password(web.accounts, token, password, web.clock.now())
        except InvalidInput as error:
            return again(400, str(error))
        return web.log_in(request, name, password)
