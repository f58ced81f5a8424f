"""Reading progress, history, the AKPS, the review and the clinic writes nothing: decisions
are made when a session, a check-in or a prescription is written, never when a page or the
API is read. The one exception is the audit log (services/ports.py, AuditLog): a read of
someone else's record adds its entry there, and nothing anywhere else."""

from __future__ import annotations

import re

import sqlalchemy as sa
from fastapi.testclient import TestClient

from kneecoach.domain.journal import LoggedSession
from kneecoach.services import adaptation, journal, outcomes, today
from kneecoach.storage.tables import audit_log, metadata
from tests.conftest import TODAY
from tests.web.conftest import BOTH_DATABASES
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join, _runner_id

DATABASES = BOTH_DATABASES


def _everything(app) -> dict[str, list[tuple]]:
    """Every row of every table but the audit log, in a stable order."""
    engine = app.state.web.runtime.engine
    with engine.connect() as c:
        return {
            table.name: sorted((tuple(row) for row in c.execute(sa.select(table))), key=repr)
            for table in metadata.sorted_tables
            if table.name != "audit_log"
        }


def _audited(app) -> list[tuple[str, int, str]]:
    engine = app.state.web.runtime.engine
    with engine.connect() as c:
        rows = c.execute(
            sa.select(audit_log.c.actor_name, audit_log.c.runner_id, audit_log.c.action)
        )
        return sorted(tuple(row) for row in rows)


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
    audited_before = _audited(app)
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
    ben = _user_id(app, "ben")
    added = [row for row in _audited(app) if row not in audited_before]
    assert {(name, runner) for name, runner, _ in added} == {("ana", ben)}
    assert re.search(r"Next: .*one step down", owner.get("/progress").text)
