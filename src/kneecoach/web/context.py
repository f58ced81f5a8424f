"""What the web pages share: templates, the repository, accounts, the clock, and the
two ways a route asks for the signed-in user (``Who``; ``Checked`` also checks the form's
CSRF token). Route modules take one of these instead of reaching for globals."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.accounts import CLINICIAN_ROLES, Accounts
from kneecoach.services.context import Coach
from kneecoach.services.ports import Clock
from kneecoach.storage.accounts import WebSession
from kneecoach.storage.sql import SqlRepository


@dataclass(frozen=True)
class Web:
    page: Any
    repository: SqlRepository
    accounts: Accounts
    clock: Clock
    Who: Any
    Checked: Any

    def coach(self, who: WebSession) -> Coach:
        return Coach(self.repository, self.clock, who.user_id)

    def base(self, who: WebSession, **extra: Any) -> dict[str, Any]:
        clinician = who.role in CLINICIAN_ROLES
        return {"user": who.user_id, "csrf": who.csrf, "clinician": clinician, **extra}

    def refused(
        self, request: Request, who: WebSession, heading: str, error: Exception, back: str
    ) -> HTMLResponse:
        """Bad input, said plainly on a page with the way back; nothing was written."""
        return self.page.render(
            request,
            "message.html",
            400,
            title=heading,
            heading=heading,
            lines=[str(error)],
            link=(back, "Back"),
            **self.base(who),
        )


def whole(value: Any, what: str) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        raise InvalidInput(f"{what} must be a whole number") from None
