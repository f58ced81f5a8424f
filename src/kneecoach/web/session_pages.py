"""The guided session in the browser: the timeline for the player, each set as it ends, and
the finish."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kneecoach import definitions
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


def add_routes(app: FastAPI, web: Web) -> None:
    @app.get("/session", response_class=HTMLResponse)
    def session_page(request: Request, who: Who, runner: Runner, speed: float = 1.0) -> Response:
        """The guided session in the browser. ``speed`` (1 to 1000) runs the clock faster,
        for a demonstration or a test."""
        from kneecoach.domain.journal import LoggedSet
        from kneecoach.domain.timeline import SetRef, build_timeline
        from kneecoach.services import guided
        from kneecoach.services.today import session_for

        if not 0 < speed <= 1000:
            raise HTTPException(status_code=400, detail="speed must be above 0 and at most 1000")
        day = web.clock.today()
        stopped = guided.unfinished(runner)
        done: list[LoggedSet] = (
            list(stopped.sets) if stopped and stopped.performed_on == day else []
        )
        if not done and runner.store.journal.sessions(day, day):
            return web.page.render(
                request,
                "message.html",
                title="Done",
                heading="Done for today",
                lines=["Today's session is logged already."],
                link=("/history", "See the history"),
                **web.base(who),
            )
        plan = session_for(runner, day)
        stored = runner.stored_profile().profile
        timeline = build_timeline(
            plan,
            stored.affected_knee,
            guided.options_for(runner),
            done={SetRef(s.exercise, s.side, s.set_number) for s in done},
        )
        cues = {item.exercise.key: item.exercise.cue for item in plan.exercises}
        holds = {
            item.exercise.key: item.dosage.hold_seconds
            for item in plan.exercises
            if not item.exercise.tempo and item.dosage.hold_seconds
        }

        def figure_url(exercise: str, variant: str, side: str) -> str:
            hold = f"&hold={holds[exercise]}" if exercise in holds else ""
            return (
                f"/exercises/{exercise}/figure.svg?variant={variant}&side={side}"
                f"&speed={speed:g}{hold}"
            )

        steps = [
            {
                "kind": s.kind.value,
                "start": s.start,
                "duration": s.duration,
                "exercise": s.exercise,
                "exercise_name": s.exercise_name,
                "variant": s.variant,
                "side": s.side.value,
                "set_number": s.set_number,
                "sets": s.sets,
                "rep": s.rep,
                "reps": s.reps,
                "phase": s.phase,
                "hold_seconds": s.hold_seconds,
                "load_kg": s.load_kg,
                "ends_set": s.ends_set,
                "cue": s.cue,
                "cue_line": cues.get(s.exercise, ""),
                "figure": figure_url(s.exercise, s.variant, s.side.value) if s.exercise else "",
            }
            for s in timeline.steps
        ]
        return web.page.render(
            request,
            "session.html",
            title="Session",
            timeline=steps,
            total=timeline.total_seconds,
            speed=speed,
            done=len(done),
            **web.base(who),
        )

    @app.post("/session/sets")
    def session_set(who: JsonChecked, runner: Runner, data: PostedJson) -> dict[str, Any]:
        from kneecoach.domain.journal import LoggedSet, Side
        from kneecoach.services import guided

        try:
            done = LoggedSet(
                exercise=definitions.catalogue().get(str(data["exercise"])).key,
                variant=str(data["variant"]),
                side=Side(str(data["side"])),
                set_number=int(data["set_number"]),
                reps=None if data.get("reps") is None else int(data["reps"]),
                hold_seconds=None
                if data.get("hold_seconds") is None
                else int(data["hold_seconds"]),
                load_kg=float(data.get("load_kg") or 0),
            )
            session_id = guided.keep_set(runner, web.clock.today(), done)
        except (KeyError, TypeError, ValueError, InvalidInput, Conflict) as error:
            raise HTTPException(status_code=400, detail=f"set not kept: {error}") from None
        return {"kept": True, "session": session_id}

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
