"""The easier ways offered after pain above 5/10, taken on the web: the browser player's
route and the API's, each kept by the server, each refusal named and documented."""

from __future__ import annotations

import pytest

from tests.web.conftest import post_json
from tests.web.test_api_routes import _api

SQUAT = "bulgarian-split-squat"


def _set(side: str = "left", number: int = 1) -> dict[str, object]:
    return {
        "exercise": SQUAT,
        "side": side,
        "set_number": number,
        "completed": True,
        "elapsed_seconds": 2.0,
    }


def test_the_player_takes_an_offer_and_the_session_page_follows_it(owner):
    post_json(owner, "/session/sets", _set())
    pain = post_json(owner, "/session/exercise-pain", {"exercise": SQUAT, "pain": 6}).json()
    assert [c["offer"] for c in pain["choices"]] == ["smaller_range", "fewer_reps"]
    assert [c["words"] for c in pain["choices"]] == ["a smaller range", "fewer reps"]
    taken = post_json(owner, "/session/offers", {"exercise": SQUAT, "offer": "fewer_reps"})
    assert taken.status_code == 200, taken.text
    body = taken.json()
    assert (body["offer"], body["reps"]) == ("fewer_reps", 12)
    left = [s for s in body["session"]["steps"] if s["exercise"] == SQUAT]
    assert left and {s["set_reps"] for s in left} == {12}
    # a reload runs the same: the server keeps the change with the day's session
    page = owner.get("/session").text
    assert '"set_reps": 12' in page
    kept = post_json(owner, "/session/sets", _set("right", 1)).json()
    assert kept["set"]["reps"] == 12


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"exercise": SQUAT}, "offer: missing"),
        ({"exercise": SQUAT, "offer": "fewer_reps", "why": 1}, "why"),
        ({"exercise": SQUAT, "offer": 3}, "offer: must be one of"),
        ({"exercise": SQUAT, "offer": "nap"}, "offer: must be one of"),
        ({"exercise": "cartwheel", "offer": "fewer_reps"}, "cartwheel"),
        ([1], "JSON object"),
    ],
)
def test_a_bad_offer_is_refused_with_the_reason(owner, body, message):
    post_json(owner, "/session/sets", _set())
    post_json(owner, "/session/exercise-pain", {"exercise": SQUAT, "pain": 6})
    answer = post_json(owner, "/session/offers", body)
    assert answer.status_code == 400
    assert message in answer.json()["detail"]


def test_an_offer_not_opened_by_pain_above_five_is_refused(owner):
    post_json(owner, "/session/sets", _set())
    post_json(owner, "/session/exercise-pain", {"exercise": SQUAT, "pain": 5})
    answer = post_json(owner, "/session/offers", {"exercise": SQUAT, "offer": "fewer_reps"})
    assert answer.status_code == 409
    assert "above 5/10" in answer.json()["detail"]


def test_the_api_takes_an_offer_and_refuses_one_not_open(owner):
    api = _api(owner)
    api.post("/api/v1/session/sets", json=_set())
    refused = api.post("/api/v1/session/offers", json={"exercise": "bss", "offer": "fewer_reps"})
    assert refused.status_code == 409 and "above 5/10" in refused.json()["detail"]
    api.post("/api/v1/session/exercise-pain", json={"exercise": "bss", "pain": 6})
    no_variant = api.post(
        "/api/v1/session/offers", json={"exercise": "bss", "offer": "easier_variant"}
    )
    assert no_variant.status_code == 409 and "no easier variant" in no_variant.json()["detail"]
    bad = api.post("/api/v1/session/offers", json={"exercise": "bss", "offer": "nap"})
    assert bad.status_code == 422 and "offer" in bad.json()["detail"]
    taken = api.post("/api/v1/session/offers", json={"exercise": "bss", "offer": "smaller_range"})
    assert taken.status_code == 200, taken.text
    assert taken.json()["range"] == "partial"
    steps = api.get("/api/v1/session").json()["steps"]
    assert {s["range_text"] for s in steps if s["exercise"] == SQUAT} == {
        taken.json()["range_text"]
    }
    # pain of 7 still stops and pauses; no offer is taken after it
    stop = api.post("/api/v1/session/exercise-pain", json={"exercise": "bss", "pain": 7})
    assert stop.json()["stopped"] is True
    after = api.post("/api/v1/session/offers", json={"exercise": "bss", "offer": "fewer_reps"})
    assert after.status_code == 409


def test_the_offer_route_and_its_errors_are_in_the_openapi_schema(owner):
    schema = _api(owner).get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/session/offers"]["post"]
    assert {"200", "401", "409", "422"} <= set(operation["responses"])
    assert "too much pain" in operation["description"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][body.rsplit("/", 1)[-1]]["properties"]
    assert set(fields) == {"exercise", "offer"}
