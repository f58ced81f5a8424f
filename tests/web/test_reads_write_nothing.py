"""Reading progress, history, the AKPS, the review and the clinic writes nothing: decisions
are made when a session, a check-in or a prescription is written, never when a page or the
API is read."""

from __future__ import annotations

import re

import sqlalchemy as sa
from fastapi.testclient import TestClient

from kneecoach.domain.journal import LoggedSession
from kneecoach.services import adaptation, journal, outcomes, today
from kneecoach.storage.tables import metadata
from tests.conftest import TODAY
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join, _runner_id


def _everything(app) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order."""
    engine = app.state.web.runtime.engine
    with engine.connect() as c:
        return {
            table.name: sorted((tuple(row) for row in c.execute(sa.select(table))), key=repr)
            for table in metadata.sorted_tables
        }


def _user_id(app, name: str) -> int:
    return app.state.web.runtime.storage.user_id(name)


def _painful_session_kept_without_adapting(app, name: str) -> None:
    """A session that hurt (6/10), put in the store directly: the decision it calls for has
    not been made, so a read that adapted would make it now."""
    runner = app.state.web.runtime.runner(_user_id(app, name))
    plan = today.session_for(runner, TODAY)
    sets = journal.to_sets(journal.planned_as_done(plan), plan)
    runner.store.journal.add_session(LoggedSession(TODAY, 6, sets), replace=False)
    pending = [row.next.action for row in adaptation.status(runner)]
    assert "regress" in pending


def test_no_page_or_api_read_of_progress_review_akps_or_the_clinic_writes(app, owner):
    _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    outcomes.record_akps(app.state.web.runtime.runner(_user_id(app, "ana")), [1] * 13)
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    _painful_session_kept_without_adapting(app, "ana")
    _painful_session_kept_without_adapting(app, "ben")
    before = _everything(app)
    pages = [
        "/progress",
        "/progress?note=hello",
        "/history",
        "/akps",
        "/review",
        "/clinic",
        "/clinic?sort=akps_due",
        f"/clinic/runners/{runner_id}",
    ]
    for path in pages:
        response = owner.get(path)
        assert response.status_code == 200, (path, response.text)
    reads = [
        "/api/v1/progress",
        "/api/v1/review",
        "/api/v1/akps",
        "/api/v1/history",
        "/api/v1/runners",
        f"/api/v1/runners/{runner_id}/history",
    ]
    for path in reads:
        response = api.get(path)
        assert response.status_code == 200, (path, response.text)
    assert _everything(app) == before
    assert re.search(r"Next: .*one step down", owner.get("/progress").text)
