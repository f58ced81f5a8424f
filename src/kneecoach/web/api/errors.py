"""How the API says no: one small error body for every refusal, the statuses each operation
documents in the OpenAPI schema, and the service exceptions turned into those statuses."""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError, OperationalError

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.context import NotSetUp
from kneecoach.services.ports import Conflict
from kneecoach.services.runs import NoSuchActivity


class ErrorOut(BaseModel):
    """Every error's body: what went wrong, in words a person can act on."""

    detail: str


class ConflictOut(BaseModel):
    """A conflict's body: what is in the way, and (where there is one) what is kept there —
    the day's session that another request logged first, say."""

    detail: str
    existing: dict[str, Any] | None = None


MEANINGS = {
    400: "The body is not what the operation reads (not JSON, for instance).",
    401: "No valid bearer token: make one on the Settings page of the web app.",
    403: "This account's role may not do this (only a clinician may, or only the clinic's "
    "owner), or a Strava answer whose state this account did not ask for.",
    404: "Not found: no such item, or not this account's to see.",
    409: "No profile yet (set one up with PUT /profile), Strava off on this server or not "
    "connected (or needing connecting again), or a conflict with what is kept "
    "(the day's session is logged already, the program is paused, …), with what is kept in "
    "`existing` where there is one; two requests racing for the same day get one 201 and "
    "409s; a request with an `Idempotency-Key` still being answered.",
    422: "Bad input: the detail names the field and what is wrong with it (or an "
    "`Idempotency-Key` sent again with a different request).",
    502: "Strava refused the request or could not be reached: the detail says which.",
    503: "The database is busy: try again in a moment (Retry-After).",
}
"""What each error status means, as the schema documents it."""


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The error responses of an operation for ``responses=``: 401 (every operation needs a
    token) and ``statuses``, each with the error body."""
    return {
        status: {
            "model": ConflictOut if status == 409 else ErrorOut,
            "description": MEANINGS[status],
        }
        for status in sorted({401, *statuses})
    }


def _refusal(status: int) -> Callable[[Request, Exception], JSONResponse]:
    def handler(request: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=status)

    return handler


def _conflict(request: Request, error: Exception) -> JSONResponse:
    """409 with what is kept in the way, when the use case said."""
    from fastapi.encoders import jsonable_encoder

    from kneecoach.presenters import conflict_json

    return JSONResponse(jsonable_encoder(conflict_json(error)), status_code=409)


def _race_lost(request: Request, error: Exception) -> JSONResponse:
    """A uniqueness the database kept where no use case turned it into a Conflict."""
    return JSONResponse(
        {"detail": "this was saved already by another request: read it again"}, status_code=409
    )


def _out_of_range(request: Request, error: Exception) -> JSONResponse:
    """A value the database cannot keep (a number past its integers, a NUL in text)."""
    return JSONResponse(
        {"detail": "a value sent is out of the range this app keeps"}, status_code=422
    )


def _busy(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse(
        {"detail": "the database is busy: try again in a moment"},
        status_code=503,
        headers={"Retry-After": "1"},
    )


def _not_set_up(request: Request, error: Exception) -> JSONResponse:
    return JSONResponse(
        {"detail": "no profile yet: set up the program first (PUT /profile)"}, status_code=409
    )


def _invalid_request(request: Request, error: Exception) -> JSONResponse:
    """A body that is not JSON at all is 400; otherwise pydantic's findings are 422, as one
    line: each field's place and what is wrong with it."""
    assert isinstance(error, RequestValidationError)
    for issue in error.errors():
        if issue.get("type") == "json_invalid":
            why = issue.get("ctx", {}).get("error", "")
            return JSONResponse(
                {"detail": f"the body is not JSON{f' ({why})' if why else ''}: send a JSON object"},
                status_code=400,
            )
    found = []
    for issue in error.errors():
        place = ".".join(str(part) for part in issue.get("loc", ())[1:])
        found.append(f"{place or 'body'}: {issue.get('msg', 'invalid')}")
    return JSONResponse({"detail": "; ".join(found)}, status_code=422)


def document_bad_bodies(api: FastAPI) -> None:
    """Every operation that reads a body documents 400, the answer to a body that is not
    JSON, with the one error body."""
    build = api.openapi

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            schema = build()
            error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
            for item in schema["paths"].values():
                for operation in item.values():
                    if isinstance(operation, dict) and "requestBody" in operation:
                        operation["responses"].setdefault(
                            "400", {"description": MEANINGS[400], "content": error}
                        )
        return api.openapi_schema or build()

    api.openapi = openapi  # type: ignore[method-assign]


def add_error_handlers(api: FastAPI) -> None:
    """What the services raise, as statuses: a missing profile and a conflict are 409 (a
    race the database settled too), an activity that is not the runner's 404, input the
    domain refuses 422, and a database busy beyond its wait 503."""
    api.add_exception_handler(NotSetUp, _not_set_up)
    api.add_exception_handler(Conflict, _conflict)
    api.add_exception_handler(IntegrityError, _race_lost)
    api.add_exception_handler(OperationalError, _busy)
    api.add_exception_handler(DataError, _out_of_range)
    api.add_exception_handler(NoSuchActivity, _refusal(404))
    api.add_exception_handler(InvalidInput, _refusal(422))
    api.add_exception_handler(RequestValidationError, _invalid_request)
