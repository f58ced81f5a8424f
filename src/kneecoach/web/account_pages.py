"""Signing up, in and out: the owner account on first run, login with throttling, logout."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.accounts import landing
from kneecoach.web.context import (
    COOKIE,
    FORGED,
    Checked,
    Name,
    Password,
    PostedForm,
    Web,
    came_from_our_form,
)


def add_routes(app: FastAPI, web: Web) -> None:
    @app.get("/")
    def home(request: Request) -> Response:
        if web.accounts.needs_owner():
            return RedirectResponse("/setup", 303)
        who = web.session(request)
        if who is None:
            return RedirectResponse("/login", 303)
        # where the person works: the clinic, their own program or setting one up
        where = landing(web.accounts, who, set_up=web.runner(who).has_profile())
        return RedirectResponse(f"/{where}", 303)

    @app.get("/setup", response_class=HTMLResponse)
    def setup_form(request: Request) -> Response:
        if not web.accounts.needs_owner():
            return RedirectResponse("/login", 303)
        return web.open_form(request, "setup.html", title="Welcome")

    @app.post("/setup")
    def setup(request: Request, name: Name, password: Password, form: PostedForm) -> Response:
        if not came_from_our_form(request, form):
            return web.open_form(request, "setup.html", 403, title="Welcome", error=FORGED)
        try:
            web.accounts.create_owner(name, password, web.clock.now())
        except InvalidInput as error:
            return web.open_form(request, "setup.html", 400, title="Welcome", error=str(error))
        return web.log_in(request, name, password)

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> Response:
        if web.accounts.needs_owner():
            return RedirectResponse("/setup", 303)
        return web.open_form(request, "login.html", title="Log in")

    @app.post("/login")
    def login(request: Request, name: Name, password: Password, form: PostedForm) -> Response:
        if not came_from_our_form(request, form):
            return web.open_form(request, "login.html", 403, title="Log in", error=FORGED)
        return web.log_in(request, name, password)

    @app.post("/logout")
    def logout(request: Request, who: Checked) -> Response:
        web.accounts.log_out(request.cookies.get(COOKIE))
        response = RedirectResponse("/login", 303)
        response.delete_cookie(COOKIE)
        return response
