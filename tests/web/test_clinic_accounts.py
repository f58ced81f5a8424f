"""A clinic run without the terminal (issue 15 item 6), in the pages and the API: the owner
invites clinicians, a runner is handed over, passwords are changed, sessions and tokens
ended, and a runner leaves their clinician or their account."""

from __future__ import annotations

import datetime as dt
import re

from fastapi.testclient import TestClient

from tests.web.conftest import BOTH_DATABASES, PASSWORD, csrf, post_open_form
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join, _runner_id

DATABASES = BOTH_DATABASES

NEW_PASSWORD = "a much newer password"


def _invite_clinician(owner) -> str:
    page = owner.post("/clinic/clinicians/invite", data={"csrf": csrf(owner.get("/today").text)})
    assert page.status_code == 200
    link = re.search(r'value="(http[^"]+/invite/[^"]+)"', page.text).group(1)
    return link.rsplit("/", 1)[1]


def _clinician(app, owner, name: str = "bea") -> TestClient:
    colleague = TestClient(app, follow_redirects=False)
    joined = post_open_form(
        colleague, f"/invite/{_invite_clinician(owner)}", name=name, password=PASSWORD
    )
    assert joined.status_code == 303, joined.text
    return colleague


def _api(app, client) -> TestClient:
    return TestClient(app, headers={"Authorization": f"Bearer {_token(client)}"})


def test_the_owner_invites_a_clinician_on_the_public_address_and_they_join_once(app, owner):
    token = _invite_clinician(owner)
    page = owner.get("/clinic/clinicians")
    assert "Invite a clinician" in page.text
    colleague = TestClient(app, follow_redirects=False)
    joined = post_open_form(colleague, f"/invite/{token}", name="bea", password=PASSWORD)
    assert colleague.get(joined.headers["location"]).headers["location"] == "/clinic"
    assert colleague.get("/clinic").status_code == 200
    assert "bea" in owner.get("/clinic/clinicians").text
    assert colleague.get(f"/invite/{token}").status_code == 404
    # a clinician sees the clinic's clinicians but does not invite them
    assert "Invite a clinician" not in colleague.get("/clinic/clinicians").text
    refused = colleague.post(
        "/clinic/clinicians/invite", data={"csrf": csrf(colleague.get("/settings").text)}
    )
    assert refused.status_code == 404


def test_a_runner_handed_over_is_followed_by_the_colleague_and_not_the_giver(app, owner):
    colleague = _clinician(app, owner)
    runner = _join(app, _invite(owner), "rui")
    runner_id = _runner_id(owner)
    form = owner.get(f"/clinic/runners/{runner_id}/hand-over")
    assert form.status_code == 200 and "bea" in form.text
    bea = re.search(r'<option value="(\d+)">bea</option>', form.text).group(1)
    done = owner.post(
        f"/clinic/runners/{runner_id}/hand-over", data={"csrf": csrf(form.text), "to": bea}
    )
    assert done.status_code == 200 and "now followed by bea" in done.text
    assert owner.get(f"/clinic/runners/{runner_id}").status_code == 404
    assert colleague.get(f"/clinic/runners/{runner_id}").status_code == 200
    assert "handed over to bea" in runner.get("/settings/audit").text
    # the giver can hand over no more, a runner never
    again = owner.post(
        f"/clinic/runners/{runner_id}/hand-over", data={"csrf": csrf(form.text), "to": bea}
    )
    assert again.status_code == 404
    assert runner.get(f"/clinic/runners/{runner_id}/hand-over").status_code == 404


def test_a_hand_over_to_someone_who_is_not_a_colleague_is_refused_with_a_page(app, owner):
    _join(app, _invite(owner), "rui")
    runner_id = _runner_id(owner)
    form = owner.get(f"/clinic/runners/{runner_id}/hand-over").text
    for to in (runner_id, "x"):
        answer = owner.post(
            f"/clinic/runners/{runner_id}/hand-over", data={"csrf": csrf(form), "to": to}
        )
        assert answer.status_code == 400
    assert owner.get(f"/clinic/runners/{runner_id}").status_code == 200


