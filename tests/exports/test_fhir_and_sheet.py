"""The FHIR Bundle validates resource by resource; the program sheet renders on A4. Both
lay out what the export service gathered from a real record, sources and scales included."""

from __future__ import annotations

import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from markupsafe import escape

from kneecoach import DISCLAIMER
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.evidence import KUJALA_1993
from kneecoach.domain.pain_scale import PAIN_DURING_SCALE, PAIN_MONITORING_GUIDE
from kneecoach.domain.profile import Knee
from kneecoach.exports.fhir import PAIN_NRS, bundle, validate
from kneecoach.exports.files import fhir_export, sheet_for
from kneecoach.exports.sheet import render_html, render_pdf
from kneecoach.services.exports import fhir_record, sheet_view
from kneecoach.services.runs import load_report
from kneecoach.services.today import session_for
from tests.exports.conftest import AKPS_ANSWERS, LATER

pytestmark = pytest.mark.own_dates


def _bundle(runner):
    return bundle(fhir_record(runner, "local"))


def test_the_bundle_holds_each_kind_of_resource_and_validates(runner):
    data = _bundle(runner)
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


def test_the_patient_is_pseudonymous(runner):
    patient = _bundle(runner)["entry"][0]["resource"]
    assert "name" not in patient and "birthDate" not in patient
    assert patient["identifier"][0]["value"] != "local"


def test_pain_ratings_use_the_0_to_10_numeric_rating_loinc_code(runner):
    pains = [e["resource"] for e in _bundle(runner)["entry"][2:4]]
    assert all(p["code"]["coding"][0]["code"] == PAIN_NRS["code"] == "72514-3" for p in pains)
    assert [p["valueInteger"] for p in pains] == [3, 1]
    assert "(0 none, 10 worst)" in pains[0]["note"][0]["text"]


def test_the_akps_response_carries_every_answer_and_the_score(runner):
    response = _bundle(runner)["entry"][5]["resource"]
    assert len(response["item"]) == 14
    assert [int(i["answer"][0]["valueCoding"]["code"]) for i in response["item"][:13]] == list(
        AKPS_ANSWERS
    )
    assert response["item"][-1]["answer"][0]["valueInteger"] == 100 - 2 - 2


def test_the_care_plan_lists_todays_exercises_with_their_dosage(runner):
    plan = _bundle(runner)["entry"][1]["resource"]
    today = session_for(runner, LATER)
    names = [a["detail"]["code"]["text"] for a in plan["activity"]]
    assert names == [item.exercise.name for item in today.exercises]
    assert "2 sets × 15 reps per side" in plan["activity"][1]["detail"]["description"]


def test_the_bundles_citations_are_the_sources_the_record_carries(runner):
    record = fhir_record(runner, "local")
    data = bundle(record)
    care_plan, form = data["entry"][1]["resource"], data["entry"][4]["resource"]
    assert PAIN_MONITORING_GUIDE.sources[0] in record.care_plan.sources
    for source in record.care_plan.sources:
        assert source.citation in care_plan["description"]
    assert record.questionnaire.sources == (KUJALA_1993,)
    assert KUJALA_1993.citation in form["description"]
    assert form["description"].startswith("13 items scored 0-100")


def test_weekly_distance_is_a_ucum_quantity_for_each_week_with_running(runner):
    weeks = [w for w in load_report(runner, "distance").weeks if w.load > 0]
    resources = [e["resource"] for e in _bundle(runner)["entry"]]
    observations = [r for r in resources if "effectivePeriod" in r]
    assert [o["valueQuantity"]["value"] for o in observations] == [round(w.load, 2) for w in weeks]
    assert observations[0]["valueQuantity"]["code"] == "km"
    assert observations[0]["valueQuantity"]["system"] == "http://unitsofmeasure.org"


def test_an_invalid_resource_is_caught(runner):
    data = _bundle(runner)
    data["entry"][2]["resource"]["valueInteger"] = "a lot"
    with pytest.raises(ValueError, match="valueInteger"):
        validate(data)


