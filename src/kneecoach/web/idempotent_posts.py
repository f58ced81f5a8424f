"""``Idempotency-Key`` on the pages' own POSTs, the same mechanism as the API's
(web/api/idempotency.py over services/idempotency.py, the same store): the browser player
keeps a set, a pain or the finish on the device while the network is down and sends it
again when it returns, each with its key, so the server stores it once however often it
arrives.

The account is the session cookie's, and only a request that also carries the session's
CSRF token in ``X-CSRF-Token`` is keyed (another site can make a browser post, but can
neither read the token nor set that header); one without it runs as it would without a
key, and the route refuses it as ever. The API's own paths are left to the API's
middleware."""

from __future__ import annotations

import hmac

from starlette.datastructures import Headers
from starlette.requests import HTTPConnection
from starlette.types import Receive, Scope, Send

from kneecoach.web.api.idempotency import Idempotency
from kneecoach.web.context import COOKIE

API_PREFIX = "/api/"


class IdempotentPosts(Idempotency):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and str(scope.get("path", "")).startswith(API_PREFIX):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    def _may_be_keyed(self, scope: Scope, headers: Headers) -> bool:
        """A request with a session cookie and a CSRF token: only such a one is keyed."""
        return bool(HTTPConnection(scope).cookies.get(COOKIE)) and bool(headers.get("x-csrf-token"))

    def _owner(self, scope: Scope, headers: Headers) -> int | None:
        """The signed-in account of a request carrying its session's CSRF token; None
        otherwise (the route answers it: a redirect to the login, or 403)."""
        token = HTTPConnection(scope).cookies.get(COOKIE)
        session = self.runtime.accounts.session(token, self.runtime.clock.now())
        if session is None:
            return None
        sent = headers.get("x-csrf-token", "")
        kept = session.csrf.encode()
        return session.user_id if hmac.compare_digest(sent.encode(), kept) else None
