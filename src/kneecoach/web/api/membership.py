"""Running a clinic through the API, on the same use cases as the pages
(``services.membership``): the owner invites clinicians, a clinician hands a runner to a
colleague, an account changes its password and sees and ends its sessions and tokens, and a
runner leaves a clinician or deletes their account."""

# No "from __future__ import annotations": FastAPI reads the route annotations at runtime.
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Path, Request, Response
from pydantic import Field

from kneecoach.services import membership
from kneecoach.services.accounts import NotAllowed
from kneecoach.services.ports import Member
from kneecoach.web.api.access import (
    MAX_ID,
    Account,
    Clinician,
    RunnerId,
    client_address,
    runtime_of,
    site_address,
)
from kneecoach.web.api.body import Body
from kneecoach.web.api.errors import errors

LONGEST_PASSWORD = 1024
Key = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        pattern="^[0-9a-f]+$",
        description="The key the listing gives (GET /web-sessions, GET /tokens).",
    ),
]
ClinicianId = Annotated[
    int, Path(ge=1, le=MAX_ID, description="A clinician's id (GET /my-clinicians).")
]


class HandOverIn(Body):
    """The colleague who takes the runner over (GET /clinicians lists them)."""

    clinician_id: int = Field(ge=1, le=MAX_ID)


class PasswordIn(Body):
    """The current password and the new one (at least 10 characters)."""

    current_password: str = Field(max_length=LONGEST_PASSWORD)
    new_password: str = Field(max_length=LONGEST_PASSWORD)


class ConfirmIn(Body):
    """The account's password, to confirm."""

    password: str = Field(max_length=LONGEST_PASSWORD)


def _member(m: Member) -> dict[str, Any]:
    return {"id": m.id, "name": m.name, "role": m.role}


def _gone() -> Response:
    return Response(status_code=204)


def add_routes(api: FastAPI) -> None:
    @api.post("/clinicians/invitations", status_code=201, responses=errors(403))
    def clinician_invitation(request: Request, user: Account) -> dict[str, str]:
        """A single-use link for a new clinician to join the clinic (valid two weeks); only
        the clinic's owner invites clinicians (403 otherwise)."""
        runtime = runtime_of(request)
        try:
            token = membership.invite_clinician(runtime.accounts, user, runtime.clock.now())
        except NotAllowed:
            raise HTTPException(
                status_code=403, detail="only the clinic's owner invites clinicians"
            ) from None
        return {"link": site_address(request, f"/invite/{token}")}

    @api.get("/clinicians", responses=errors(403))
    def clinicians(request: Request, user: Clinician) -> list[dict[str, Any]]:
        """The clinic's other clinicians (the owner among them), who may take over a runner
        (403 for a runner's account)."""
        return [_member(m) for m in membership.colleagues(runtime_of(request).accounts, user)]

    @api.post("/runners/{runner_id}/hand-over", responses=errors(404, 422))
    def hand_over(
        request: Request, user: Account, runner_id: RunnerId, body: HandOverIn
    ) -> dict[str, Any]:
        """Hand one of your runners to a colleague: they follow the runner from now on, you
        no longer do (404 for a runner who is not yours; 422 for someone who is not another
        clinician of the clinic). Kept in the audit log; the runner is emailed when they keep
        an address (`runner_told`)."""
        runtime = runtime_of(request)
        try:
            done = membership.hand_over(
                runtime.accounts,
                user,
                client_address(request) or "unknown",
                runner_id,
                body.clinician_id,
                runtime.clock.now(),
            )
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None
        return {
            "runner_id": done.runner_id,
            "runner": done.runner,
            "clinician_id": done.clinician_id,
            "clinician": done.clinician,
            "runner_told": done.runner_told,
        }

    @api.put("/password", status_code=204, response_class=Response, responses=errors(422))
    def change_password(request: Request, user: Account, body: PasswordIn) -> Response:
        """Change the account's password, given the current one (422 when it is not right —
        a wrong one counts as a failed login, and too many wait like logins — or the new
        one is too short); every web session of the account ends (API tokens stay: revoke
        them with DELETE /tokens/{key})."""
        runtime = runtime_of(request)
        membership.change_password(
            runtime.accounts,
            user,
            body.current_password,
            body.new_password,
            None,
            runtime.clock.now(),
            client_address(request) or "unknown",
        )
        return _gone()

    @api.get("/web-sessions")
    def sessions(request: Request, user: Account) -> list[dict[str, Any]]:
        """The account's signed-in web sessions, newest first: when each began and ends,
        and the key that ends it."""
        runtime = runtime_of(request)
        return [
            {
                "key": s.key,
                "created_at": s.created_at.isoformat(),
                "expires_at": s.expires_at.isoformat(),
            }
            for s in membership.sessions(runtime.accounts, user, None, runtime.clock.now())
        ]

    @api.delete(
        "/web-sessions/{key}", status_code=204, response_class=Response, responses=errors(404, 422)
    )
    def end_session(request: Request, user: Account, key: Key) -> Response:
        """End one of the account's web sessions (404 for a key it does not have)."""
        runtime = runtime_of(request)
        if not membership.end_session(runtime.accounts, user, key, runtime.clock.now()):
            raise HTTPException(status_code=404, detail="not found")
        return _gone()

    @api.get("/tokens")
    def tokens(request: Request, user: Account) -> list[dict[str, Any]]:
        """The account's API tokens (never the tokens themselves), newest first: what each
        is for, when it was made, and the key that revokes it."""
        return [
            {"key": t.key, "name": t.name, "created_at": t.created_at.isoformat()}
            for t in membership.api_tokens(runtime_of(request).accounts, user)
        ]

    @api.delete(
        "/tokens/{key}", status_code=204, response_class=Response, responses=errors(404, 422)
    )
    def revoke_token(request: Request, user: Account, key: Key) -> Response:
        """Revoke one of the account's API tokens, this one too: it stops working at once
        (404 for a key it does not have)."""
        if not membership.revoke_api_token(runtime_of(request).accounts, user, key):
            raise HTTPException(status_code=404, detail="not found")
        return _gone()

    @api.get("/my-clinicians")
    def my_clinicians(request: Request, user: Account) -> list[dict[str, Any]]:
        """The clinicians who follow the account's record."""
        return [_member(m) for m in membership.my_clinicians(runtime_of(request).accounts, user)]

    @api.delete(
        "/my-clinicians/{clinician_id}",
        status_code=204,
        response_class=Response,
        responses=errors(404, 422),
    )
    def leave_clinician(request: Request, user: Account, clinician_id: ClinicianId) -> Response:
        """Leave a clinician's care: they no longer reach the record (404 on their pages and
        API from now on) and are emailed when they keep an address (404 for a clinician
        who does not follow the account)."""
        runtime = runtime_of(request)
        try:
            membership.leave_clinician(runtime.accounts, user, clinician_id, runtime.clock.now())
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None
        return _gone()

    @api.post("/account/delete", status_code=204, response_class=Response, responses=errors(422))
    def delete_account(request: Request, user: Account, body: ConfirmIn) -> Response:
        """Delete a runner's account and everything kept of it, confirmed with the password
        (422 when it is not right, or for a clinician's or the owner's account); the
        clinicians following the runner are emailed. Download the backup first
        (GET /export/backup)."""
        runtime = runtime_of(request)
        membership.delete_account(
            runtime.accounts,
            user,
            body.password,
            runtime.clock.now(),
            client_address(request) or "unknown",
        )
        return _gone()