def test_the_fhir_file_is_fhir_json_named_by_the_day_and_counts_its_resources(runner):
    export = fhir_export(runner, "local")
    assert export.media_type == "application/fhir+json"
    assert export.file_name == f"kneecoach-fhir-{LATER.isoformat()}.json"
    data = json.loads(export.data)
    assert sum(c.count for c in export.counts) == len(data["entry"])
    assert {c.what: c.count for c in export.counts}["Observation"] == 3


def test_the_sheet_has_every_exercise_the_pain_scale_red_flags_and_sources(runner):
    view = sheet_view(runner, 4)
    html = render_html(view)
    for item in view.exercises:
        assert item.name in html and item.dosage in html
    for band in PAIN_DURING_SCALE:
        assert f"{band.low}–{band.high} {band.band.value}" in html
    assert PAIN_MONITORING_GUIDE.text in html and "[Silbernagel 2007; Thomee 1997]" in html
    assert "Stop and see a clinician" in html and DISCLAIMER in html
    for source in view.sources:
        assert escape(source.citation) in html
    assert html.count("<td></td>") == len(view.exercises) * len(view.days)


def test_the_sheet_cites_each_source_once(runner):
    keys = [source.key for source in sheet_view(runner, 4).sources]
    assert len(keys) == len(set(keys))
    assert {"seed", "silbernagel-2007", "thomee-1997", "red-flags"} <= set(keys)


def test_the_sheet_prints_on_two_a4_pages_at_most(runner):
    from weasyprint import HTML

    view = sheet_view(runner, 8)
    assert len(view.days) == 16  # as many tick boxes as fit across
    document = HTML(string=render_html(view)).render()
    assert 1 <= len(document.pages) <= 2
    width, height = document.pages[0].width, document.pages[0].height
    assert round(width / 96 * 25.4) == 210 and round(height / 96 * 25.4) == 297
    pdf = sheet_for(runner, 4, pdf=True)
    assert pdf.data.startswith(b"%PDF") and pdf.media_type == "application/pdf"
    assert render_pdf(render_html(view)).startswith(b"%PDF")


def test_the_sheet_shows_each_exercise_in_its_key_positions(runner):
    view = sheet_view(runner, 1)
    html = render_html(view)
    assert html.count('<div class="figure"><svg') == len(view.exercises)
    assert "Bulgarian split squat: key positions" in html
    assert "<animate" not in html  # paper does not move


def test_the_sheet_mirrors_each_figure_to_work_the_affected_leg(runner):
    assert runner.stored_profile().profile.affected_knee is Knee.LEFT
    for item in sheet_view(runner, 1).exercises:
        assert item.figure is not None
        assert item.figure_flipped == item.figure.flipped_for("left")


@pytest.mark.parametrize("weeks", [0, 9])
def test_the_sheet_takes_one_to_eight_weeks(runner, weeks):
    with pytest.raises(InvalidInput, match="weeks must be from 1 to 8"):
        sheet_view(runner, weeks)


def test_the_sheet_shows_the_split_squats_range_beside_its_dosage(runner):
    view = sheet_view(runner, 4)
    html = render_html(view)
    squat = next(e for e in view.exercises if e.key == "bulgarian-split-squat")
    assert squat.range_text == "full range: front thigh to parallel"
    assert f'<span class="range">{squat.range_text}</span>' in html
    assert all(e.range_text is None for e in view.exercises if e.key != squat.key)


def test_the_calendar_event_gives_the_split_squats_range_beside_its_dosage(runner):
    from kneecoach.exports.ical import describe
    from kneecoach.services.today import session_for

    text = describe(session_for(runner, runner.clock.today()))
    squat = next(line for line in text.splitlines() if "Bulgarian split squat" in line)
    assert ", full range: front thigh to parallel, rest 60 s" in squat
    assert not any("range" in line for line in text.splitlines() if line != squat)


def test_no_sheet_and_no_calendar_are_made_while_the_program_is_paused(runner):
    from kneecoach.services import onboarding
    from kneecoach.services.exports import calendar_plans

    onboarding.pause_on_signs(runner, pain_during=8)
    with pytest.raises(InvalidInput, match="no program sheet while the program is paused"):
        sheet_view(runner, 4)
    with pytest.raises(InvalidInput, match="no sessions while the program is paused"):
        calendar_plans(runner, 4, timezone="UTC")
