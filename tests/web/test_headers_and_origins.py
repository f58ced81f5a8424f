"""Pages that show health data keep to themselves: a strict content policy with no inline
script or style, no framing, no sniffing, no referrer, nothing cached; links the app writes
start with the configured public address whatever Host a request claims; the forms filled
in before signing in cannot be posted from another site; a client's mistake is a 4xx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.domain.errors import InvalidInput
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from kneecoach.web.context import MAX_RECORD_ID
from tests.conftest import TODAY
from tests.web.conftest import PASSWORD, csrf, post_open_form

TEMPLATES = Path(__file__).parents[2] / "src" / "kneecoach" / "web" / "templates"


def test_a_personal_page_carries_the_protective_headers(owner):
    page = owner.get("/today")
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"


def test_the_api_is_not_cached_and_static_files_may_be(owner):
    assert owner.get("/api/v1/today").headers["cache-control"] == "no-store"
    static = owner.get("/static/app.css")
    assert static.status_code == 200 and "cache-control" not in static.headers
    assert static.headers["x-content-type-options"] == "nosniff"


def test_no_template_holds_inline_script_style_or_event_handlers():
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        scripts = re.findall(r"<script([^>]*)>", text)
        inline = [s for s in scripts if "src=" not in s and "application/json" not in s]
        assert inline == [], template.name
        assert not re.search(r"\sstyle=", text), template.name
        assert not re.search(r"\son[a-z]+=", text), template.name


def test_an_invitation_link_starts_with_the_public_address_not_the_requests_host(tmp_path):
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path),
            "KNEECOACH_PUBLIC_URL": "https://knee.example.org/",
        }
    )
    client = TestClient(create_app(settings, clock=FixedClock(TODAY)), follow_redirects=False)
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    token = csrf(client.get("/clinic").text)
    made = client.post("/clinic/invite", data={"csrf": token}, headers={"Host": "evil.example"})
    page = made
    links = re.findall(r'value="([^"]*/invite/[^"]+)"', page.text)
    assert links and all(link.startswith("https://knee.example.org/invite/") for link in links)
    assert "evil.example" not in page.text


@pytest.mark.parametrize("address", ["ftp://knee.example.org", "knee.example.org", "https://"])
def test_a_public_address_that_is_not_one_is_refused_by_name(address):
    with pytest.raises(InvalidInput, match="KNEECOACH_PUBLIC_URL"):
        load_settings({"KNEECOACH_PUBLIC_URL": address})


def test_a_login_posted_from_another_site_signs_no_one_in(owner, app):
    victim = TestClient(app, follow_redirects=False)
    forged = victim.post("/login", data={"name": "ana", "password": PASSWORD})
    assert forged.status_code == 403 and "another site" in forged.text
    assert "kc_session" not in victim.cookies
    stolen_field = victim.post(
        "/login", data={"name": "ana", "password": PASSWORD, "csrf": "guessed"}
    )
    assert stolen_field.status_code == 403
    assert post_open_form(victim, "/login", name="ana", password=PASSWORD).status_code == 303


def test_setup_posted_from_another_site_makes_no_owner(client):
    assert client.post("/setup", data={"name": "mallory", "password": PASSWORD}).status_code == 403
    assert client.get("/").headers["location"] == "/setup"


def test_a_name_or_password_of_megabytes_is_refused_before_any_work(client, owner):
    huge = post_open_form(client, "/login", name="a" * 100_000, password=PASSWORD)
    assert huge.status_code == 400
    long_password = post_open_form(client, "/login", name="ana", password="p" * 100_000)
    assert long_password.status_code == 400


def test_an_id_beyond_any_record_is_not_found_not_a_crash(owner):
    for runner_id in (MAX_RECORD_ID + 1, 10**22, 0, -1):
        page = owner.get(f"/clinic/runners/{runner_id}", headers={"Accept": "text/html"})
        assert page.status_code == 404 and "Not found" in page.text
    assert owner.get("/clinic/runners/abc").status_code == 404


def test_a_broken_json_body_is_a_bad_request(owner):
    token = csrf(owner.get("/today").text)
    sent = owner.post(
        "/session/sets",
        content=b"{not json",
        headers={"x-csrf-token": token, "content-type": "application/json"},
    )
    assert sent.status_code == 400 and sent.json()["detail"].startswith("the body is not JSON")


def test_a_page_for_people_says_what_went_wrong_in_words(owner):
    page = owner.get("/clinic/runners/99999", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "<h1>Not found</h1>" in page.text and '"detail"' not in page.text


def test_the_browsers_favicon_request_gets_the_apps_icon_not_a_404(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
    assert '<link rel="icon" href="/static/icon.svg"' in client.get("/", follow_redirects=True).text