def test_a_password_change_needs_the_current_one_and_signs_out_everywhere_else(app, owner):
    elsewhere = TestClient(app, follow_redirects=False)
    post_open_form(elsewhere, "/login", name="ana", password=PASSWORD)
    assert elsewhere.get("/settings").status_code == 200
    token = csrf(owner.get("/settings/account").text)
    wrong = owner.post(
        "/settings/password", data={"csrf": token, "current": "not it at all", "new": NEW_PASSWORD}
    )
    assert wrong.status_code == 400 and "current password is not right" in wrong.text
    assert elsewhere.get("/settings").status_code == 200
    done = owner.post(
        "/settings/password", data={"csrf": token, "current": PASSWORD, "new": NEW_PASSWORD}
    )
    assert done.status_code == 200 and "Your password is changed" in done.text
    assert owner.get("/settings").status_code == 200
    assert elsewhere.get("/settings").headers["location"] == "/login"
    again = TestClient(app, follow_redirects=False)
    assert post_open_form(again, "/login", name="ana", password=NEW_PASSWORD).status_code == 303


def test_sessions_are_listed_and_another_one_is_ended_from_the_page(app, owner):
    elsewhere = TestClient(app, follow_redirects=False)
    post_open_form(elsewhere, "/login", name="ana", password=PASSWORD)
    page = owner.get("/settings/account").text
    keys = re.findall(r'name="key" value="([0-9a-f]+)"', page)
    assert len(keys) == 2 and "(this browser)" in page
    ends = r'name="key" value="([0-9a-f]+)">\s*<button class="secondary flush" type="submit">End<'
    (other,) = re.findall(ends, page)
    ended = owner.post("/settings/sessions/end", data={"csrf": csrf(page), "key": other})
    assert ended.status_code == 303
    assert elsewhere.get("/settings").headers["location"] == "/login"
    assert owner.get("/settings").status_code == 200
    unknown = owner.post("/settings/sessions/end", data={"csrf": csrf(page), "key": "ab"})
    assert unknown.status_code == 404


def test_an_api_token_is_revoked_from_the_page_and_stops_working(app, owner):
    api = _api(app, owner)
    assert api.get("/api/v1/tokens").status_code == 200
    page = owner.get("/settings/account").text
    assert "my script" in page
    key = re.search(
        r'action="/settings/tokens/revoke">.*?name="key" value="([0-9a-f]+)"', page, re.S
    ).group(1)
    assert (
        owner.post("/settings/tokens/revoke", data={"csrf": csrf(page), "key": key}).status_code
        == 303
    )
    assert api.get("/api/v1/tokens").status_code == 401


def test_a_runner_who_leaves_their_clinician_is_not_found_by_them_any_more(app, owner):
    runner = _join(app, _invite(owner), "rui")
    runner_id = _runner_id(owner)
    clinician_api = _api(app, owner)
    assert clinician_api.get(f"/api/v1/runners/{runner_id}").status_code == 200
    page = runner.get("/settings/account").text
    assert "ana" in page
    owner_id = re.search(r'name="clinician" value="(\d+)"', page).group(1)
    left = runner.post(
        "/settings/clinicians/leave", data={"csrf": csrf(page), "clinician": owner_id}
    )
    assert left.status_code == 200 and "You have left ana" in left.text
    assert owner.get(f"/clinic/runners/{runner_id}").status_code == 404
    assert clinician_api.get(f"/api/v1/runners/{runner_id}").status_code == 404
    assert "rui" not in owner.get("/clinic").text


def test_a_runner_deletes_their_account_with_their_password_and_it_is_gone(app, owner):
    runner = _join(app, _invite(owner), "rui")
    runner_id = _runner_id(owner)
    assert runner.get("/settings/data/backup.json").status_code == 200
    page = runner.get("/settings/account").text
    wrong = runner.post("/settings/delete", data={"csrf": csrf(page), "password": "not it at all"})
    assert wrong.status_code == 400 and "nothing was deleted" in wrong.text
    done = runner.post("/settings/delete", data={"csrf": csrf(page), "password": PASSWORD})
    assert done.status_code == 200 and "Your account is deleted" in done.text
    assert runner.get("/today").headers["location"] == "/login"
    assert owner.get(f"/clinic/runners/{runner_id}").status_code == 404
    again = TestClient(app, follow_redirects=False)
    assert post_open_form(again, "/login", name="rui", password=PASSWORD).status_code == 401


