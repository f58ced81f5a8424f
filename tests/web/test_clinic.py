"""A clinician invites and follows runners; nobody reads anyone else's data."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import TODAY
from tests.web.conftest import BOTH_DATABASES, PASSWORD, csrf, post_open_form

DATABASES = BOTH_DATABASES


def _invite(clinician) -> str:
    token = csrf(clinician.get("/today").text)
    response = clinician.post("/clinic/invite", data={"csrf": token})
    assert response.status_code == 200 and "link=" not in response.headers.get("location", "")
    link = response.text
    return re.search(r"/invite/([A-Za-z0-9_\-]+)", link).group(1)


def _join(app, invite: str, name: str) -> TestClient:
    runner = TestClient(app, follow_redirects=False)
    joined = post_open_form(runner, f"/invite/{invite}", name=name, password=PASSWORD)
    assert joined.status_code == 303, joined.text
    token = csrf(runner.get("/onboarding").text)
    runner.post(
        "/onboarding",
        data={
            "csrf": token,
            "knee": "right",
            "pain_rest": "1",
            "pain_running": "2",
            "sessions_per_week": "7",
            "no_red_flags": "1",
            "age_band": "16-50",
        },
    )
    return runner


def _runner_id(clinician) -> str:
    return re.search(r"/clinic/runners/(\d+)", clinician.get("/clinic").text).group(1)


def _prescribe(client, runner_id, token, **changes):
    """Post the prescription form: kneeling fire hydrant, 3 × 12, unless told otherwise
    (a change given as None leaves that field out)."""
    fields = {"exercise": "fire-hydrant", "variant": "kneeling", "sets": "3", "amount": "12"}
    fields |= {"load": "0"} | changes
    data = {"csrf": token} | {k: v for k, v in fields.items() if v is not None}
    return client.post(f"/clinic/runners/{runner_id}/prescribe", data=data)


def test_a_clinician_invites_a_runner_who_joins_once(app, owner):
    invite = _invite(owner)
    runner = _join(app, invite, "ben")
    assert "Roll down" in runner.get("/today").text
    again = post_open_form(
        TestClient(app, follow_redirects=False), f"/invite/{invite}", name="eve", password=PASSWORD
    )
    assert again.status_code == 400 and "used, expired or unknown" in again.text
    assert TestClient(app).get(f"/invite/{invite}").status_code == 404


def test_an_invitation_link_goes_in_no_address_and_no_address_makes_one_shown(app, owner):
    made = owner.post("/clinic/invite", data={"csrf": csrf(owner.get("/today").text)})
    assert made.status_code == 200 and "location" not in made.headers  # no ?link= to keep
    assert 'aria-label="Invitation link"' in made.text
    pasted = owner.get("/clinic?link=anything-at-all").text
    assert "anything-at-all" not in pasted and 'aria-label="Invitation link"' not in pasted


def test_the_clinician_sees_each_runners_adherence_pain_and_levels(app, owner):
    runner = _join(app, _invite(owner), "ben")
    token = csrf(runner.get("/today").text)
    runner.post("/log", data={"csrf": token, "pain": "3", "effort": "5"})
    dashboard = owner.get("/clinic").text
    assert "ben" in dashboard and "3/10" in dashboard
    runner_id = re.search(r"/clinic/runners/(\d+)", dashboard).group(1)
    detail = owner.get(f"/clinic/runners/{runner_id}").text
    assert "27/27" in detail and "Bulgarian split squat" in detail
    token = csrf(detail)
    pinned = owner.post(
        f"/clinic/runners/{runner_id}/pin",
        data={"csrf": token, "exercise": "fire-hydrant", "pinned": "1"},
    )
    assert pinned.status_code == 303
    assert "(pinned)" in owner.get(f"/clinic/runners/{runner_id}").text


def test_a_runner_cannot_reach_the_clinic_or_another_runner(app, owner):
    ben = _join(app, _invite(owner), "ben")
    cai = _join(app, _invite(owner), "cai")
    ids = re.findall(r"/clinic/runners/(\d+)", owner.get("/clinic").text)
    assert len(ids) == 2
    for runner in (ben, cai):
        assert runner.get("/clinic").status_code == 404
        for runner_id in ids:
            assert runner.get(f"/clinic/runners/{runner_id}").status_code == 404
        token = csrf(runner.get("/today").text)
        assert runner.post("/clinic/invite", data={"csrf": token}).status_code == 404
        assert (
            runner.post(
                f"/clinic/runners/{ids[0]}/pin",
                data={"csrf": token, "exercise": "fire-hydrant", "pinned": "1"},
            ).status_code
            == 404
        )


def test_a_clinician_sees_only_their_own_runners(app, owner):
    _join(app, _invite(owner), "ben")
    ids = re.findall(r"/clinic/runners/(\d+)", owner.get("/clinic").text)
    owner_id = int(ids[0]) - 1  # the owner's own account, by guessing
    for guess in (owner_id, int(ids[0]) + 1, 999):
        assert owner.get(f"/clinic/runners/{guess}").status_code == 404


def test_anonymous_visitors_get_nothing_from_the_clinic(app, owner):
    _join(app, _invite(owner), "ben")
    stranger = TestClient(app, follow_redirects=False)
    assert stranger.get("/clinic").status_code == 303
    assert stranger.get("/clinic/runners/2").status_code == 303


def test_a_clinician_prescribes_and_the_runner_sees_it_with_the_note(app, owner):
    runner = _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    token = csrf(owner.get(f"/clinic/runners/{runner_id}").text)
    done = _prescribe(owner, runner_id, token, note="Kneeling until the knee settles", pinned="1")
    assert done.status_code == 303
    today = runner.get("/today").text
    assert "3 sets × 12 reps per side" in today and "Kneeling on all fours" in today
    progress = runner.get("/progress").text
    assert "Kneeling until the knee settles" in progress and "your clinician" in progress
    wrong = _prescribe(owner, runner_id, token, variant="weighted", load="4")
    assert wrong.status_code == 400 and "has no variant" in wrong.text


def test_the_prescribe_form_starts_from_where_each_exercise_stands(app, owner):
    _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    token = csrf(owner.get(f"/clinic/runners/{runner_id}").text)
    assert _prescribe(owner, runner_id, token, pinned="1").status_code == 303
    page = owner.get(f"/clinic/runners/{runner_id}").text
    hydrant = re.search(r'<option value="fire-hydrant"([^>]*)>', page).group(1)
    assert 'data-variant="kneeling"' in hydrant
    assert 'data-sets="3"' in hydrant and 'data-amount="12"' in hydrant
    assert 'data-load="0"' in hydrant
    stretch = re.search(r'<option value="hip-flexor-stretch"([^>]*)>', page).group(1)
    assert 'data-amount="40"' in stretch  # a hold: its seconds
    # the form as sent, before any script: the first exercise's level, its variant chosen
    assert "Roll down now: 1 × 10 reps" in page
    assert re.search(r'id="sets"[^>]*value="1"', page) and re.search(
        r'id="amount"[^>]*value="10"', page
    )


def test_a_clinician_prescribes_a_smaller_range_and_the_runner_is_told_it(app, owner):
    """The cold walk's find: the form had no range of motion, so a note saying 'only as
    deep as is comfortable' stood under 'full range'."""
    runner = _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    page = owner.get(f"/clinic/runners/{runner_id}").text
    assert '<option value="partial">Partial range</option>' in page
    token = csrf(page)
    squat = {"exercise": "bulgarian-split-squat", "variant": "body-weight", "sets": "2"}
    done = _prescribe(owner, runner_id, token, **squat, amount="12", range="partial")
    assert done.status_code == 303
    assert "partial range: bend to about 45°" in runner.get("/today").text
    kept = _prescribe(owner, runner_id, token, **squat, amount="10", range="")
    assert kept.status_code == 303  # as it is now: the range stays partial
    assert "partial range: bend to about 45°" in runner.get("/today").text
    wrong = _prescribe(owner, runner_id, token, **squat, amount="10", range="deep")
    assert wrong.status_code == 400


