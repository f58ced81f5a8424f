"""Today, the journal and the guided session: the day's plan, sessions and morning
check-ins, and the player's view of today's session, each set as a player reports it (the
server judges what it counts as) and the finish."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import datetime as dt
from typing import Annotated, Any

from fastapi import FastAPI, Query
from pydantic import Field

from kneecoach.domain.journal import (
    MAX_HOLD_SECONDS,
    MAX_LOAD_KG,
    MAX_NOTE_LENGTH,
    MAX_REPS,
    MAX_SETS,
    Side,
)
from kneecoach.domain.load import EFFORT_MAX, EFFORT_MIN
from kneecoach.domain.pain import PAIN_MAX, PAIN_MIN
from kneecoach.presenters import (
    checkin_json,
    checkins_json,
    exercise_pain_json,
    history_json,
    kept_set_json,
    logged_session_json,
    offer_taken_json,
    session_player_json,
    today_json,
)
from kneecoach.web.api.access import Own
from kneecoach.web.api.body import Body
from kneecoach.web.api.errors import errors

Pain = Annotated[
    int, Field(ge=PAIN_MIN, le=PAIN_MAX, description=f"Knee pain, {PAIN_MIN} to {PAIN_MAX}.")
]
Effort = Annotated[
    int, Field(ge=EFFORT_MIN, le=EFFORT_MAX, description=f"How hard, {EFFORT_MIN} to {EFFORT_MAX}.")
]
First = Annotated[
    dt.date | None, Query(alias="from", description="First day (default: the program start).")
]
Last = Annotated[dt.date | None, Query(alias="to", description="Last day (default: today).")]


class CheckinIn(Body):
    pain_morning: Pain
    date: dt.date | None = Field(default=None, strict=False)
    swelling: bool = False


class SetDoneIn(Body):
    """One set: the reps or the seconds held (one of the two), and the load."""

    reps: int | None = Field(default=None, ge=0, le=MAX_REPS)
    hold_seconds: int | None = Field(default=None, ge=0, le=MAX_HOLD_SECONDS)
    load_kg: float | None = Field(default=None, ge=0, le=MAX_LOAD_KG)


class ExerciseDoneIn(Body):
    """What was done of one exercise, as in a session file's "exercises" list (README, "A
    session file"): without a side, both legs did it."""

    exercise: str = Field(min_length=1, max_length=100)
    variant: str | None = Field(default=None, max_length=100)
    side: Side | None = Field(default=None, strict=False)
    sets: list[SetDoneIn] = Field(min_length=1, max_length=MAX_SETS)


class SessionIn(Body):
    """A session done: as planned, or what was done of each exercise."""

    pain_during: Pain
    effort: Effort | None = None
    notes: str = Field(default="", max_length=MAX_NOTE_LENGTH)
    pain_after: Pain | None = None
    date: dt.date | None = Field(default=None, strict=False, description="The day (default today).")
    replace: bool = Field(default=False, description="Replace a session kept for that day.")
    exercises: list[ExerciseDoneIn] | None = Field(
        default=None,
        min_length=1,
        max_length=50,
        description="What was done of each exercise; without it, every set as planned.",
    )
    exercise_pain: dict[str, Pain] | None = Field(
        default=None,
        max_length=20,
        description="Knee pain during some exercises, by name as `exercises` accepts it "
        "(0 to 10): each is judged by its own pain, the others by pain_during.",
    )


class SetReportIn(Body):
    """How a set ended in a player: the set, whether it ran to its end, the seconds into the
    step it stopped in, and the repetition under way (for a set of repetitions)."""

    exercise: str = Field(min_length=1, max_length=100)
    side: Side = Field(strict=False)
    set_number: int = Field(ge=1, le=MAX_SETS)
    completed: bool
    elapsed_seconds: float = Field(default=0.0, ge=0, le=24 * 3600)
    rep: int | None = Field(default=None, ge=1, le=MAX_REPS)


class OfferIn(Body):
    """An easier way a player takes for one exercise of today's session, one of those the
    answer to too much pain offered (its `offers`)."""

    exercise: str = Field(min_length=1, max_length=100)
    offer: str = Field(
        min_length=1,
        max_length=40,
        description="`smaller_range`, `fewer_reps` or `easier_variant`.",
    )


class ExercisePainIn(Body):
    """Knee pain during one exercise of today's session, as a player reports it."""

    exercise: str = Field(min_length=1, max_length=100)
    pain: Pain


class FinishIn(Body):
    """How the guided session felt."""

    pain_during: Pain
    effort: Effort | None = None


