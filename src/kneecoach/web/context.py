"""What the web pages share: templates, the composition root's runtime (storage, accounts,
the clock, settings),
and the two ways a route asks for the signed-in user (``Who``; ``Checked`` also checks the
form's CSRF token). Route modules take one ``Web`` instead of reaching for globals."""

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from kneecoach import DISCLAIMER
from kneecoach.bootstrap import Runtime
from kneecoach.config import Settings
from kneecoach.domain.digits import ascii_digits
from kneecoach.domain.errors import InvalidInput
from kneecoach.services.accounts import CLINICIAN_ROLES, LONGEST_NAME, Accounts
from kneecoach.services.context import RunnerContext, Visitor
from kneecoach.services.ports import Clock, WebSession
from kneecoach.web.kept_pages import KeptPages

COOKIE = "kc_session"
FORM_COOKIE = "kc_form"
"""A random token for the forms filled in before anyone is signed in (setup, log-in,
joining), sent both as this cookie and in the form: another site can make a browser post a
form but can neither read nor set the cookie, so it cannot sign a victim in to its own
account (login CSRF)."""
LONGEST_PASSWORD = 1024
"""A password longer than this is refused before hashing: no one types more, and hashing
megabytes is work an attacker could make the server do."""
MAX_RECORD_ID = 2**31 - 1
"""The largest key either database holds (the tables' ids are 32-bit integers, as the API's
``MAX_ID``); a larger number in an address or a form is 'not found', not an overflow."""

RecordId = Annotated[int, Path(ge=1, le=MAX_RECORD_ID)]
"""A route parameter: the id of a record in the address."""
Name = Annotated[str, Form(max_length=4 * LONGEST_NAME)]
"""A typed account name: room for spaces a person may add (they are folded away), no more."""
Password = Annotated[str, Form(max_length=LONGEST_PASSWORD)]
"""A typed password, bounded before it is hashed."""


class Page:
    """What every page knows: the templates and the disclaimer."""

    def __init__(self, templates: Jinja2Templates) -> None:
        self.templates = templates

    def render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        context.setdefault("title", "kneecoach")
        context.setdefault("disclaimer", DISCLAIMER)
        return self.templates.TemplateResponse(request, template, context, status_code=status)


@dataclass(frozen=True)
class Web:
    page: Page
    runtime: Runtime
    accounts: Accounts
    clock: Clock
    settings: Settings
    kept: KeptPages
    """Today pages kept rendered per runner and data revision."""

    def session(self, request: Request) -> WebSession | None:
        """The signed-in session of a request, or None (for pages open to anyone)."""
        return self.accounts.session(request.cookies.get(COOKIE), self.clock.now())

    def runner(self, who: WebSession) -> RunnerContext:
        """The signed-in user's own record, for this request."""
        return self.runtime.runner(who.user_id)

    def runner_by_id(self, user_id: int) -> RunnerContext:
        """Another user's record, once the caller has checked they may see it."""
        return self.runtime.runner(user_id)

    def visitor(self, request: Request, who: WebSession) -> Visitor:
        """The signed-in account as the audit log names it, with the client's address."""
        from kneecoach.services.audit import visitor

        return visitor(self.accounts, who.user_id, request.client.host if request.client else None)

    def base(self, who: WebSession, **extra: Any) -> dict[str, Any]:
        clinician = who.role in CLINICIAN_ROLES
        return {
            "user": who.account_label,
            "csrf": who.csrf,
            "clinician": clinician,
            "nav_owner": who.role == "owner",
            **extra,
        }

    def refused(
        self,
        request: Request,
        who: WebSession,
        heading: str,
        error: Exception,
        back: str,
        label: str = "Back",
    ) -> HTMLResponse:
        """Bad input, said plainly on a page with the way back; nothing was written."""
        return self.page.render(
            request,
            "message.html",
            400,
            title=heading,
            heading=heading,
            lines=[str(error)],
            link=(back, label),
            **self.base(who),
        )

    def open_form(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> HTMLResponse:
        """A form for someone not yet signed in, carrying the anti-forgery token that its
        cookie carries too (a new one if the browser has none)."""
        token = request.cookies.get(FORM_COOKIE) or secrets.token_urlsafe(24)
        response = self.page.render(request, template, status, csrf=token, **context)
        response.set_cookie(
            FORM_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
        )
        return response

    def log_in(self, request: Request, name: str, password: str) -> Response:
        """Log in and set the session cookie, or show the login page with the reason."""
        try:
            client = request.client.host if request.client else "unknown"
            token, who = self.accounts.log_in(name, password, self.clock.now(), client)
        except InvalidInput as error:
            return self.open_form(
                request, "login.html", 401, title="Log in", error=str(error), name=name
            )
        response = RedirectResponse("/", 303)
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            max_age=int((who.expires_at - self.clock.now()).total_seconds()),
        )
        return response


def came_from_our_form(request: Request, form: FormData) -> bool:
    """Whether a form posted before signing in carries the token of its cookie."""
    cookie = request.cookies.get(FORM_COOKIE, "")
    sent = form.get("csrf")
    return bool(cookie) and isinstance(sent, str) and hmac.compare_digest(sent, cookie)


FORGED = "This form was out of date or sent from another site, so nothing was done: try again."


def whole(value: Any, what: str) -> int:
    """A whole number written in ASCII digits (an optional sign, spaces around): not '٣' or
    '1_0', which ``int`` would read."""
    text = str(value).strip()
    digits = text[1:] if text[:1] in "+-" else text
    if not ascii_digits(digits):
        raise InvalidInput(f"{what} must be a whole number")
    if len(digits.lstrip("0")) > LONGEST_WHOLE:
        raise InvalidInput(f"{what} is too large")
    return int(text)