def test_a_runner_cannot_prescribe(app, owner):
    runner = _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    token = csrf(runner.get("/today").text)
    refused = _prescribe(runner, runner_id, token, sets="9", amount="30", load=None)
    assert refused.status_code == 404


def test_a_runners_kept_today_page_changes_when_a_clinician_elsewhere_prescribes(app, owner):
    """Today pages are kept rendered per process; a change written by another process (or
    anything else) must still show on the next visit."""
    from kneecoach.services.ports import FixedClock
    from kneecoach.web.app import create_app

    runner = _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    before = runner.get("/today").text
    assert runner.get("/today").text == before  # served from what was kept
    assert "3 sets × 12 reps per side" not in before
    elsewhere = TestClient(
        create_app(app.state.settings, clock=FixedClock(TODAY)), follow_redirects=False
    )
    post_open_form(elsewhere, "/login", name="ana", password=PASSWORD)
    token = csrf(elsewhere.get(f"/clinic/runners/{runner_id}").text)
    _prescribe(elsewhere, runner_id, token)
    assert "3 sets × 12 reps per side" in runner.get("/today").text
    runner_token = csrf(before)
    runner.post("/log", data={"csrf": runner_token, "pain": "2", "effort": "4"})
    assert "Logged for today" in runner.get("/today").text


