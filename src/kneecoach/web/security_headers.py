"""Headers that keep a browser from leaking or misusing pages that show health data.

Set on every response by one small ASGI middleware (cheaper than Starlette's
``BaseHTTPMiddleware`` and safe for streamed bodies):

- a Content-Security-Policy that lets the pages run only the scripts and styles served from
  ``/static`` — no inline script, no inline style, no plug-ins — and lets no other site
  frame them (``frame-ancestors 'none'``, with ``X-Frame-Options`` for older browsers);
- ``nosniff``, so an uploaded or served file is never run as another type;
- ``Referrer-Policy: no-referrer``, so secret addresses (invitations, calendar feeds) never
  travel to another site in a Referer header;
- ``Cache-Control: no-store`` on every page and API read but the static files, so a shared
  computer's cache or the back button after logging out keeps no one's record (answers to
  POSTs are never cached by browsers anyway).

A route that serves a standalone document with its own needs (the printable sheet) sets its
own Content-Security-Policy, which is kept.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
CAMERA_POLICY = PAGE_POLICY.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'")
"""For the pages that run the pose model on the device (the player, the knee-alignment
test): the same, and the model's WebAssembly, served from /static/pose like every script."""
DOCUMENT_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
"""For a standalone document the app writes itself (the sheet): its one inline style sheet
and nothing else — no script at all."""

_ALWAYS = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(self), microphone=(), geolocation=(), payment=()"),
)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")
        cacheable = scope.get("method") in ("GET", "HEAD") and not static

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [pair for pair in _ALWAYS if pair[0] not in present]
                if b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", PAGE_POLICY.encode()))
                if cacheable and b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