def test_the_owner_cannot_delete_their_account_from_the_page(app, owner):
    page = owner.get("/settings/account").text
    assert "Delete my account" not in page
    answer = owner.post("/settings/delete", data={"csrf": csrf(page), "password": PASSWORD})
    assert answer.status_code == 400 and "only a runner" in answer.text


# the API ------------------------------------------------------------------------------
def test_the_api_invites_a_clinician_for_the_owner_only(app, owner):
    api = _api(app, owner)
    made = api.post("/api/v1/clinicians/invitations")
    assert made.status_code == 201
    link = made.json()["link"]
    assert link.startswith("http") and "/invite/" in link
    colleague = TestClient(app, follow_redirects=False)
    post_open_form(colleague, "/invite/" + link.rsplit("/", 1)[1], name="bea", password=PASSWORD)
    assert [c["name"] for c in api.get("/api/v1/clinicians").json()] == ["bea"]
    bea_api = _api(app, colleague)
    assert bea_api.post("/api/v1/clinicians/invitations").status_code == 403
    runner_api = _api(app, _join(app, _invite(owner), "rui"))
    assert runner_api.get("/api/v1/clinicians").status_code == 403


def test_the_api_hands_a_runner_over_and_refuses_anyone_elses(app, owner):
    colleague = _clinician(app, owner)
    runner = _join(app, _invite(owner), "rui")
    runner_id = int(_runner_id(owner))
    api, bea_api = _api(app, owner), _api(app, colleague)
    (bea,) = api.get("/api/v1/clinicians").json()
    assert (
        api.post(
            f"/api/v1/runners/{runner_id}/hand-over", json={"clinician_id": runner_id}
        ).status_code
        == 422
    )
    assert (
        bea_api.post(
            f"/api/v1/runners/{runner_id}/hand-over", json={"clinician_id": bea["id"]}
        ).status_code
        == 404
    )
    done = api.post(f"/api/v1/runners/{runner_id}/hand-over", json={"clinician_id": bea["id"]})
    assert done.status_code == 200
    assert done.json() == {
        "runner_id": runner_id,
        "runner": "rui",
        "clinician_id": bea["id"],
        "clinician": "bea",
        "runner_told": False,
    }
    assert api.get(f"/api/v1/runners/{runner_id}").status_code == 404
    assert bea_api.get(f"/api/v1/runners/{runner_id}").status_code == 200
    actions = [e["action"] for e in _api(app, runner).get("/api/v1/me/audit").json()]
    assert "handed over to bea" in actions


