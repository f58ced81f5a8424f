"""The runner's set-up and settings: the profile (onboarding, through the API), the
red-flag screen answered again, the settings the server applies, and the secret calendar
subscription address."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
import datetime as dt
from typing import Annotated, Any

from fastapi import FastAPI, Request, Response
from pydantic import Field

from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.pain import PAIN_MAX, PAIN_MIN
from kneecoach.domain.profile import MAX_DUMBBELL_KG, Knee, StartSide
from kneecoach.domain.redflags import AgeBand
from kneecoach.presenters import (
    onboarded_json,
    runner_profile_json,
    screening_json,
    settings_json,
)
from kneecoach.web.api.access import Account, Own, runtime_of, site_address
from kneecoach.web.api.body import Body
from kneecoach.web.api.errors import errors
from kneecoach.web.api.progress import RedFlags, ScreenIn

Pain = Annotated[int, Field(ge=PAIN_MIN, le=PAIN_MAX)]


class ProfileIn(Body):
    """The onboarding, as `kneecoach init` takes it: the knee, the pain, the equipment at
    hand, the schedule, and the red-flag screen (the flags the runner has)."""

    knee: Knee = Field(strict=False, description="The affected knee.")
    pain_at_rest: Pain
    pain_running: Pain
    equipment: list[Annotated[Equipment, Field(strict=False)]] = Field(
        max_length=20, description="Equipment at hand."
    )
    heaviest_dumbbell_kg: float | None = Field(
        default=None, gt=0, le=MAX_DUMBBELL_KG, description="With dumbbells: the heaviest, in kg."
    )
    sessions_per_week: int = Field(ge=1, le=7)
    start_date: dt.date | None = Field(default=None, strict=False, description="Default: today.")
    start_side: StartSide = Field(
        strict=False,
        default=StartSide.AFFECTED,
        description="Which leg starts each round in a session.",
    )
    red_flags: RedFlags | None = Field(
        default=None,
        description="The red-flag screen answered: the flags the runner has ([] for none). "
        "Left out, the screen is not answered and the program waits for it (POST /screen).",
    )
    age_band: AgeBand | None = Field(
        default=None,
        strict=False,
        description="The runner's age band (the screen's age question). Left out, the "
        "screen is not answered and the program waits for it.",
    )


class EmailIn(Body):
    """An address for email notices; an empty text removes it."""

    email: str = Field(max_length=254)


def add_routes(api: FastAPI) -> None:
    @api.get("/profile", responses=errors(409))
    def profile(runner: Own) -> dict[str, Any]:
        """The profile, the program it runs, and the red-flag screen in force (with the day
        it was answered); 409 before onboarding."""
        from kneecoach.services.onboarding import runner_profile

        return runner_profile_json(runner_profile(runner))

    @api.put("/profile", responses=errors(409, 422))
    def onboard(body: ProfileIn, runner: Own) -> dict[str, Any]:
        """Set up (or replace) the profile and answer the red-flag screen, with the checks
        of `kneecoach init`: what `kneecoach init --json` prints. A red flag keeps the
        program paused until the screen is answered again all clear; 409 when the program
        is paused and the new screen is clear (setting up again never lifts a pause); 422
        for `"none"` (none of these apply) in `red_flags` together with a red flag, which
        contradicts itself, as for any unknown flag or bad field."""
        from kneecoach.domain.profile import Profile
        from kneecoach.services import onboarding as service

        answers = None if body.red_flags is None else service.answers_from_screen(body.red_flags)
        profile = Profile(
            affected_knee=body.knee,
            pain_at_rest=body.pain_at_rest,
            pain_running=body.pain_running,
            equipment=frozenset(body.equipment),
            sessions_per_week=body.sessions_per_week,
            start_date=body.start_date or runner.clock.today(),
            heaviest_dumbbell_kg=body.heaviest_dumbbell_kg,
            start_side=body.start_side,
        )
        done = service.onboard(runner, profile, answers, body.age_band)
        return onboarded_json(
            service.ProfileView.of(done.profile), service.screening_view(runner), done.replaced
        )

    @api.post("/screen", responses=errors(409, 422))
    def rescreen(body: ScreenIn, runner: Own) -> dict[str, Any]:
        """Answer the red-flag screen (the age band the first time). All clear resumes a
        paused program once a clinician has seen the runner: 409 for a runner a clinician
        follows (the clinician lifts it), 422 without `seen_clinician_on` otherwise
        (`kneecoach screen --json`); 422 for `"none"` in `red_flags` together with a red
        flag."""
        from kneecoach.services import onboarding as service

        service.rescreen(
            runner,
            service.answers_from_screen(body.red_flags),
            body.age_band,
            body.seen_clinician_on,
        )
        return screening_json(service.screening_view(runner))

    @api.get("/settings")
    def settings(request: Request, runner: Own) -> dict[str, Any]:
        """The settings the server applies to this runner's figures (units, the load's unit,
        the AKPS interval), and whether a calendar subscription address exists."""
        feed = runtime_of(request).accounts.has_calendar_feed(runner.user_id)
        return settings_json(runner.preferences, feed)

    @api.get("/email")
    def email(request: Request, user: Account) -> dict[str, Any]:
        """The account's address for email notices, and whether this server sends email."""
        accounts = runtime_of(request).accounts
        return {"email": accounts.email_of(user), "mail_on": accounts.mail_on}

    @api.put("/email", responses=errors(422))
    def set_email(request: Request, user: Account, body: EmailIn) -> dict[str, Any]:
        """Set (or, with an empty text, remove) the address for email notices."""
        runtime = runtime_of(request)
        accounts = runtime.accounts
        saved = accounts.set_email(user, body.email, runtime.clock.now())
        return {"email": saved, "mail_on": accounts.mail_on}

    @api.post("/calendar-feed", status_code=201)
    def calendar_feed(request: Request, user: Account) -> dict[str, str]:
        """A new secret calendar subscription address (the coming weeks' sessions, with
        reminders), shown this once; it replaces the one before."""
        runtime = runtime_of(request)
        token = runtime.accounts.open_calendar_feed(user, runtime.clock.now())
        return {"address": site_address(request, f"/calendar/{token}.ics")}

    @api.delete("/calendar-feed", status_code=204, response_class=Response)
    def calendar_feed_revoke(request: Request, user: Account) -> Response:
        """Revoke the calendar subscription address: it stops working."""
        runtime = runtime_of(request)
        runtime.accounts.close_calendar_feed(user, runtime.clock.now())
        return Response(status_code=204)
