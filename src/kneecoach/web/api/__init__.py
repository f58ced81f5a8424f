"""The JSON API under /api/v1: the product for scripts, phone apps and clinics' systems,
on the same services, views and permission checks as the pages, speaking the fields of the
command line's ``--json`` (``presenters.py``). A bearer token made on the settings page
acts as its account. One module per part of the product; the OpenAPI schema at
/api/v1/openapi.json documents every operation and every error it can answer."""

from fastapi import FastAPI

from kneecoach.bootstrap import Runtime
from kneecoach.web.api import (
    audit,
    clinic,
    exercises,
    exports,
    jobs,
    membership,
    progress,
    race,
    return_to_run,
    runs,
    settings,
    strava,
    today,
)
from kneecoach.web.api.errors import add_error_handlers, document_bad_bodies, errors
from kneecoach.web.api.idempotency import Idempotency, document

PARTS = (
    today,
    progress,
    runs,
    jobs,
    return_to_run,
    race,
    exercises,
    exports,
    settings,
    strava,
    clinic,
    audit,
    membership,
)

DESCRIPTION = """Every call needs `Authorization: Bearer TOKEN`, a token made on the web
app's Settings page; it acts as its account, with the same checks as the pages. Errors
answer `{"detail": "..."}` with the status each operation lists (a 409 adds what is kept in
the way as `existing`). Every POST takes an `Idempotency-Key` header: a retry with the same
key and body gets the first answer back, stored once. Bodies and answers use
the fields of the command line's `--json` output (README, "JSON output")."""


def create_api(runtime: Runtime) -> FastAPI:
    """The API on ``runtime`` (the composition root's settings, storage and clock)."""
    api = FastAPI(
        title="kneecoach API",
        version="1",
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        responses=errors(503),
    )
    api.state.runtime = runtime
    add_error_handlers(api)
    for part in PARTS:
        part.add_routes(api)
    api.add_middleware(Idempotency, runtime=runtime)
    document(api)
    document_bad_bodies(api)
    return api
