"""The guided session in the browser: the player's view of today's session, each set as the
player reports it (the server judges what it counts as), and the finish."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import math
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.ports import Conflict
from kneecoach.web.context import (
    Checked,
    JsonChecked,
    PostedForm,
    PostedJson,
    Runner,
    Web,
    Who,
    whole,
)

if TYPE_CHECKING:
    from kneecoach.services.guided import SetReport

REPORT_FIELDS = ("exercise", "side", "set_number", "completed", "elapsed_seconds", "rep")
"""What the player posts when a set ends: the set, whether it ran to its end, the seconds
into the step it stopped in, and the repetition under way (for a set of repetitions)."""


def add_routes(app: FastAPI, web: Web) -> None:
    @app.get("/session", response_class=HTMLResponse)
    def session_page(request: Request, who: Who, runner: Runner, speed: str = "1") -> Response:
        """The guided session in the browser. ``speed`` (above 0, at most 1000) runs the
        clock faster, for a demonstration or a test."""
        from kneecoach.services import guided

        try:
            pace = _speed(speed)
            view = guided.browser_session(runner)
        except InvalidInput as error:
            return web.refused(request, who, "No session", error, "/today", "Back to today")
        except guided.ProgramPaused as paused:
            return web.page.render(
                request,
                "message.html",
                409,
                title="Program paused",
                heading="Program paused",
                lines=[paused.advice.text, f"Source: {paused.advice.cited_in_full}"],
                link=("/today", "Back to today"),
                **web.base(who),
            )
        except guided.AlreadyLogged as logged:
            return web.page.render(
                request,
                "message.html",
                title="Done",
                heading="Done for today",
                lines=[str(logged)],
                link=("/history", "See the history"),
                **web.base(who),
            )
        from kneecoach import definitions
        from kneecoach.presenters import camera_movement_json, session_player_json
        from kneecoach.services.pose import camera_movements
        from kneecoach.web.camera_pages import camera_offer, camera_page

        movements = camera_movements(
            definitions.catalogue(),
            [(s.figure.exercise, s.figure.variant) for s in view.steps if s.rep is not None],
        )
        return camera_page(
            web.page.render(
                request,
                "session.html",
                title="Session",
                player=session_player_json(view),
                speed=pace,
                camera=camera_offer()
                | {
                    "movements": {
                        exercise: {v: camera_movement_json(m) for v, m in variants.items()}
                        for exercise, variants in movements.items()
                    },
                    "names": list(
                        dict.fromkeys(
                            s.exercise_name for s in view.steps if s.figure.exercise in movements
                        )
                    ),
                    "note": next(
                        (
                            camera_movement_json(m)["note"]
                            for variants in movements.values()
                            for m in variants.values()
                        ),
                        None,
                    ),
                },
                **web.base(who),
            )
        )

    @app.post("/session/sets")
    def session_set(who: JsonChecked, runner: Runner, data: PostedJson) -> dict[str, Any]:
        """Keep a set as the player reports it ended; the answer says what it counted as."""
        from kneecoach.services import guided

        try:
            kept = guided.keep_reported_set(runner, _set_report(data))
        except InvalidInput as error:
            raise HTTPException(status_code=400, detail=f"set not kept: {error}") from None
        except Conflict as error:
            raise HTTPException(status_code=409, detail=f"set not kept: {error}") from None
        return {
            "kept": kept is not None,
            "session": None if kept is None else kept.session,
            "set": None if kept is None else asdict(kept),
        }

    @app.post("/session/exercise-pain")
    def session_exercise_pain(who: JsonChecked, runner: Runner, data: PostedJson) -> dict[str, Any]:
        """Pain the player reports during an exercise; the answer is the server's verdict
        (the light, the advice, the offers, and whether the session stopped and paused)."""
        from kneecoach.presenters import exercise_pain_json
        from kneecoach.services import guided

        try:
            exercise, pain = _pain_report(data)
            answer = guided.report_browser_pain(runner, exercise, pain)
        except InvalidInput as error:
            raise HTTPException(status_code=400, detail=f"pain not kept: {error}") from None
        except Conflict as error:
            raise HTTPException(status_code=409, detail=f"pain not kept: {error}") from None
        return exercise_pain_json(answer)

    @app.post("/session/offers")
    def session_offer(who: JsonChecked, runner: Runner, data: PostedJson) -> dict[str, Any]:
        """An easier way the runner taps after too much pain (one of the answer's offers):
        the server keeps it with the day's session and answers with the rest of the session
        as the player now runs it."""
        from kneecoach.presenters import offer_taken_json
        from kneecoach.services import guided

        try:
            exercise, offer = _offer_report(data)
            taken = guided.take_browser_offer(runner, exercise, offer)
        except InvalidInput as error:
            raise HTTPException(status_code=400, detail=f"not taken: {error}") from None
        except Conflict as error:
            raise HTTPException(status_code=409, detail=f"not taken: {error}") from None
        return offer_taken_json(taken)

    @app.post("/session/finish")
    def session_finish(
        request: Request, who: Checked, runner: Runner, form: PostedForm
    ) -> Response:
        from kneecoach.services import guided

        try:
            guided.finish_day(
                runner,
                web.clock.today(),
                whole(form.get("pain"), "pain"),
                whole(form.get("effort"), "effort") if form.get("effort") else None,
            )
        except (InvalidInput, Conflict) as error:
            return web.refused(request, who, "Not logged", error, "/session", "Back to the session")
        return RedirectResponse("/today", 303)


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= 1000:
        raise InvalidInput(f"speed must be a number above 0 and at most 1000, not '{text[:20]}'")
    return value


def _set_report(data: Any) -> "SetReport":
    """The player's report of a set from the posted JSON, each field checked and named when
    it is missing or wrong (the service then checks it against today's session)."""
    from kneecoach.domain.journal import Side
    from kneecoach.services.guided import SetReport

    if not isinstance(data, dict):
        raise InvalidInput("the body must be a JSON object with the fields " + _fields())
    unknown = sorted(set(data) - set(REPORT_FIELDS))
    if unknown:
        raise InvalidInput(f"{unknown[0][:40]}: not a field of a set ({_fields()})")
    exercise = _required(data, "exercise")
    if not isinstance(exercise, str) or not 0 < len(exercise) <= 100:
        raise InvalidInput("exercise: must be an exercise's key, such as 'roll-down'")
    side = _required(data, "side")
    if side not in tuple(Side):
        raise InvalidInput("side: must be 'left', 'right' or 'both'")
    completed = _required(data, "completed")
    if not isinstance(completed, bool):
        raise InvalidInput("completed: must be true or false")
    elapsed = _required(data, "elapsed_seconds")
    if not _is_number(elapsed) or not 0 <= elapsed < math.inf:
        raise InvalidInput("elapsed_seconds: must be a number of seconds, 0 or more")
    rep = data.get("rep")
    return SetReport(
        exercise=exercise,
        side=Side(side),
        set_number=_count(_required(data, "set_number"), "set_number"),
        completed=completed,
        elapsed_seconds=float(elapsed),
        rep=None if rep is None else _count(rep, "rep"),
    )


def _pain_report(data: Any) -> tuple[str, int]:
    """The exercise and the pain of a player's pain report, each checked and named."""
    exercise = _exercise_of(_only_fields(data, ("exercise", "pain"), "a pain report"))
    pain = _required(data, "pain")
    if not _is_number(pain) or not math.isfinite(pain) or pain != int(pain) or not 0 <= pain <= 10:
        raise InvalidInput("pain: must be a whole number from 0 to 10")
    return exercise, int(pain)


def _offer_report(data: Any) -> tuple[str, str]:
    """The exercise and the offer a player's tap names, each checked and named."""
    exercise = _exercise_of(_only_fields(data, ("exercise", "offer"), "an offer taken"))
    offer = _required(data, "offer")
    if not isinstance(offer, str) or not 0 < len(offer) <= 40:
        raise InvalidInput("offer: must be one of smaller_range, fewer_reps, easier_variant")
    return exercise, offer


def _only_fields(data: Any, names: tuple[str, ...], what: str) -> dict[str, Any]:
    """A JSON object holding no field but ``names``, or a refusal that names the first other."""
    listed = ", ".join(names)
    if not isinstance(data, dict):
        raise InvalidInput(f"the body must be a JSON object with the fields {listed}")
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise InvalidInput(f"{unknown[0][:40]}: not a field of {what} ({listed})")
    return data


def _exercise_of(data: dict[str, Any]) -> str:
    exercise = _required(data, "exercise")
    if not isinstance(exercise, str) or not 0 < len(exercise) <= 100:
        raise InvalidInput("exercise: must be an exercise's key, such as 'roll-down'")
    return exercise


def _fields() -> str:
    return ", ".join(REPORT_FIELDS)


def _required(data: dict[str, Any], name: str) -> Any:
    if data.get(name) is None:
        raise InvalidInput(f"{name}: missing")
    return data[name]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _count(value: Any, name: str) -> int:
    if not _is_number(value) or not math.isfinite(value) or value != int(value) or value < 1:
        raise InvalidInput(f"{name}: must be a whole number from 1")
    return int(value)