def test_the_api_changes_the_password_and_ends_the_web_sessions(app, owner):
    api = _api(app, owner)
    (session,) = api.get("/api/v1/web-sessions").json()
    assert set(session) == {"key", "created_at", "expires_at"}
    wrong = api.put(
        "/api/v1/password",
        json={"current_password": "nope nope nope", "new_password": NEW_PASSWORD},
    )
    assert wrong.status_code == 422
    done = api.put(
        "/api/v1/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert done.status_code == 204
    assert api.get("/api/v1/web-sessions").json() == []
    assert owner.get("/settings").headers["location"] == "/login"


def test_the_api_ends_a_session_and_revokes_a_token_by_key(app, owner):
    api = _api(app, owner)
    (session,) = api.get("/api/v1/web-sessions").json()
    assert api.delete("/api/v1/web-sessions/abcdef").status_code == 404
    assert api.delete(f"/api/v1/web-sessions/{session['key']}").status_code == 204
    assert owner.get("/settings").headers["location"] == "/login"
    (token,) = api.get("/api/v1/tokens").json()
    assert token["name"] == "my script"
    assert api.delete("/api/v1/tokens/not-hex").status_code == 422
    assert api.delete(f"/api/v1/tokens/{token['key']}").status_code == 204
    assert api.get("/api/v1/tokens").status_code == 401


def test_the_api_lets_a_runner_leave_and_delete_their_account(app, owner):
    runner_api = _api(app, _join(app, _invite(owner), "rui"))
    runner_id = int(_runner_id(owner))
    clinician_api = _api(app, owner)
    (clinician,) = runner_api.get("/api/v1/my-clinicians").json()
    assert clinician["name"] == "ana"
    assert runner_api.delete("/api/v1/my-clinicians/999").status_code == 404
    assert runner_api.delete(f"/api/v1/my-clinicians/{clinician['id']}").status_code == 204
    assert clinician_api.get(f"/api/v1/runners/{runner_id}").status_code == 404
    assert runner_api.get("/api/v1/export/backup").status_code == 200
    assert (
        runner_api.post("/api/v1/account/delete", json={"password": "nope nope nope"}).status_code
        == 422
    )
    assert runner_api.post("/api/v1/account/delete", json={"password": PASSWORD}).status_code == 204
    assert runner_api.get("/api/v1/my-clinicians").status_code == 401


def test_a_new_password_longer_than_anyone_types_is_refused_not_cut_short(app, owner):
    token = csrf(owner.get("/settings/account").text)
    answer = owner.post(
        "/settings/password", data={"csrf": token, "current": PASSWORD, "new": "x" * 5000}
    )
    assert answer.status_code == 400 and "at most 1024 characters" in answer.text
    again = TestClient(app, follow_redirects=False)
    assert post_open_form(again, "/login", name="ana", password=PASSWORD).status_code == 303


def test_each_new_page_answers_each_role_by_its_rule(app, owner):
    """The route × role rules of the pages added here: a runner reaches none of the clinic's,
    a clinician sees the clinicians but invites none and hands over only their own runners,
    the owner does all; everyone has their account page."""
    colleague = _clinician(app, owner)
    runner = _join(app, _invite(owner), "rui")
    runner_id = _runner_id(owner)
    rules = {
        ("GET", "/clinic/clinicians"): (404, 200, 200),
        ("POST", "/clinic/clinicians/invite"): (404, 404, 200),
        ("GET", f"/clinic/runners/{runner_id}/hand-over"): (404, 404, 200),
        ("GET", "/settings/account"): (200, 200, 200),
    }
    for (method, path), expected in rules.items():
        answers = tuple(
            who.request(method, path, data={"csrf": csrf(who.get("/settings").text)}).status_code
            if method == "POST"
            else who.get(path).status_code
            for who in (runner, colleague, owner)
        )
        assert answers == expected, (method, path)


def _account_label(client) -> str:
    found = re.search(r'<meta name="kneecoach-user" content="([^"]+)"', client.get("/today").text)
    assert found is not None
    return found.group(1)


def test_a_deleted_accounts_id_given_again_is_another_account_to_the_device(tmp_path):
    """What a device keeps for sending is filed under the account's label: when SQLite gives
    a deleted account's id to the next account, the label differs, so a check-in kept
    offline for the one who left is never sent as the newcomer's (web/static/offline.js)."""
    from kneecoach.config import load_settings
    from kneecoach.web.app import create_app
    from tests.conftest import TODAY
    from tests.helpers import Calendar
    from tests.web.conftest import set_up_owner

    clock = Calendar(TODAY - dt.timedelta(days=1))
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
            "KNEECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'kneecoach.db'}",
        }
    )
    app = create_app(settings, clock=clock)
    owner = set_up_owner(TestClient(app, follow_redirects=False))
    leaving = _join(app, _invite(owner), "cy")
    leaving_id = _runner_id(owner)
    label = _account_label(leaving)
    page = leaving.get("/settings/account").text
    gone = leaving.post("/settings/delete", data={"csrf": csrf(page), "password": PASSWORD})
    assert gone.status_code == 200
    clock.day = TODAY
    newcomer = _join(app, _invite(owner), "dee")
    assert _runner_id(owner) == leaving_id  # the same id, given again
    assert label.split("-")[0] == _account_label(newcomer).split("-")[0] == str(leaving_id)
    assert _account_label(newcomer) != label
