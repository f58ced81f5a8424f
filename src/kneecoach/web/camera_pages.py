"""The camera as a coach in the browser (issue 18): the knee-alignment test page, and what
the player's page needs to count repetitions on the device. The pose model runs in the
runner's browser (static/pose/, installed by ``make run``); video never leaves it: the page
posts only the angles it measured."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.ports import Conflict
from kneecoach.web import pose_assets
from kneecoach.web.context import JsonChecked, PostedJson, Runner, Web, Who
from kneecoach.web.security_headers import CAMERA_POLICY

TEST_FIELDS = ("side", "trials")


def camera_page(response: HTMLResponse) -> HTMLResponse:
    """A page that may run the pose model: its policy lets the model's WebAssembly run."""
    response.headers["content-security-policy"] = CAMERA_POLICY
    return response


def camera_offer() -> dict[str, Any]:
    """Whether the camera can be offered on this server, why not, and the models."""
    return {
        "available": pose_assets.available(),
        "missing": pose_assets.missing_reason(),
        "models": sorted(pose_assets.MODELS),
    }


def add_routes(app: FastAPI, web: Web) -> None:
    @app.get("/knee-alignment", response_class=HTMLResponse)
    def knee_alignment_page(request: Request, who: Who, runner: Runner) -> Response:
        """The knee-alignment test: a single-leg squat filmed from the front, 3 trials per
        leg, measured on the device; the tests kept so far."""
        from kneecoach.presenters import fppa_setup_json
        from kneecoach.services.pose import fppa_history, fppa_setup

        runner.stored_profile()
        setup = fppa_setup()
        return camera_page(
            web.page.render(
                request,
                "knee_alignment.html",
                title="Knee alignment test",
                setup=setup,
                setup_json=fppa_setup_json(setup),
                history=fppa_history(runner),
                camera=camera_offer(),
                **web.base(who),
            )
        )

    @app.post("/knee-alignment/tests")
    def knee_alignment_test(who: JsonChecked, runner: Runner, data: PostedJson) -> dict[str, Any]:
        """Keep a leg's test from the angles the page measured: ``{"side": "left", "trials":
        [{"fppa": 7.5}, {"fppa": 9.0}, {"fppa": 8.1}]}``. The answer is the result beside
        the published values, with the caveat and sources."""
        from kneecoach.presenters import fppa_recorded_json
        from kneecoach.services.pose import record_fppa

        try:
            document = _test_document(data)
            kept = record_fppa(runner, document)
        except InvalidInput as error:
            raise HTTPException(status_code=400, detail=f"test not kept: {error}") from None
        except Conflict as error:
            raise HTTPException(status_code=409, detail=f"test not kept: {error}") from None
        return fppa_recorded_json(kept)


def _test_document(data: Any) -> dict[str, Any]:
    """The posted test, with only angles in it: the page never sends landmarks or frames."""
    if not isinstance(data, dict):
        raise InvalidInput("the body must be a JSON object with side and trials")
    unknown = sorted(set(data) - set(TEST_FIELDS))
    if unknown:
        raise InvalidInput(f"{unknown[0][:40]}: not a field of a test (side, trials)")
    trials = data.get("trials")
    if not isinstance(trials, list) or not all(
        isinstance(t, dict) and set(t) == {"fppa"} for t in trials
    ):
        raise InvalidInput('trials: must be a list of {"fppa": degrees}')
    return dict(data)
