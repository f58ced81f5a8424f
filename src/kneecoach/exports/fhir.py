"""A FHIR Bundle of the runner's record, for clinic systems.

FHIR R4 resources, validated with fhir.resources' R4B models (FHIR 4.3, the R4 line):
a minimal, pseudonymous Patient; a CarePlan with the prescribed exercises as activities;
an Observation per pain rating on the 0-10 numeric rating scale, coded LOINC 72514-3
("Pain severity - 0-10 verbal numeric rating [Score] - Reported"); a Questionnaire for
the Kujala Anterior Knee Pain Scale and a QuestionnaireResponse per result, with its
score; and an Observation per week of running distance.

It lays out what ``services.exports.fhir_record`` gathered — the texts, scales and sources
come with the record — and adds only FHIR's own codes and structure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kneecoach.domain.evidence import Source
    from kneecoach.services.exports import (
        AkpsResponseView,
        FhirRecordView,
        PainRatingView,
        QuestionnaireView,
        WeeklyDistanceView,
    )

LOINC = "http://loinc.org"
PAIN_NRS = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
AKPS_URL = "urn:kneecoach:questionnaire:kujala-akps"
KNEECOACH = "urn:kneecoach"
UCUM = "http://unitsofmeasure.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def _id(*parts: str) -> str:
    return str(uuid.UUID(hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]))


def _ref(resource: dict[str, Any]) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource['id']}"}


def _cited(sources: tuple[Source, ...]) -> str:
    return "; ".join(source.citation for source in sources)


def _category(code: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": CATEGORY, "code": code}]}]


def _patient(user: str) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "id": _id("patient", user),
        "identifier": [
            {
                "system": f"{KNEECOACH}:pseudonym",
                "value": hashlib.sha256(user.encode()).hexdigest()[:16],
            }
        ],
        "active": True,
    }


def _care_plan(patient: dict[str, Any], record: FhirRecordView) -> dict[str, Any]:
    plan = record.care_plan
    return {
        "resourceType": "CarePlan",
        "id": _id(patient["id"], "careplan"),
        "status": "active",
        "intent": "plan",
        "title": plan.title,
        "description": f"{plan.summary} Sources: {_cited(plan.sources)}.",
        "subject": _ref(patient),
        "created": record.made_at.isoformat(),
        "activity": [
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "code": {"text": activity.name},
                    "status": "in-progress",
                    "description": f"{activity.variant}: {activity.dosage}, {activity.load}, "
                    f"rest {activity.rest_seconds} s between sets",
                }
            }
            for activity in plan.activities
        ],
    }


def _pain(
    patient: dict[str, Any], rating: PainRatingView, record: FhirRecordView
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": _id(patient["id"], "pain", rating.context, rating.day.isoformat()),
        "status": "final",
        "category": _category("survey"),
        "code": {"coding": [PAIN_NRS], "text": f"Knee pain, {rating.context}"},
        "subject": _ref(patient),
        "effectiveDateTime": rating.day.isoformat(),
        "valueInteger": rating.value,
        "note": [
            {
                "text": f"Knee pain {rating.context} ({record.pain_min} none, "
                f"{record.pain_max} worst), reported in kneecoach."
            }
        ],
    }


def _score_text(form: QuestionnaireView) -> str:
    return f"Total score (0-{form.score_max})"


def questionnaire(form: QuestionnaireView) -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": _id("kujala-akps"),
        "url": AKPS_URL,
        "name": "KujalaAKPS",
        "title": form.title,
        "status": "active",
        "description": f"{len(form.questions)} items scored 0-{form.score_max}, higher is "
        f"better ({_cited(form.sources)}).",
        "item": [
            {
                "linkId": str(question.number),
                "text": question.name,
                "type": "choice",
                "required": True,
                "answerOption": [
                    {
                        "valueCoding": {
                            "system": f"{AKPS_URL}:{question.number}",
                            "code": str(n),
                            "display": f"{option.text} ({option.points} points)",
                        }
                    }
                    for n, option in enumerate(question.options, start=1)
                ],
            }
            for question in form.questions
        ]
        + [{"linkId": "score", "text": _score_text(form), "type": "integer", "readOnly": True}],
    }


def _response(
    patient: dict[str, Any], form: QuestionnaireView, result: AkpsResponseView
) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "id": _id(
            patient["id"],
            "akps",
            result.taken_on.isoformat(),
            ",".join(map(str, result.answers)),
        ),
        "questionnaire": AKPS_URL,
        "status": "completed",
        "subject": _ref(patient),
        "authored": result.taken_on.isoformat(),
        "item": [
            {
                "linkId": str(question.number),
                "text": question.name,
                "answer": [
                    {
                        "valueCoding": {
                            "system": f"{AKPS_URL}:{question.number}",
                            "code": str(answer),
                            "display": question.options[answer - 1].text,
                        }
                    }
                ],
            }
            for question, answer in zip(form.questions, result.answers, strict=True)
        ]
        + [
            {
                "linkId": "score",
                "text": _score_text(form),
                "answer": [{"valueInteger": result.score}],
            }
        ],
    }


def _weekly_distance(patient: dict[str, Any], week: WeeklyDistanceView) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": _id(patient["id"], "weekly-distance", week.monday.isoformat()),
        "status": "final",
        "category": _category("activity"),
        "code": {
            "coding": [
                {
                    "system": KNEECOACH,
                    "code": "weekly-running-distance",
                    "display": "Weekly running distance",
                }
            ],
            "text": "Weekly running distance",
        },
        "subject": _ref(patient),
        "effectivePeriod": {
            "start": week.monday.isoformat(),
            "end": (week.monday + dt.timedelta(days=6)).isoformat(),
        },
        "valueQuantity": {
            "value": week.distance,
            "unit": week.unit,
            "system": UCUM,
            "code": week.unit,
        },
    }


def bundle(record: FhirRecordView) -> dict[str, Any]:
    """The Bundle as JSON-ready data, validated against the FHIR models."""
    patient = _patient(record.user)
    form = questionnaire(record.questionnaire)
    resources: list[dict[str, Any]] = [
        patient,
        _care_plan(patient, record),
        *(_pain(patient, rating, record) for rating in record.pain_ratings),
        form,
        *(_response(patient, record.questionnaire, result) for result in record.akps),
        *(_weekly_distance(patient, week) for week in record.weekly_distance),
    ]
    data = {
        "resourceType": "Bundle",
        "id": _id("bundle", record.user, record.made_at.isoformat()),
        "type": "collection",
        "timestamp": record.made_at.isoformat(),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
    validate(data)
    return data


def validate(data: dict[str, Any]) -> None:
    """Every resource must parse as its FHIR model; raises on the first that does not."""
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(data)
