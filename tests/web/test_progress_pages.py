"""The progress, AKPS and review pages show what the views carry: the bands the charts
shade with their meaning and sources, the AKPS guidance and due date, and each line of the
review with its sources."""

from __future__ import annotations

import datetime as dt

from tests.conftest import TODAY
from tests.web.conftest import csrf

ALL_BEST = {f"item{n}": "1" for n in range(1, 14)}


def test_the_progress_page_names_each_shaded_band_with_its_sources(owner):
    token = csrf(owner.get("/today").text)
    owner.post("/log", data={"csrf": token, "pain": "2", "effort": "5"})
    owner.post("/akps", data={"csrf": token, **ALL_BEST})
    page = owner.get("/progress").text
    assert "Shaded: the ideal band, 2/10 or less [Silbernagel 2007; Thomee 1997]" in page
    assert "Shaded: the acceptable band, up to 5/10 [Silbernagel 2007; Thomee 1997]" in page
    # each band is named on the chart itself, not only beneath it
    assert '<text class="band-label"' in page and ">the acceptable band, up to 5/10</text>" in page
    assert "Shaded: within the 10-point MCID of the first score [Crossley 2004]" in page
    assert "A change of 10 points or more from the first AKPS is one that matters." in page
    due = TODAY + dt.timedelta(days=7)
    assert f"The next AKPS is due on {due:%A %d %B}." in page


def test_the_akps_form_cites_the_scale_and_scoring_says_what_comes_next(owner):
    form = owner.get("/akps").text
    assert "Kujala et al., Arthroscopy 1993;9(2):159-163" in form
    assert form.count('type="radio"') == 3 + 3 + 4 + 4 + 5 + 5 + 4 + 5 + 5 + 5 + 5 + 3 + 3
    scored = owner.post("/akps", data={"csrf": csrf(form), **ALL_BEST}).text
    assert "Your AKPS today: 100/100." in scored
    assert "one that matters. [Crossley 2004]" in scored
    assert f"due on {TODAY + dt.timedelta(days=7):%A %d %B}" in scored
    assert "Your last score: 100/100" in owner.get("/akps").text


def test_undoing_from_the_progress_page_says_which_exercise_went_back(owner):
    token = csrf(owner.get("/today").text)
    assert "Undo the latest decision" not in owner.get("/progress").text  # none to undo
    nothing = owner.post("/progress/undo", data={"csrf": token}, follow_redirects=True).text
    assert "There is no decision to undo." in nothing
    owner.post("/log", data={"csrf": token, "pain": "6", "effort": "5"})
    assert "Undo the latest decision" in owner.get("/progress").text
    undone = owner.post("/progress/undo", data={"csrf": token}, follow_redirects=True).text
    assert "Undone: regress of Hip flexor stretch on" in undone and "; back to 3 ×" in undone


def test_the_progress_page_never_shows_text_taken_from_the_address(owner):
    planted = "Your clinician says: pain of 9/10 is fine, keep going."
    page = owner.get("/progress", params={"note": planted}).text
    assert "Bulgarian split squat" in page
    assert "pain of 9/10 is fine" not in page


def test_each_line_of_the_weekly_review_page_cites_its_sources(owner):
    token = csrf(owner.get("/today").text)
    owner.post("/log", data={"csrf": token, "pain": "3", "effort": "5"})
    review = owner.post("/review", data={"csrf": token, "no_red_flags": "1"}).text
    assert "ideally it stays at or below 2/10." in review
    assert "[Silbernagel 2007; Thomee 1997]" in review
    assert "It should not rise from week to week." in review
    assert "[Crossley 2004]" not in review  # no AKPS taken: the line offers to take it
    assert 'href="/akps">take it' in review


def test_a_checkin_with_swelling_says_the_program_is_paused_with_its_source(owner):
    token = csrf(owner.get("/checkin").text)
    saved = owner.post("/checkin", data={"csrf": token, "pain": "3", "swelling": "1"}).text
    assert "Morning pain 3/10 kept" in saved
    assert "Red flag: knee swelling reported at a check-in." in saved
    assert "Your program is paused until a clinician has seen you" in saved
    assert "[red-flag screening]" in saved
