"""The FHIR Bundle validates resource by resource; the program sheet renders on A4."""

from __future__ import annotations

import datetime as dt

import pytest
from fhir.resources.R4B.bundle import Bundle

from kneecoach import definitions
from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, Side
from kneecoach.domain.load import Week
from kneecoach.domain.outcomes import AkpsResult
from kneecoach.domain.planning import session_plan
from kneecoach.exports.fhir import PAIN_NRS, bundle, validate
from kneecoach.exports.sheet import render_html, render_pdf
from tests.helpers import MONDAY, profile

NOW = dt.datetime(2026, 11, 30, 8, tzinfo=dt.UTC)
PLAN = session_plan(MONDAY, profile(), definitions.program(), definitions.catalogue())


def _bundle():
    session = LoggedSession(MONDAY, 3, (LoggedSet("roll-down", "body-weight", Side.BOTH, 1, 10),))
    return bundle(
        "local",
        PLAN,
        [session],
        [Checkin(MONDAY + dt.timedelta(1), 1)],
        [AkpsResult(MONDAY, (1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1))],
        [Week(MONDAY, 12.5, None), Week(MONDAY + dt.timedelta(7), 0.0, None)],
        NOW,
    )


def test_the_bundle_holds_each_kind_of_resource_and_validates():
    data = _bundle()
    kinds = [e["resource"]["resourceType"] for e in data["entry"]]
    assert kinds == [
        "Patient",
        "CarePlan",
        "Observation",
        "Observation",
        "Questionnaire",
        "QuestionnaireResponse",
        "Observation",
    ]
    Bundle.model_validate(data)  # every resource, by its own model


def test_the_patient_is_pseudonymous():
    patient = _bundle()["entry"][0]["resource"]
    assert "name" not in patient and "birthDate" not in patient
    assert patient["identifier"][0]["value"] != "local"


def test_pain_ratings_use_the_0_to_10_numeric_rating_loinc_code():
    pains = [e["resource"] for e in _bundle()["entry"][2:4]]
    assert all(p["code"]["coding"][0]["code"] == PAIN_NRS["code"] == "72514-3" for p in pains)
    assert [p["valueInteger"] for p in pains] == [3, 1]


def test_the_akps_response_carries_every_answer_and_the_score():
    response = _bundle()["entry"][5]["resource"]
    assert len(response["item"]) == 14
    assert response["item"][-1]["answer"][0]["valueInteger"] == 100 - 2 - 2


def test_the_care_plan_lists_the_six_exercises_with_their_dosage():
    plan = _bundle()["entry"][1]["resource"]
    names = [a["detail"]["code"]["text"] for a in plan["activity"]]
    assert names == [item.exercise.name for item in PLAN.exercises]
    assert "2 sets × 15 reps per side" in plan["activity"][1]["detail"]["description"]


def test_an_invalid_resource_is_caught():
    data = _bundle()
    data["entry"][2]["resource"]["valueInteger"] = "a lot"
    with pytest.raises(ValueError, match="valueInteger"):
        validate(data)


def test_the_sheet_has_every_exercise_the_pain_scale_red_flags_and_sources():
    days = [MONDAY + dt.timedelta(days=d) for d in (0, 2, 4)]
    html = render_html(PLAN, profile(), days, MONDAY)
    for item in PLAN.exercises:
        assert item.exercise.name in html
        assert item.dosage.describe() in html
    assert "0–2 ideal" in html and "Stop and see a clinician" in html
    assert "Silbernagel" in html and "does not diagnose" in html
    assert html.count("<td></td>") == 6 * len(days)


def test_the_sheet_prints_on_two_a4_pages_at_most():
    from weasyprint import HTML

    html = render_html(
        PLAN, profile(), [MONDAY + dt.timedelta(days=2 * i) for i in range(12)], MONDAY
    )
    document = HTML(string=html).render()
    assert 1 <= len(document.pages) <= 2
    width, height = document.pages[0].width, document.pages[0].height
    assert round(width / 96 * 25.4) == 210 and round(height / 96 * 25.4) == 297
    assert render_pdf(html).startswith(b"%PDF")


def test_the_sheet_shows_each_exercise_in_its_key_positions():
    html = render_html(PLAN, profile(), [MONDAY], MONDAY)
    assert html.count('<div class="figure"><svg') == len(PLAN.exercises)
    assert "Bulgarian split squat: key positions" in html
    assert "<animate" not in html  # paper does not move
