"""Every page route has a rule, read from the app's own route table: open to anyone,
open behind a secret in the address, or for a signed-in account only — and every form that
changes something refuses a post without its anti-forgery token. A new route without a rule
here fails the test, so no page is ever added without deciding who may reach it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from starlette.routing import Route

OPEN = {
    ("GET", "/"),
    ("GET", "/setup"),
    ("POST", "/setup"),
    ("GET", "/login"),
    ("POST", "/login"),
    ("GET", "/reset"),
    ("POST", "/reset"),
    ("GET", "/favicon.ico"),  # the app's icon, as every static file is
    ("GET", "/manifest.webmanifest"),  # browsers fetch it without cookies; holds no one's data
    ("GET", "/sw.js"),  # the service worker's script, as every static file is
}
"""Reached before anyone is signed in (their posts carry the pre-login form token)."""
BEHIND_A_SECRET = {
    ("GET", "/invite/{token}"),
    ("POST", "/invite/{token}"),
    ("GET", "/calendar/{token}.ics"),
    ("GET", "/reset/{token}"),
    ("POST", "/reset/{token}"),
    ("GET", "/strava/webhook/{token}"),  # Strava's subscription check and events: the
    ("POST", "/strava/webhook/{token}"),  # address holds KNEECOACH_STRAVA_WEBHOOK_TOKEN
}
"""Reached with a secret in the address, which is checked instead of a session."""
JSON_POSTS = {"/session/sets", "/session/exercise-pain", "/session/finish"}
"""Posted by the page's script with the token in a header rather than a form field."""


def _page_routes(app) -> list[tuple[str, str]]:
    return sorted(
        (method, route.path)
        for route in app.routes
        if isinstance(route, Route) and not route.path.startswith(("/static", "/api"))
        for method in (route.methods or ()) - {"HEAD"}
    )


def _filled(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_page_route_is_open_secret_or_signed_in_only(app):
    anonymous = TestClient(app, follow_redirects=False)
    for method, path in _page_routes(app):
        if (method, path) in OPEN | BEHIND_A_SECRET:
            continue
        answer = anonymous.request(method, _filled(path))
        assert answer.status_code == 303, (method, path, answer.status_code)
        assert answer.headers["location"] == "/login", (method, path)


def test_a_secret_in_the_address_that_is_wrong_shows_nothing(app, owner):
    stranger = TestClient(app, follow_redirects=False)
    assert stranger.get("/invite/not-a-token").status_code == 404
    assert stranger.get("/calendar/not-a-token.ics").status_code == 404
    assert stranger.get("/reset/not-a-token").status_code == 404
    assert stranger.get("/strava/webhook/not-a-token").status_code == 404
    assert stranger.post("/strava/webhook/not-a-token", json={}).status_code == 404


@pytest.mark.parametrize("forged", [None, "forged"])
def test_every_form_that_changes_something_refuses_a_post_without_its_token(app, owner, forged):
    for method, path in _page_routes(app):
        if method != "POST" or (method, path) in OPEN | BEHIND_A_SECRET:
            continue
        data = {} if forged is None else {"csrf": forged}
        if path in JSON_POSTS:
            headers = {} if forged is None else {"x-csrf-token": forged}
            answer = owner.post(_filled(path), json={}, headers=headers)
        else:
            answer = owner.post(_filled(path), data=data)
        assert answer.status_code == 403, (path, answer.status_code)


def test_the_open_and_secret_routes_named_here_still_exist(app):
    routes = set(_page_routes(app))
    assert routes >= OPEN | BEHIND_A_SECRET
