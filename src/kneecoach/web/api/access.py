"""Who calls the API and whose record they reach: the account of the bearer token, its own
record, a clinician's role, and one of a clinician's runners (anyone else's is 'not
found', never a hint that it exists)."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from kneecoach.bootstrap import Runtime
from kneecoach.services.accounts import NotAllowed
from kneecoach.services.context import RunnerContext

"""Where the web app mounts the API."""
MAX_ID = 2**31 - 1
"""The largest id a record can have (the databases' integer)."""

bearer = HTTPBearer(
    auto_error=False,
    description="A token made on the web app's Settings page: it acts as its account.",
)


def runtime_of(request: Request) -> Runtime:
    """The composition root the API was built on (kept on the API by ``create_api``)."""
    found: Runtime = request.app.state.runtime
    return found


KNOWN_TOKEN = "kneecoach.api_token"
"""Where a request keeps the bearer token already looked up, and its account (by the
idempotency middleware), so the operation does not look it up again."""


async def bearer_account(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> int:
    """The account of a valid bearer token, or 401.

    Async, with the lookup in the threadpool only when it is not known yet: a request hops
    to a worker thread once for its operation, not once per dependency."""
    token = credentials.credentials if credentials is not None else ""
    known = request.scope.get(KNOWN_TOKEN)
    if known is not None and known[0] == token:
        user_id: int | None = known[1]
    else:
        user_id = await run_in_threadpool(runtime_of(request).accounts.api_token_owner, token)
    if user_id is None:
        raise HTTPException(
            status_code=401,
            detail="a valid bearer token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user_id


Account = Annotated[int, Depends(bearer_account)]
"""A route parameter: the account calling."""


async def own_record(request: Request, user: Account) -> RunnerContext:
    """The account's own record, for this request. A service that needs the profile raises
    NotSetUp without one, which the API answers with 409. Async: it only builds the context
    (nothing is read yet), so it needs no worker thread."""
    return runtime_of(request).runner(user)


Own = Annotated[RunnerContext, Depends(own_record)]
"""A route parameter: the caller's own record."""


def clinician(request: Request, user: Account) -> int:
    """The calling account, when it is a clinician's (or the owner's); otherwise 403."""
    if not runtime_of(request).accounts.is_clinician(user):
        raise HTTPException(status_code=403, detail="only a clinician may do this")
    return user


Clinician = Annotated[int, Depends(clinician)]
"""A route parameter: the calling clinician."""

RunnerId = Annotated[int, Path(ge=1, le=MAX_ID, description="A runner's id (GET /runners).")]


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def reaching(action: str, *, reading: bool = True) -> Callable[..., RunnerContext]:
    """A dependency: the record of one of the calling clinician's runners (anyone else's is
    404), the access recorded in the audit log as ``action`` — a read here, once; a change
    by the use case that makes it (``reading=False``), in its transaction; a refused
    attempt too."""

    def followed_runner(request: Request, user: Account, runner_id: RunnerId) -> RunnerContext:
        from kneecoach.services.audit import reach, visitor

        runtime = runtime_of(request)
        who = visitor(runtime.accounts, user, client_address(request))
        try:
            return reach(
                runtime.accounts,
                runtime.storage.audit(),
                lambda found, by: runtime.runner(found, visitor=by),
                who,
                runner_id,
                action,
                runtime.clock.now(),
                reading=reading,
            )
        except NotAllowed:
            raise HTTPException(status_code=404, detail="not found") from None

    return followed_runner


def site_address(request: Request, path: str) -> str:
    """An address on the web app itself (outside the API), for links the API hands out: on
    the configured public address (KNEECOACH_PUBLIC_URL), never the Host a request claims."""
    return f"{runtime_of(request).settings.public_url}{path}"
