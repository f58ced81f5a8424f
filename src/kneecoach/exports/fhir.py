"""A FHIR Bundle of the runner's record, for clinic systems.

FHIR R4 resources, validated with fhir.resources' R4B models (FHIR 4.3, the R4 line):
a minimal, pseudonymous Patient; a CarePlan with the prescribed exercises as activities;
an Observation per pain rating on the 0-10 numeric rating scale, coded LOINC 72514-3
("Pain severity - 0-10 verbal numeric rating [Score] - Reported"); a Questionnaire for
the Kujala Anterior Knee Pain Scale and a QuestionnaireResponse per result, with its
score; and an Observation per week of running distance.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Sequence
from typing import Any

from kneecoach.domain.journal import Checkin, LoggedSession
from kneecoach.domain.load import Week
from kneecoach.domain.outcomes import ITEMS, AkpsResult
from kneecoach.domain.planning import SessionPlan

LOINC = "http://loinc.org"
PAIN_NRS = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
AKPS_URL = "urn:kneecoach:questionnaire:kujala-akps"
KNEECOACH = "urn:kneecoach"


def _id(*parts: str) -> str:
    return str(uuid.UUID(hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]))


def _ref(resource: dict[str, Any]) -> dict[str, str]:
    return {"reference": f"urn:uuid:{resource['id']}"}


def _pain(patient: dict[str, Any], when: dt.date, value: int, context: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": _id(patient["id"], "pain", context, when.isoformat()),
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "survey",
                    }
                ]
            }
        ],
        "code": {"coding": [PAIN_NRS], "text": f"Knee pain, {context}"},
        "subject": _ref(patient),
        "effectiveDateTime": when.isoformat(),
        "valueInteger": value,
        "note": [{"text": f"Knee pain {context} (0 none, 10 worst), reported in kneecoach."}],
    }


def questionnaire() -> dict[str, Any]:
    return {
        "resourceType": "Questionnaire",
        "id": _id("kujala-akps"),
        "url": AKPS_URL,
        "name": "KujalaAKPS",
        "title": "Kujala Anterior Knee Pain Scale",
        "status": "active",
        "description": "13 items scored 0-100, higher is better (Kujala et al., Arthroscopy "
        "1993;9(2):159-163; scoring as tabulated in J Orthop 2023;42:54-62).",
        "item": [
            {
                "linkId": str(item.number),
                "text": item.name,
                "type": "choice",
                "required": True,
                "answerOption": [
                    {
                        "valueCoding": {
                            "system": f"{AKPS_URL}:{item.number}",
                            "code": str(n),
                            "display": f"{option.text} ({option.points} points)",
                        }
                    }
                    for n, option in enumerate(item.options, start=1)
                ],
            }
            for item in ITEMS
        ]
        + [{"linkId": "score", "text": "Total score (0-100)", "type": "integer", "readOnly": True}],
    }


def bundle(
    user: str,
    plan: SessionPlan,
    sessions: Sequence[LoggedSession],
    checkins: Sequence[Checkin],
    akps: Sequence[AkpsResult],
    weeks: Sequence[Week],
    now: dt.datetime,
) -> dict[str, Any]:
    """The Bundle as JSON-ready data, validated against the FHIR models."""
    patient = {
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
    care_plan = {
        "resourceType": "CarePlan",
        "id": _id(patient["id"], "careplan"),
        "status": "active",
        "intent": "plan",
        "title": "Runner's knee: hip and knee exercise program",
        "description": "Six exercises, progressed by the pain-monitoring model "
        "(Silbernagel et al. 2007); seed program by Harris R.",
        "subject": _ref(patient),
        "created": now.isoformat(),
        "activity": [
            {
                "detail": {
                    "kind": "ServiceRequest",
                    "code": {"text": item.exercise.name},
                    "status": "in-progress",
                    "description": f"{item.variant.name}: {item.dosage.describe()}, "
                    f"{item.load_text}, rest {item.rest_seconds} s between sets",
                }
            }
            for item in plan.exercises
        ],
    }
    resources: list[dict[str, Any]] = [patient, care_plan]
    for session in sessions:
        resources.append(
            _pain(patient, session.performed_on, session.pain_during, "during an exercise session")
        )
    for checkin in checkins:
        resources.append(_pain(patient, checkin.date, checkin.pain_morning, "next morning"))
    form = questionnaire()
    resources.append(form)
    for result in akps:
        resources.append(
            {
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
                        "linkId": str(item.number),
                        "text": item.name,
                        "answer": [
                            {
                                "valueCoding": {
                                    "system": f"{AKPS_URL}:{item.number}",
                                    "code": str(answer),
                                    "display": item.options[answer - 1].text,
                                }
                            }
                        ],
                    }
                    for item, answer in zip(ITEMS, result.answers, strict=True)
                ]
                + [
                    {
                        "linkId": "score",
                        "text": "Total score (0-100)",
                        "answer": [{"valueInteger": result.score}],
                    }
                ],
            }
        )
    for week in weeks:
        if week.load <= 0:
            continue
        resources.append(
            {
                "resourceType": "Observation",
                "id": _id(patient["id"], "weekly-distance", week.monday.isoformat()),
                "status": "final",
                "category": [
                    {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                "code": "activity",
                            }
                        ]
                    }
                ],
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
                    "value": round(week.load, 2),
                    "unit": "km",
                    "system": "http://unitsofmeasure.org",
                    "code": "km",
                },
            }
        )
    data = {
        "resourceType": "Bundle",
        "id": _id("bundle", user, now.isoformat()),
        "type": "collection",
        "timestamp": now.isoformat(),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }
    validate(data)
    return data


def validate(data: dict[str, Any]) -> None:
    """Every resource must parse as its FHIR model; raises on the first that does not."""
    from fhir.resources.R4B.bundle import Bundle

    Bundle.model_validate(data)
