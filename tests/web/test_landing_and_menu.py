"""Each person lands where they work after signing in, and a clinician's compact menu bar
leads with the clinic (issue 16): a clinician, or an owner who follows runners, at the clinic
(an owner with a program of their own too); a runner, or an owner with a program and nobody
to follow, at today; onboarding only for someone with nothing set up yet. A runner's bar is
as it was: Today, Check-in and Runs, and no clinic."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, csrf, post_open_form
from tests.web.test_clinic import _join
from tests.web.test_clinic_accounts import _clinician


def _landing(app, name: str) -> str:
    """Where ``name`` lands after signing in afresh: the login's redirect followed to the
    page it ends on."""
    browser = TestClient(app, follow_redirects=False)
    sent = post_open_form(browser, "/login", name=name, password=PASSWORD)
    assert sent.status_code == 303, sent.text
    where = sent.headers["location"]
    for _ in range(5):
        answer = browser.get(where)
        if answer.status_code != 303:
            assert answer.status_code == 200, (where, answer.text)
            return where
        where = answer.headers["location"]
    raise AssertionError(f"{name} went round in redirects")


def _invite_from_the_clinic(clinician) -> str:
    """An invitation made from the clinic page (which an owner without a program can open:
    their today is onboarding)."""
    made = clinician.post("/clinic/invite", data={"csrf": csrf(clinician.get("/clinic").text)})
    page = made.text
    return re.search(r"/invite/([A-Za-z0-9_\-]+)", page).group(1)


def _bar(html: str) -> list[str]:
    """The links of the phone's compact bar, in order (the menu's are after them)."""
    narrow = html.split('<nav aria-label="Main" class="narrow">', 1)[1].split("<details", 1)[0]
    return re.findall(r">([^<>]+)</a>", narrow)


def _menu(html: str) -> list[str]:
    narrow = html.split('<nav aria-label="Main" class="narrow">', 1)[1].split("</nav>", 1)[0]
    return re.findall(r">([^<>]+)</a>", narrow.split("<details", 1)[1])


def test_an_owner_with_a_program_who_follows_runners_lands_on_the_clinic(app, owner):
    _join(app, _invite_from_the_clinic(owner), "ben")
    assert _landing(app, "ana") == "/clinic"


def test_an_owner_who_follows_runners_but_has_no_program_lands_on_the_clinic_not_onboarding(
    app, client
):
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    assert _landing(app, "ana") == "/onboarding"  # nothing set up yet, nobody followed
    _join(app, _invite_from_the_clinic(client), "ben")
    assert _landing(app, "ana") == "/clinic"
    assert _landing(app, "ana") == "/clinic"  # every sign-in, not only the first


def test_an_owner_with_a_program_and_nobody_to_follow_lands_on_today(app, owner):
    assert _landing(app, "ana") == "/today"


def test_a_runner_lands_on_today_once_set_up_and_on_onboarding_before(app, owner):
    _join(app, _invite_from_the_clinic(owner), "ben")
    assert _landing(app, "ben") == "/today"
    joined = TestClient(app, follow_redirects=False)
    post_open_form(
        joined, f"/invite/{_invite_from_the_clinic(owner)}", name="cy", password=PASSWORD
    )
    assert _landing(app, "cy") == "/onboarding"


def test_a_clinician_lands_on_the_clinic_with_runners_or_without(app, owner):
    _clinician(app, owner, "bea")
    assert _landing(app, "bea") == "/clinic"  # nobody yet: the clinic is where they invite
    bea = TestClient(app, follow_redirects=False)
    post_open_form(bea, "/login", name="bea", password=PASSWORD)
    _join(app, _invite_from_the_clinic(bea), "dov")
    assert _landing(app, "bea") == "/clinic"


def test_a_clinicians_compact_bar_leads_with_the_clinic_and_keeps_today(app, owner):
    bea = _clinician(app, owner, "bea")
    for page in ("/clinic", "/settings", "/learn"):
        html = bea.get(page).text
        assert _bar(html) == ["Clinic", "Today"], page
        menu = _menu(html)
        assert {"Check-in", "Runs", "Progress", "Training load", "Settings"} <= set(menu)
        assert "Clinic" not in menu and "Today" not in menu  # each page once
    # the wide bar lists every page, the clinic first
    wide = bea.get("/clinic").text.split('class="wide">', 1)[1].split("</nav>", 1)[0]
    links = re.findall(r">([^<>]+)</a>", wide)
    assert links[:3] == ["Clinic", "Today", "Check-in"] and links.count("Clinic") == 1


def test_the_owners_compact_bar_has_today_the_clinic_and_the_check_in(app, owner):
    """The owner is often their own first runner as well as a clinician."""
    for page in ("/today", "/clinic", "/settings"):
        html = owner.get(page).text
        assert _bar(html) == ["Today", "Clinic", "Check-in"], page
        menu = _menu(html)
        assert {"Runs", "Progress", "Training load", "Settings"} <= set(menu)
        assert not {"Clinic", "Today", "Check-in"} & set(menu)  # each page once


def test_a_runners_compact_bar_is_unchanged_and_has_no_clinic(app, owner):
    ben = _join(app, _invite_from_the_clinic(owner), "ben")
    html = ben.get("/today").text
    assert _bar(html) == ["Today", "Check-in", "Runs"]
    assert "Clinic" not in _menu(html) and 'href="/clinic"' not in html


def test_a_new_owner_on_the_programs_form_is_pointed_to_the_clinic_and_a_runner_is_not(app, client):
    """The owner of a clinic lands on setting up a program of their own; the page says a
    clinician needs none and where runners are invited (the cold walk's find)."""
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    form = client.get("/onboarding").text
    assert "Here to follow runners as their clinician?" in form and 'href="/clinic"' in form
    joined = TestClient(app)
    post_open_form(
        joined, f"/invite/{_invite_from_the_clinic(client)}", name="cy", password=PASSWORD
    )
    assert "Here to follow runners" not in joined.get("/onboarding").text
