"""``Idempotency-Key`` on the API's POSTs, as one middleware around every operation: the
first request with a key runs and its answer is kept; a retry with the same key and the same
request gets that answer again (status and body, with ``Idempotent-Replayed: true``) and
nothing runs or is stored twice; the same key with another request is 422; a retry while the
first is still running is 409. Keys are per account (the bearer token's), kept a day
(services/idempotency.py). The OpenAPI schema documents the header on every POST."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kneecoach.bootstrap import Runtime
from kneecoach.domain.errors import InvalidInput
from kneecoach.services import idempotency
from kneecoach.services.ports import Conflict
from kneecoach.web.api.access import KNOWN_TOKEN
from kneecoach.web.body_limit import FILE_ROUTES, BodyTooLarge

HEADER_DOC = {
    "name": idempotency.HEADER,
    "in": "header",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.LONGEST_KEY},
    "description": "Any unique string (a UUID): send the request again with the same key "
    "and the same body and you get the first answer back, with nothing stored twice. Kept "
    "per account for 24 hours; the same key with a different request is 422, a retry while "
    "the first is still being answered is 409. Uploads of files (`POST /runs`, `POST "
    "/backup`) do not keep their answer: sending the files again adds nothing. Nor do the "
    "POSTs whose answer is a secret (`POST /invitations`, `POST /clinicians/invitations`, "
    "`POST /calendar-feed`): it is shown once and never stored; sending again makes another.",
}

SECRET_ROUTES = frozenset(
    {
        "/api/v1/invitations",
        "/api/v1/clinicians/invitations",
        "/api/v1/calendar-feed",
        "/settings/token",
        "/settings/calendar",
        "/clinic/invite",
        "/clinic/clinicians/invite",
    }
)
"""POSTs whose answer holds a secret (an API token, an invitation or a calendar feed's
address, each kept only as a hash): the answer is not kept under the request's key, which
would hold the secret in plain text for a day. Sent again, they make another secret (the
first still works until revoked or run out)."""


class Idempotency:
    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(idempotency.HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        try:
            idempotency.checked_key(key)
        except InvalidInput as error:
            await JSONResponse({"detail": str(error)}, 422)(scope, receive, send)
            return
        path = scope["path"]
        full = scope.get("root_path", "") + path
        if {path, full} & (FILE_ROUTES | SECRET_ROUTES):
            # files are not kept as an answer's key: importing or restoring again adds
            # nothing, and a body of files is not held in memory to compare; nor is an
            # answer that holds a secret (SECRET_ROUTES)
            await self.app(scope, receive, send)
            return
        if not self._may_be_keyed(scope, headers):  # the operation refuses it itself (401,
            await self.app(scope, receive, send)  # 403), before any body is read
            return
        try:
            body = await _whole_body(receive)
        except BodyTooLarge as error:
            await JSONResponse({"detail": error.detail}, 413)(scope, receive, send)
            return
        if body is None:  # the client went away mid-body: nothing to answer or to keep
            return
        digest = idempotency.fingerprint("POST", scope["path"], scope["query_string"], body)
        try:
            # one trip to a worker thread for the token's account and the key's claim
            user, replay = await run_in_threadpool(
                self._owner_and_claim, scope, headers, key, digest
            )
        except InvalidInput as error:
            await JSONResponse({"detail": str(error)}, 422)(scope, receive, send)
            return
        except Conflict as error:
            await JSONResponse({"detail": str(error)}, 409)(scope, receive, send)
            return
        if user is None:  # no account's: the operation refuses it (401, 403)
            await self.app(scope, _replaying(body), send)
            return
        if replay is not None:
            answer = Response(
                replay.body,
                replay.status,
                headers={"Idempotent-Replayed": "true"},
                media_type=replay.media_type,
            )
            await answer(scope, receive, send)
            return
        await self._first(scope, body, send, user, key)

    def _may_be_keyed(self, scope: Scope, headers: Headers) -> bool:
        """Whether the request names an account at all (a bearer token): one without is
        passed on untouched."""
        return bool(_bearer_token(headers.get("authorization", "")))

    def _owner(self, scope: Scope, headers: Headers) -> int | None:
        """The account the request acts as, whose keys it uses: the bearer token's (kept in
        the scope, so the operation does not look it up again); None for a token that is no
        account's."""
        token = _bearer_token(headers.get("authorization", ""))
        user = self.runtime.accounts.api_token_owner(token) if token else None
        if user is not None:
            scope[KNOWN_TOKEN] = (token, user)
        return user

    def _owner_and_claim(
        self, scope: Scope, headers: Headers, key: str, digest: str
    ) -> tuple[int | None, idempotency.Replay | None]:
        """The account (:meth:`_owner`) and, for an account, the key claimed (None) or the
        answer kept under it: one trip to a worker thread for both."""
        user = self._owner(scope, headers)
        if user is None:
            return None, None
        store = self.runtime.idempotency
        return user, idempotency.begin(store, user, key, digest, self.runtime.clock.now())

    async def _first(self, scope: Scope, body: bytes, send: Send, user: int, key: str) -> None:
        """Run the request, passing its answer on as it goes, and keep it for retries."""
        status = 500
        media_type = "application/json"
        chunks: list[bytes] = []
        again = _replaying(body)

        async def keeping(message: Message) -> None:
            nonlocal status, media_type
            if message["type"] == "http.response.start":
                status = message["status"]
                found = Headers(raw=message.get("headers", [])).get("content-type")
                media_type = found or media_type
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            await send(message)

        store = self.runtime.idempotency
        try:
            await self.app(scope, again, keeping)
        except BaseException:
            await run_in_threadpool(idempotency.abandon, store, user, key)
            raise
        answer = b"".join(chunks)
        try:
            await run_in_threadpool(
                idempotency.finish, store, user, key, status, answer, media_type
            )
        except Exception:
            # The answer is sent; keeping it failed (the database busy or gone). Forget the
            # key rather than leave it claimed with no answer, which would refuse every
            # retry (409) for a day; a retry then runs again.
            await run_in_threadpool(idempotency.abandon, store, user, key)


def _bearer_token(authorization: str) -> str:
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _replaying(body: bytes) -> Receive:
    """The request body again, for the operation (the middleware has read it)."""
    sent = False

    async def again() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return again


async def _whole_body(receive: Receive) -> bytes | None:
    """The request body, or None when the client disconnected before sending all of it
    (the part received must not be claimed as the request under its key: the retry with
    the whole body would be refused as another request)."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def document(api: FastAPI) -> None:
    """Name the header, and the 409 and 422 it can lead to, on every POST of the schema."""
    from kneecoach.web.api.errors import MEANINGS

    build = api.openapi

    def openapi() -> dict[str, Any]:
        if api.openapi_schema:
            return api.openapi_schema
        schema = build()
        for item in schema.get("paths", {}).values():
            operation = item.get("post")
            if operation is None:
                continue
            operation.setdefault("parameters", []).append(HEADER_DOC)
            responses = operation.setdefault("responses", {})
            for status, model in (("409", "ConflictOut"), ("422", "ErrorOut")):
                responses.setdefault(
                    status,
                    {
                        "description": MEANINGS[int(status)],
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{model}"}
                            }
                        },
                    },
                )
        api.openapi_schema = schema
        return schema

    api.openapi = openapi  # type: ignore[method-assign]