def add_routes(api: FastAPI) -> None:
    @api.get("/today", responses=errors(409))
    def today(runner: Own) -> dict[str, Any]:
        """The session due today (or the rest day, or the pause), whether the AKPS is due,
        the return-to-run stage due, what is already logged, and the session in progress
        (`in_progress`: kept set by set and not finished, with the sets kept of those planned
        and the pain reported so far; null otherwise): `kneecoach today --json`."""
        from kneecoach.services.today import today_view

        return today_json(today_view(runner))

    @api.get("/sessions", responses=errors(409, 422))
    @api.get("/history", responses=errors(409, 422))
    def sessions(runner: Own, first: First = None, last: Last = None) -> dict[str, Any]:
        """Sessions against the plan, pain during and next morning, check-ins and adherence,
        over a period: `kneecoach history --json`."""
        from kneecoach.services.history import history

        return history_json(history(runner, first, last))

    @api.post("/sessions", status_code=201, responses=errors(409, 422))
    def log_session(body: SessionIn, runner: Own) -> dict[str, Any]:
        """Log a session done (today unless ``date``): as planned, or each exercise's sets as
        in `kneecoach log --file`. Severe pain pauses the program, and the program adapts.
        409 when the day has a session already (unless ``replace``), or while the program
        is paused for a session of the pause's day or later (a pause means pause)."""
        from kneecoach.services import journal
        from kneecoach.services.today import session_for

        day = body.date or runner.clock.today()
        plan = session_for(runner, day)
        done = (
            journal.planned_as_done(plan)
            if body.exercises is None
            else journal.entries_from_json(
                [e.model_dump(mode="json", exclude_none=True) for e in body.exercises], plan
            )
        )
        logged = journal.record_session(
            runner,
            day,
            done,
            body.pain_during,
            effort=body.effort,
            notes=body.notes,
            replace=body.replace,
            pain_after=body.pain_after,
            exercise_pain=None
            if body.exercise_pain is None
            else journal.exercise_pains_from_json(body.exercise_pain),
        )
        from kneecoach.services.adaptation import session_end

        return logged_session_json(logged, session_end(runner, logged))

    @api.get("/checkins", responses=errors(409, 422))
    def checkins(runner: Own, first: First = None, last: Last = None) -> list[dict[str, Any]]:
        """Next-morning check-ins over a period, oldest first."""
        from kneecoach.services.history import history

        return checkins_json(history(runner, first, last))

    @api.post("/checkins", status_code=201, responses=errors(409, 422))
    def checkin(body: CheckinIn, runner: Own) -> dict[str, Any]:
        """Next-morning knee pain (`kneecoach checkin --json`); swelling pauses the
        program."""
        from kneecoach.services.journal import record_checkin
        from kneecoach.services.onboarding import screening_view

        kept, replaced = record_checkin(
            runner, body.pain_morning, body.date, swelling=body.swelling
        )
        return checkin_json(kept, replaced, screening_view(runner))

    @api.get("/session", responses=errors(409))
    def session_player(runner: Own) -> dict[str, Any]:
        """Today's guided session as the players run it: every timed step, the totals, and
        the sets already kept today (left out of the steps). 409 when the program is paused
        or today's session is logged."""
        from kneecoach.services.guided import browser_session

        return session_player_json(browser_session(runner))

    @api.post("/session/sets", responses=errors(409, 422))
    def session_set(body: SetReportIn, runner: Own) -> dict[str, Any]:
        """Keep a set as a player reports it ended; the answer says what it counted as
        (``kept`` false: nothing of it was done)."""
        from kneecoach.services.guided import SetReport, keep_reported_set

        report = SetReport(**body.model_dump())
        return kept_set_json(keep_reported_set(runner, report))

    @api.post("/session/exercise-pain", responses=errors(409, 422))
    def session_exercise_pain(body: ExercisePainIn, runner: Own) -> dict[str, Any]:
        """Keep the pain a player reports during an exercise of today's session and answer
        with the verdict: the traffic light, the advice with its sources, the easier ways
        offered at once when the pain is too much, and whether the session stopped — at the
        pause threshold it is logged there and the program pauses. 409 when the program is
        paused."""
        from kneecoach.services.guided import report_browser_pain

        return exercise_pain_json(report_browser_pain(runner, body.exercise, body.pain))

    @api.post("/session/offers", responses=errors(409, 422))
    def session_offer(body: OfferIn, runner: Own) -> dict[str, Any]:
        """Take an easier way for the rest of today's session — a smaller range, fewer reps
        or the easier variant — as offered after too much pain during the exercise
        (`POST /session/exercise-pain`, its `offers`). It is kept with the day's session:
        the remaining sets of the exercise follow it (the answer's `session` is the rest of
        the session as a player runs it, and `GET /session` gives the same) and each set is
        kept as it is done. 409 when no such offer is open (no pain too much reported for
        the exercise, every set of it done, no such step left, no session in progress) or
        the program is paused; 422 for an unknown exercise or offer."""
        from kneecoach.services.guided import take_browser_offer

        return offer_taken_json(take_browser_offer(runner, body.exercise, body.offer))

    @api.post("/session/finish", responses=errors(409, 422))
    def session_finish(body: FinishIn, runner: Own) -> dict[str, Any]:
        """Log today's guided session with how it felt: the sets kept so far. 409 without a
        set done today."""
        from kneecoach.services.guided import finish_day

        logged = finish_day(runner, runner.clock.today(), body.pain_during, body.effort)
        from kneecoach.services.adaptation import session_end

        return logged_session_json(logged, session_end(runner, logged))