def test_the_dashboard_puts_runners_with_warnings_first_and_sorts_by_any_column(app, owner):
    ben = _join(app, _invite(owner), "ben")
    cal = _join(app, _invite(owner), "cal")
    ben.post("/log", data={"csrf": csrf(ben.get("/today").text), "pain": "6", "effort": "5"})
    cal.post("/log", data={"csrf": csrf(cal.get("/today").text), "pain": "1", "effort": "3"})
    dashboard = owner.get("/clinic").text
    assert dashboard.index(">ben<") < dashboard.index(">cal<")
    assert "last session too much: pain during reached 6/10 (above 5)" in dashboard
    assert "[Silbernagel 2007" in dashboard
    assert 'aria-sort="descending"' in dashboard
    by_name = owner.get("/clinic?sort=name&order=desc").text
    assert by_name.index(">cal<") < by_name.index(">ben<")
    by_pain = owner.get("/clinic?sort=pain").text
    assert "6/10 (avg 6.0)" in by_pain and "1/10 (avg 1.0)" in by_pain
    assert owner.get("/clinic?sort=shoe-size").status_code == 400
    assert owner.get("/clinic?sort=name&order=sideways").status_code == 400


def test_a_clinician_prescribes_a_stretch_in_seconds_held(app, owner):
    runner = _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    token = csrf(owner.get(f"/clinic/runners/{runner_id}").text)
    done = _prescribe(
        owner, runner_id, token, exercise="hip-flexor-stretch", variant="kneeling", amount="45"
    )
    assert done.status_code == 303
    assert "3 rounds × 45 s hold per side" in runner.get("/today").text
    assert "3 × 45 s hold (kneeling)" in owner.get(f"/clinic/runners/{runner_id}").text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sets": "11"}, "sets must be from 1 to 10, not 11"),
        ({"sets": "three"}, "sets must be a whole number"),
        ({"amount": None}, "reps or hold must be a whole number"),
        ({"amount": "250"}, "reps must be from 1 to 200"),
        ({"load": "heavy"}, "load must be a number of kg, not &#39;heavy&#39;"),
        ({"load": "nan"}, "load must be a number of kg"),
        ({"exercise": "backflip"}, "no exercise matches &#39;backflip&#39;"),
        ({"variant": "standing", "load": "2"}, "the standing variant takes no load"),
    ],
)
def test_a_prescription_that_cannot_be_right_is_refused_and_nothing_changes(
    app, owner, changes, message
):
    _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    before = owner.get(f"/clinic/runners/{runner_id}").text
    refused = _prescribe(owner, runner_id, csrf(before), **changes)
    assert refused.status_code == 400 and message in refused.text
    assert owner.get(f"/clinic/runners/{runner_id}").text == before


def test_pinning_an_exercise_that_is_not_there_is_refused_with_a_page(app, owner):
    _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    token = csrf(owner.get(f"/clinic/runners/{runner_id}").text)
    refused = owner.post(
        f"/clinic/runners/{runner_id}/pin",
        data={"csrf": token, "exercise": "backflip", "pinned": "1"},
    )
    assert refused.status_code == 400 and "no exercise matches" in refused.text
    assert f'href="/clinic/runners/{runner_id}"' in refused.text


def test_a_runner_without_a_program_cannot_be_prescribed_for(app, owner):
    invite = _invite(owner)
    post_open_form(TestClient(app), f"/invite/{invite}", name="dee", password=PASSWORD)
    runner_id = _runner_id(owner)
    page = owner.get(f"/clinic/runners/{runner_id}").text
    assert "dee has not set up a program yet" in page
    refused = _prescribe(owner, runner_id, csrf(page))
    assert refused.status_code == 400 and "has not set up a program yet" in refused.text


def test_a_runner_cannot_undo_the_clinicians_prescription_and_is_told_why(app, owner):
    runner = _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    token = csrf(owner.get(f"/clinic/runners/{runner_id}").text)
    _prescribe(owner, runner_id, token, sets="3", amount="20", note="three by twenty", pinned="1")
    page = runner.post(
        "/progress/undo", data={"csrf": csrf(runner.get("/today").text)}, follow_redirects=True
    ).text
    assert "Not undone: the latest decision is your clinician&#39;s" in page
    assert "only a clinician changes it" in page
    assert "3 sets × 20 reps per side" in runner.get("/today").text
