"""The app installable on a phone and its offline parts, without a browser: the manifest
and the service worker are served, valid and linked from every page; the pages' own POSTs
take an Idempotency-Key, as the API's do, so a report the player sends again after a lost
connection is stored once."""

from __future__ import annotations

import json
import re
import struct
import tempfile
import uuid

import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneecoach import __version__
from kneecoach.config import load_settings
from kneecoach.services.ports import FixedClock
from kneecoach.storage.tables import idempotency_keys, session_sets, sessions
from kneecoach.web.app import create_app
from tests.conftest import TODAY
from tests.web.conftest import BOTH_DATABASES, csrf, set_up_owner

DATABASES = BOTH_DATABASES

SET = {
    "exercise": "roll-down",
    "side": "both",
    "set_number": 1,
    "completed": True,
    "elapsed_seconds": 30,
}


def _count(app, table) -> int:
    with app.state.web.runtime.engine.connect() as c:
        return c.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_manifest_is_served_as_a_manifest_and_names_what_a_phone_needs(client):
    answer = client.get("/manifest.webmanifest")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/manifest+json")
    manifest = json.loads(answer.content)
    assert manifest["name"] == "kneecoach" and manifest["short_name"]
    assert manifest["start_url"] == "/today" and manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"])
    purposes = {icon["purpose"] for icon in manifest["icons"]}
    assert purposes == {"any", "maskable"}
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200, icon["src"]
        assert served.headers["content-type"].startswith(icon["type"])
        if icon["type"] == "image/png":
            width, height = _png_size(served.content)
            assert f"{width}x{height}" == icon["sizes"]
        else:
            assert served.text.startswith("<svg") and icon["sizes"] == "any"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes


def test_every_page_links_the_manifest_and_loads_the_offline_script(owner):
    for path in ("/login", "/today", "/session"):
        html = owner.get(path).text
        assert '<link rel="manifest" href="/manifest.webmanifest">' in html, path
        assert '<script src="/static/offline.js"></script>' in html, path


def test_the_service_worker_is_served_from_the_root_versioned_and_its_files_exist(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["cache-control"] == "no-cache"
    script = answer.text
    version = re.search(r'const VERSION = "([^"]+)";', script)
    assert version is not None and version.group(1).startswith(__version__ + "-")
    assert "__KNEECOACH_VERSION__" not in script
    shell = re.search(r"const SHELL_FILES = \[(.*?)\];", script, re.S)
    assert shell is not None
    files = re.findall(r'"([^"]+)"', shell.group(1))
    assert "/static/player.js" in files and "/static/app.css" in files
    for path in files:
        assert client.get(path).status_code == 200, path
    assert client.get("/static/sw.js").status_code == 404  # one worker, at the root


def test_a_newer_deployment_is_a_newer_worker(tmp_path, monkeypatch):
    from kneecoach.web import offline

    before = offline.worker_version()
    monkeypatch.setattr(offline, "STATIC", tmp_path)
    (tmp_path / "app.css").write_text("body { color: red }")
    assert offline.worker_version() != before
    (tmp_path / "app.css").write_text("body { color: blue }")
    changed = offline.worker_version()
    assert changed != before and changed.startswith(__version__ + "-")


def _keyed(owner, key: str, path: str = "/session/sets", body: object = SET):
    token = csrf(owner.get("/today").text)
    return owner.post(path, json=body, headers={"X-CSRF-Token": token, "Idempotency-Key": key})


def test_a_set_sent_again_under_its_key_is_stored_once_and_answered_as_the_first_time(app, owner):
    key = str(uuid.uuid4())
    first = _keyed(owner, key)
    again = _keyed(owner, key)
    assert first.status_code == 200 and first.json()["kept"] is True
    assert (again.status_code, again.json()) == (200, first.json())
    assert again.headers["idempotent-replayed"] == "true"
    assert _count(app, session_sets) == 1 and _count(app, idempotency_keys) == 1


def test_the_same_key_with_another_set_is_refused_and_stores_nothing(app, owner):
    key = str(uuid.uuid4())
    _keyed(owner, key)
    other = _keyed(owner, key, body={**SET, "set_number": 2})
    assert other.status_code == 422 and "different request" in other.json()["detail"]
    assert _count(app, session_sets) == 1


def test_a_keyed_post_without_the_pages_token_is_refused_and_claims_no_key(app, owner):
    answer = owner.post("/session/sets", json=SET, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code == 403
    assert _count(app, session_sets) == 0 and _count(app, idempotency_keys) == 0


def test_the_finish_sent_again_under_its_key_logs_the_session_once(app, owner):
    key = str(uuid.uuid4())
    _keyed(owner, str(uuid.uuid4()))
    token = csrf(owner.get("/today").text)
    headers = {"X-CSRF-Token": token, "Idempotency-Key": key}
    form = {"csrf": token, "pain": "2", "effort": "3"}
    first = owner.post("/session/finish", data=form, headers=headers)
    again = owner.post("/session/finish", data=form, headers=headers)
    assert first.status_code == again.status_code == 303
    assert first.headers["location"] == "/today"
    # the replay gives the status and body kept, not the headers: the player takes a 303
    # from /session/finish as logged
    assert again.headers["idempotent-replayed"] == "true"
    assert _count(app, sessions) == 1


def test_the_api_keeps_its_own_keys_and_the_pages_middleware_leaves_it_alone(app, owner):
    from tests.web.test_api import _token

    token = _token(owner)
    key = {"Idempotency-Key": str(uuid.uuid4()), "Authorization": f"Bearer {token}"}
    first = owner.post("/api/v1/checkins", json={"pain_morning": 1}, headers=key)
    again = owner.post("/api/v1/checkins", json={"pain_morning": 1}, headers=key)
    assert first.status_code in (200, 201)
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert _count(app, idempotency_keys) == 1


SETS = (
    SET,
    {**SET, "exercise": "bulgarian-split-squat", "side": "left"},
    {**SET, "exercise": "bulgarian-split-squat", "side": "right"},
    {**SET, "exercise": "bulgarian-split-squat", "side": "left", "set_number": 2},
    {**SET, "exercise": "bulgarian-split-squat", "side": "right", "set_number": 2},
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sends=st.lists(st.integers(0, len(SETS) - 1), min_size=1, max_size=12))
def test_however_often_and_in_whatever_order_the_device_sends_each_set_is_stored_once(sends):
    """The outbox sends again whatever it did not hear answered: every repeat under a set's
    key gets that set's first answer, and the server keeps no set twice."""
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            load_settings(
                {
                    "KNEECOACH_DATA_DIR": f"{folder}/data",
                    "KNEECOACH_DATABASE_URL": f"sqlite:///{folder}/kneecoach.db",
                }
            ),
            clock=FixedClock(TODAY),
        )
        owner = set_up_owner(TestClient(app, follow_redirects=False))
        token = csrf(owner.get("/today").text)
        keys = [str(uuid.uuid4()) for _ in SETS]
        first: dict[int, tuple[int, object]] = {}
        for index in sends:
            headers = {"X-CSRF-Token": token, "Idempotency-Key": keys[index]}
            answer = owner.post("/session/sets", json=SETS[index], headers=headers)
            got = (answer.status_code, answer.json())
            assert first.setdefault(index, got) == got
        kept = sum(1 for status, body in first.values() if status == 200 and body["kept"])
        assert _count(app, session_sets) == kept
        assert _count(app, idempotency_keys) == len(first)
