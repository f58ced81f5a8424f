"""Progress, the weekly review and the AKPS: each exercise's level and decisions (undo a
decision, pin an exercise), the week summed up after the red-flag screen, and the Kujala
AKPS taken and followed."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import datetime as dt
from typing import Annotated, Any

from fastapi import FastAPI
from pydantic import Field

from kneecoach.domain.redflags import RED_FLAG_KEYS, AgeBand
from kneecoach.presenters import (
    akps_history_json,
    akps_questions_json,
    akps_recorded_json,
    pin_note,
    progress_json,
    review_json,
    undo_note,
)
from kneecoach.services.ports import Conflict
from kneecoach.web.api.access import Account, Own
from kneecoach.web.api.body import Body
from kneecoach.web.api.errors import errors

RedFlags = Annotated[
    list[Annotated[str, Field(max_length=50)]],
    Field(
        max_length=20,
        description="The red flags the runner has now, by key, of "
        f'{", ".join(RED_FLAG_KEYS)} ([] or ["none"]: every answer is no; "none" '
        "with a flag contradicts itself: 422).",
    ),
]


class PinIn(Body):
    """Pin an exercise where it is (no automatic steps), or let it move again."""

    exercise: str = Field(min_length=1, max_length=100)
    pinned: bool = True


class AkpsIn(Body):
    """The questionnaire answered: for each item in order, the 1-based number of the option
    chosen (GET /akps/questionnaire)."""

    answers: list[Annotated[int, Field(ge=1, le=100)]] = Field(min_length=1, max_length=50)
    date: dt.date | None = Field(
        default=None, strict=False, description="The day it was taken (today)."
    )


class ScreenIn(Body):
    """The red-flag screen answered: the flags the runner has (every other answer is no).
    The list is required: a body without it is refused (422), never taken as all 'no'."""

    red_flags: RedFlags
    age_band: AgeBand | None = Field(
        default=None,
        strict=False,
        description="The runner's age band; needed the first time the screen is answered "
        "(the screen's age question).",
    )
    seen_clinician_on: dt.date | None = Field(
        default=None,
        strict=False,
        description="To lift a pause, for a runner no clinician follows: the day a clinician "
        "saw them (on or after the pause began). A followed runner's pause is lifted by "
        "their clinician (409).",
    )


def add_routes(api: FastAPI) -> None:
    @api.get("/progress", responses=errors(409))
    def progress(runner: Own) -> dict[str, Any]:
        """Each exercise's level, decisions and next step (`kneecoach progress --json`)."""
        from kneecoach.services.progress import progress as build

        return progress_json(build(runner))

    @api.post("/progress/undo", responses=errors(409))
    def progress_undo(runner: Own) -> dict[str, Any]:
        """Undo the latest decision (its exercise goes back): the progress, with a note of
        what was undone (`kneecoach progress --undo --json`). A decision the runner may not
        undo (a clinician's prescription) answers 409 with the reason."""
        from kneecoach.services.adaptation import undo
        from kneecoach.services.progress import progress as build

        undone = undo(runner)
        note = undo_note(undone)
        if undone.refused is not None:  # as the command line refuses it (exit 2)
            raise Conflict(note)
        return progress_json(build(runner), note)

    @api.post("/progress/pins", responses=errors(409, 422))
    def progress_pin(body: PinIn, runner: Own) -> dict[str, Any]:
        """Pin or unpin an exercise: the progress, with a note of where it stands
        (`kneecoach progress --pin NAME --json`)."""
        from kneecoach.services.adaptation import pin
        from kneecoach.services.progress import progress as build

        note = pin_note(pin(runner, body.exercise, body.pinned), body.pinned)
        return progress_json(build(runner), note)

    @api.get("/akps", responses=errors(409))
    def akps(runner: Own) -> dict[str, Any]:
        """Every AKPS result, the change and when the next is due (`akps --history
        --json`)."""
        from kneecoach.services.outcomes import akps_history

        return akps_history_json(akps_history(runner))

    @api.get("/akps/questionnaire")
    def akps_questionnaire(user: Account) -> list[dict[str, Any]]:
        """The AKPS items as they are asked, each with its options in order."""
        from kneecoach.services.outcomes import akps_questions

        return akps_questions_json(akps_questions())

    @api.post("/akps", status_code=201, responses=errors(409, 422))
    def akps_take(body: AkpsIn, runner: Own) -> dict[str, Any]:
        """Score and keep one questionnaire: item by item, and the change it makes
        (`kneecoach akps --answers … --json`)."""
        from kneecoach.services.outcomes import record_akps

        return akps_recorded_json(record_akps(runner, body.answers, body.date))

    @api.get("/review", responses=errors(409))
    def review(runner: Own) -> dict[str, Any]:
        """The week summed up on the red-flag screen last answered (`kneecoach review
        --json`); POST answers the screen first, as the review does in the app."""
        from kneecoach.services.review import weekly_review

        return review_json(weekly_review(runner))

    @api.post("/review", responses=errors(409, 422))
    def review_screened(body: ScreenIn, runner: Own) -> dict[str, Any]:
        """The weekly review as a runner does it: the red-flag questions again (a flag pauses
        the program; all clear never lifts a pause — POST /screen does, as its rule
        allows), then the week summed up (`kneecoach review --json`)."""
        from kneecoach.services.onboarding import answers_from_flags
        from kneecoach.services.review import screen_and_review

        return review_json(screen_and_review(runner, answers_from_flags(body.red_flags)))
