"""What a person sees when a request cannot be answered as asked: a page that says why in
plain words (or ``{"detail": ...}`` for a script that asked for JSON), never a traceback.

- a wrong address, or an id larger than any record can have → 404;
- a field too long, missing or of the wrong type → 400 naming the field;
- two requests racing to create the same thing → 409 (nothing was written twice);
- the database busy beyond its wait → 503 with Retry-After;
- anything unexpected → 500 with an apology (the traceback goes to the server's log only).
"""

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from kneecoach.web.context import Page

HEADINGS = {
    400: "That request could not be used",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "That was done already",
    413: "Too large",
    503: "Busy for a moment",
    500: "Something went wrong",
}


def add_error_pages(app: FastAPI, page: Page) -> None:
    def answer(
        request: Request, status: int, detail: str, headers: Mapping[str, str] | None = None
    ) -> Response:
        if "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"detail": detail}, status, headers=headers)
        response = page.render(
            request,
            "message.html",
            status,
            title=HEADINGS.get(status, "kneecoach"),
            heading=HEADINGS.get(status, "kneecoach"),
            lines=[detail[:1].upper() + detail[1:]],
            link=("/", "Home"),
        )
        response.headers.update(headers or {})
        return response

    @app.exception_handler(HTTPException)
    def http_error(request: Request, error: HTTPException) -> Response:
        location = (error.headers or {}).get("Location")
        if error.status_code in (302, 303) and location:
            return RedirectResponse(location, error.status_code)
        return answer(request, error.status_code, str(error.detail), error.headers)

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, error: RequestValidationError) -> Response:
        problems: list[Any] = list(error.errors())
        if any(problem.get("loc", ("",))[0] == "path" for problem in problems):
            return answer(request, 404, "not found")
        return answer(request, 400, "; ".join(_said(problem) for problem in problems))

    @app.exception_handler(IntegrityError)
    def conflict(request: Request, error: IntegrityError) -> Response:
        return answer(request, 409, "this was saved already by another request; reload to see it")

    @app.exception_handler(DataError)
    def out_of_range(request: Request, error: DataError) -> Response:
        """A value the database cannot keep (a number past its integers, a NUL in text)."""
        return answer(request, 400, "a value sent is out of the range this app keeps")

    @app.exception_handler(OperationalError)
    def busy(request: Request, error: OperationalError) -> Response:
        return answer(
            request, 503, "the database is busy: try again in a moment", {"Retry-After": "1"}
        )

    @app.exception_handler(Exception)
    def unexpected(request: Request, error: Exception) -> Response:
        return answer(request, 500, "sorry, this could not be done; nothing was half-saved")


def _said(problem: Any) -> str:
    """One validation problem in words: the field and what is wrong with it."""
    where = [str(part) for part in problem.get("loc", ()) if part not in ("body", "query")]
    field = ".".join(where) or "the request"
    return f"{field}: {str(problem.get('msg', 'not valid')).lower()}"
