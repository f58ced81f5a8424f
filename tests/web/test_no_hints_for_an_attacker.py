"""What a probe found and no test held yet: an unknown name costs the same password check as
a known one and gets the same answer (no enumeration by timing or by words), and an id past
anything either database holds is "not found" or refused in the API as on the pages, never
a server error."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type
from fastapi.testclient import TestClient

from kneecoach.services import accounts
from kneecoach.web.api.access import MAX_ID
from kneecoach.web.context import MAX_RECORD_ID
from tests.web.conftest import BOTH_DATABASES, post_open_form
from tests.web.test_api import _token

DATABASES = BOTH_DATABASES


class CountingHasher(PasswordHasher):
    """The suite's cheap hasher, counting the password checks it makes."""

    checks = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        CountingHasher.checks += 1
        return super().verify(hash, password)


@pytest.fixture
def counted(monkeypatch) -> type[CountingHasher]:
    hasher = CountingHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    monkeypatch.setattr(accounts, "_hasher", lambda: hasher)
    CountingHasher.checks = 0
    return CountingHasher


def test_an_unknown_name_costs_one_password_check_like_a_known_one(app, owner, counted):
    """The owner is ana; 'anna' has no account. Each wrong log-in hashes the password once."""
    checks = []
    answers = []
    for name in ("ana", "anna", "ana", "nobody at all"):
        stranger = TestClient(app, follow_redirects=False)
        before = counted.checks
        answer = post_open_form(stranger, "/login", name=name, password="not the password")
        checks.append(counted.checks - before)
        answers.append((answer.status_code, "that name and password do not match" in answer.text))
    assert checks == [1, 1, 1, 1]
    assert set(answers) == {(401, True)}


@pytest.mark.parametrize("huge", [MAX_ID + 1, 2**63, 10**22])
def test_an_id_past_any_record_is_refused_or_not_found_in_the_api_never_a_crash(app, owner, huge):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    for method, path, body in [
        ("GET", f"/api/v1/runners/{huge}", None),
        ("GET", f"/api/v1/runners/{huge}/history", None),
        ("POST", f"/api/v1/runners/{huge}/pins", {"exercise": "roll-down"}),
        ("POST", f"/api/v1/runners/{huge}/hand-over", {"clinician_id": huge}),
        ("GET", f"/api/v1/jobs/{huge}", None),
        ("GET", f"/api/v1/runs/{huge}", None),
        ("PUT", f"/api/v1/runs/{huge}/effort", {"effort": 3}),
        ("DELETE", f"/api/v1/my-clinicians/{huge}", None),
    ]:
        answer = api.request(method, path, json=body)
        assert answer.status_code in (404, 422), (path, answer.status_code)
        assert "detail" in answer.json()


@pytest.mark.parametrize("huge", [2**31, MAX_RECORD_ID, MAX_RECORD_ID + 1, 10**22])
def test_an_id_past_any_record_is_not_found_on_the_pages_never_a_crash(owner, huge):
    for path in (
        f"/clinic/runners/{huge}",
        f"/clinic/runners/{huge}/hand-over",
        f"/runs/jobs/{huge}",
        f"/runs/jobs/{huge}/progress",
    ):
        assert owner.get(path).status_code == 404, path
