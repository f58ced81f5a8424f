"""``create_app(settings)``: the web app, built by a factory (nothing at import time).

Small routes over the same services as the command line, one module per part of the app
(each takes the shared context in ``web/context.py``). Every page needs a logged-in
account except the first-run setup and the login; every form that changes something
carries the session's CSRF token; session cookies are HttpOnly, SameSite=Lax, and Secure
when the request came over TLS.
"""

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2.bccache import Bucket, BytecodeCache

from kneecoach.bootstrap import build
from kneecoach.config import Settings
from kneecoach.services.context import NotSetUp
from kneecoach.services.ports import Clock
from kneecoach.web import (
    account_pages,
    audit_pages,
    camera_pages,
    clinic_pages,
    exercise_pages,
    job_pages,
    membership_pages,
    offline,
    race_pages,
    return_to_run,
    runner_pages,
    running_pages,
    session_pages,
    settings_pages,
    strava_pages,
    weekly_review,
)
from kneecoach.web.api import create_api
from kneecoach.web.body_limit import BodyLimit
from kneecoach.web.context import Page, Web
from kneecoach.web.error_pages import add_error_pages
from kneecoach.web.idempotent_posts import IdempotentPosts
from kneecoach.web.kept_pages import KeptPages
from kneecoach.web.security_headers import SecurityHeaders

SERVER_OPTIONS: dict[str, Any] = {"loop": "asyncio", "http": "httptools"}
"""How uvicorn runs the app (kneecoach serve, the benchmark, the README's deployment).

httptools parses HTTP far faster than the pure-Python parser; the standard asyncio loop
is kept because uvloop, under 200 busy clients, left some waiting seconds (p99 ~3 s
against ~0.16 s with asyncio in the same benchmark run)."""
HERE = Path(__file__).parent
ROUTES = (
    account_pages,
    runner_pages,
    session_pages,
    camera_pages,
    clinic_pages,
    running_pages,
    job_pages,
    settings_pages,
    strava_pages,
    exercise_pages,
    weekly_review,
    return_to_run,
    race_pages,
    audit_pages,
    membership_pages,
    offline,
)


class CompiledTemplates(BytecodeCache):
    """The pages' templates as compiled once per process, kept in memory: each app made in
    the process (the tests make one per test) loads them instead of compiling them again
    (a quarter of a second of a core for all of them). Jinja checks each against its
    source's checksum, so an edited template is compiled afresh."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Bucket) -> None:
        with self._lock:
            code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = bucket.bytecode_to_string()
        with self._lock:
            self._code[bucket.key] = code


COMPILED_TEMPLATES = CompiledTemplates()


def create_app(settings: Settings, *, clock: Clock | None = None, workers: int = 0) -> FastAPI:
    """The web app and its API on ``settings``; ``clock`` fixes 'today' (tests, demos),
    otherwise the composition root picks it from the settings. ``workers`` job workers
    (kneecoach.worker) run in their own processes while the app serves: `kneecoach serve`
    starts one; none when another process runs them (`kneecoach worker`)."""
    runtime = build(settings, clock=clock)
    accounts = runtime.accounts
    clock = runtime.clock
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.auto_reload = settings.debug  # no file checks per page in production
    templates.env.bytecode_cache = COMPILED_TEMPLATES

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        """While the app serves, its job workers run and its mail sender sends the outbox
        (when email is on); served with its workers (`kneecoach serve`), it also makes the
        clinic dashboard's rows when the day changes (web.clinic_warmer)."""
        if not workers:
            async with mail_sender():
                yield
            return
        from kneecoach.web.clinic_warmer import ClinicWarmer
        from kneecoach.worker import WorkerProcesses

        processes = WorkerProcesses(settings, runtime.clock, workers)
        warmer = ClinicWarmer(runtime)
        processes.start()
        warmer.start()
        try:
            async with mail_sender():
                yield
        finally:
            warmer.stop()
            processes.stop()

    @asynccontextmanager
    async def mail_sender() -> AsyncIterator[None]:
        postman = runtime.postman()
        if postman is None:
            yield
            return
        from kneecoach.integrations.sender import MailSender

        sender = MailSender(postman)
        sender.start()
        try:
            yield
        finally:
            sender.stop()

    app = FastAPI(
        title="kneecoach", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.settings = settings
    app.add_middleware(IdempotentPosts, runtime=runtime)
    app.add_middleware(BodyLimit, upload_limit=settings.upload_limit)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """Browsers and bookmarks ask for this address whatever the page says: the app's icon."""
        return FileResponse(
            HERE / "static" / "icon.svg",
            media_type="image/svg+xml",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    app.mount("/api/v1", create_api(runtime))

    web = Web(
        page=Page(templates),
        runtime=runtime,
        accounts=accounts,
        clock=clock,
        settings=settings,
        kept=KeptPages(),
    )
    app.state.web = web

    add_error_pages(app, web.page)

    @app.exception_handler(NotSetUp)
    def not_set_up(request: Request, error: NotSetUp) -> Response:
        return RedirectResponse("/onboarding", 303)

    for module in ROUTES:
        module.add_routes(app, web)
    return app


def app_from_environment() -> FastAPI:
    """For `uvicorn --factory kneecoach.web.app:app_from_environment`: settings from the
    environment, as `kneecoach serve` reads them."""
    from kneecoach.config import load_settings

    return create_app(load_settings(), workers=1)
