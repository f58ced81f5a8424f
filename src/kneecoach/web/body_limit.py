"""Every request body has a bound, checked as it arrives: a form or a JSON body is small, so
1 MiB is plenty; only the routes that take files (run histories, a backup to restore) take
up to the upload limit (KNEECOACH_UPLOAD_LIMIT), and the run uploads count it themselves as
they stream to disk. Without this bound, a client that is not even signed in could make the
server hold any amount of memory: the body is read before anyone is asked who sent it."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kneecoach.domain.digits import ascii_digits

SMALL_BODY_BYTES = 1024 * 1024
"""The most a form or a JSON body may carry (kneecoach default)."""
FILE_ROUTES = frozenset(
    {"/runs/import", "/api/v1/runs", "/settings/data/restore", "/api/v1/backup"}
)
"""The routes that take files, bounded by the upload limit instead."""


class BodyTooLarge(HTTPException):
    """The body went past its bound while it was read: a 413 wherever it is raised (the
    routes answer it as any HTTP error, with the reason)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _reason(limit))


class BodyLimit:
    def __init__(self, app: ASGIApp, upload_limit: int) -> None:
        self.app = app
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = (
            self.upload_limit + SMALL_BODY_BYTES  # the files, and the form around them
            if scope["path"] in FILE_ROUTES
            else SMALL_BODY_BYTES
        )
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and ascii_digits(declared) and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watching(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watching)
        except BodyTooLarge:
            if not started:
                await _too_large(limit)(scope, receive, send)


def _too_large(limit: int) -> JSONResponse:
    return JSONResponse({"detail": _reason(limit)}, 413)


def _reason(limit: int) -> str:
    return f"the request body is larger than this server takes ({limit / 1024**2:g} MB)"