def record_id(value: Any, what: str) -> int:
    """The id of a record typed into a form: a whole number no database key can exceed
    (a larger one is refused here, never sent to the database to overflow there)."""
    found = whole(value, what)
    if not 1 <= found <= MAX_RECORD_ID:
        raise InvalidInput(f"{what} is not known")
    return found


LONGEST_WHOLE = 18
"""Digits in the largest whole number any form takes (ids stay within 64 bits); a longer
one is refused before it is read, not left to ``int``'s own limit."""


def adherence_sentence(a: Any, none_planned: str = "") -> str:
    """Sessions done of planned (an AdherenceView), and the planned days a pause held, so
    that 100 % is not read as weeks without a break: the runner's history and the
    clinician's page on them say it alike."""
    if not a.sessions_planned:
        return none_planned
    paused = len(a.paused_days)
    held = (
        f" {paused} more {'was' if paused == 1 else 'were'} planned while the program was "
        "paused: none was due."
        if paused
        else ""
    )
    return f"{a.sessions_done} of {a.sessions_planned} planned sessions done.{held}"


def history_rows(report: Any) -> list[dict[str, str]]:
    """Sessions as table rows: date, sets done of planned, pain during and next morning;
    and each pause of the program as a row of its own on the day it began (``pause``: what
    paused it, until when and who lifted it), so a gap in the sessions says why."""
    top = report.pain_max
    rows = [
        (
            s.date,
            1,
            {
                "date": f"{s.date:%a %d %b}",
                "sets": f"{s.sets_done}/{s.sets_planned}",
                "during": f"{s.pain_during}/{top}"
                + (
                    f" (an exercise {s.peak_pain}/{top})"
                    if s.peak_pain is not None and s.peak_pain > s.pain_during
                    else ""
                ),
                "morning": "—" if s.pain_next_morning is None else f"{s.pain_next_morning}/{top}",
            },
        )
        for s in report.sessions
    ]
    rows += [
        (p.start, 0, {"date": f"{p.start:%a %d %b}", "pause": _pause_text(p)})
        for p in report.pauses
    ]
    return [row for _, _, row in sorted(rows, key=lambda kept: (kept[0], kept[1]))]


def _pause_text(pause: Any) -> str:
    signs = f" ({'; '.join(pause.signs)})" if pause.signs else ""
    if pause.lifted is None:
        return f"Program paused{signs}: still paused."
    by = {None: "", "runner": " by the runner"}.get(pause.lifted_by, f" by {pause.lifted_by}")
    return f"Program paused{signs}; lifted{by} on {pause.lifted:%a %d %b}."


def web_of(request: Request) -> Web:
    """The app's shared context, kept on the app by ``create_app``."""
    found: Web = request.app.state.web
    return found


def signed_in(request: Request) -> WebSession:
    """The signed-in user, or a redirect to the login page. A plain function: FastAPI runs it
    in the thread pool, so its database read never blocks the event loop."""
    found = web_of(request).session(request)
    if found is None:
        raise HTTPException(status_code=303, headers={"Location": "/login"})
    return found


Who = Annotated[WebSession, Depends(signed_in)]
"""A route parameter: the signed-in user."""


def own_record(request: Request, who: Who) -> RunnerContext:
    """The signed-in user's own record, one per request (FastAPI caches it). A service that
    needs the profile raises NotSetUp without one, which the app turns into a redirect to
    onboarding, so no route checks for a profile itself."""
    return web_of(request).runner(who)


Runner = Annotated[RunnerContext, Depends(own_record)]
"""A route parameter: the signed-in user's own record."""


async def posted_form(request: Request) -> FormData:
    """The request's form, parsed once (awaiting the body is the only work on the loop)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]
"""A route parameter: the posted form."""


def checked(who: Who, form: PostedForm) -> WebSession:
    """The signed-in user of a form that carries their session's CSRF token."""
    if form.get("csrf") != who.csrf:
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
    return who


Checked = Annotated[WebSession, Depends(checked)]
"""A route parameter: the signed-in user, whose form's CSRF token was checked."""


def json_checked(request: Request, who: Who) -> WebSession:
    """The signed-in user of a JSON request that carries the CSRF token in a header."""
    if request.headers.get("x-csrf-token") != who.csrf:
        raise HTTPException(status_code=403, detail="missing or wrong CSRF token")
    return who


JsonChecked = Annotated[WebSession, Depends(json_checked)]
"""A route parameter: the signed-in user of a JSON request with the CSRF header."""


PARSED_ON_THE_LOOP_BYTES = 64 * 1024
"""A body up to this size is parsed where it is read; a larger one (a backup restored) in a
worker thread, so that parsing it never holds up every other request (kneecoach default)."""


async def posted_json(request: Request) -> Any:
    """The request's JSON body, or a 400 naming the problem."""
    from kneecoach.services.documents import parse_json

    body = await request.body()
    try:
        if len(body) <= PARSED_ON_THE_LOOP_BYTES:
            return parse_json(body, "the body")
        return await run_in_threadpool(parse_json, body, "the body")
    except InvalidInput as error:
        problem = str(error).removeprefix("the body").lstrip(": ")
        raise HTTPException(status_code=400, detail=f"the body is not JSON: {problem}") from None


PostedJson = Annotated[Any, Depends(posted_json)]
"""A route parameter: the posted JSON document."""
