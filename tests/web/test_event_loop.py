"""Nothing a request does blocks the event loop: every route and dependency that touches the
database or files is a plain function, which FastAPI runs in its thread pool."""

from __future__ import annotations

import inspect

from fastapi.routing import APIRoute

from kneecoach.web import context
from kneecoach.web.api import access

ASYNC_ALLOWED = {context.posted_form, context.posted_json, access.bearer_account, access.own_record}
"""Awaiting the request body is all the first two do; the API's account hands its one
lookup to the thread pool (when the idempotency middleware has not made it already), and
the runner's own record is only built, never read, there."""


def _dependencies(dependant):
    for sub in dependant.dependencies:
        yield sub.call
        yield from _dependencies(sub)


def _routes(app):
    for route in app.routes:
        if isinstance(route, APIRoute):
            yield route
        mounted = getattr(route, "app", None)
        if mounted is not None and hasattr(mounted, "routes"):
            yield from _routes(mounted)


def test_no_route_handler_or_dependency_is_a_coroutine_that_could_block(app):
    offenders = set()
    for route in _routes(app):
        for call in (route.endpoint, *_dependencies(route.dependant)):
            streams = getattr(call, "streams_upload", False)  # web.uploads.streams_upload
            if inspect.iscoroutinefunction(call) and call not in ASYNC_ALLOWED and not streams:
                offenders.add(f"{route.path}: {call.__qualname__}")
    assert not offenders, sorted(offenders)
