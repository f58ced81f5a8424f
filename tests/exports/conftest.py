"""A runner with something in each part of their record, kept in a real SQLite database."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.domain.redflags import AgeBand
from kneecoach.services import journal, onboarding, outcomes, runs, today
from kneecoach.services.context import RunnerContext
from kneecoach.storage.database import open_database
from kneecoach.storage.sql import SqlStorage
from tests.fitwriter import run_points, write_activity
from tests.helpers import MONDAY, profile, runner_on

AKPS_ANSWERS = (1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1)
LATER = MONDAY + dt.timedelta(days=7)
"""The day the exports are made: a week into the program."""


@pytest.fixture
def storage(tmp_path) -> SqlStorage:
    return SqlStorage(open_database(f"sqlite:///{tmp_path / 'kneecoach.db'}"))


@pytest.fixture
def runner(storage, tmp_path) -> RunnerContext:
    """Onboarded on a Monday; that day's session done with pain 3 during, 1 the next morning;
    one AKPS; one 20-minute run on the Tuesday. Seen a week later."""
    first = runner_on(storage, MONDAY)
    onboarding.onboard(first, profile(), onboarding.answers_from_flags([]), AgeBand.ADULT)
    journal.record_session(
        first, MONDAY, journal.planned_as_done(today.session_for(first, MONDAY)), 3
    )
    tuesday = runner_on(storage, MONDAY + dt.timedelta(days=1))
    journal.record_checkin(tuesday, 1)
    outcomes.record_akps(tuesday, AKPS_ANSWERS)
    start = dt.datetime.combine(tuesday.clock.today(), dt.time(7), dt.UTC)
    (tmp_path / "run.fit").write_bytes(write_activity(run_points(int(start.timestamp()), 1200)))
    runs.import_paths(tuesday, [tmp_path / "run.fit"], workers=1)
    return runner_on(storage, LATER)


@pytest.fixture
def revision(storage):
    """A runner's data revision, which the database raises on any change to their record."""
    import sqlalchemy as sa

    from kneecoach.storage.tables import users

    def of(runner: RunnerContext) -> int:
        with storage.engine.connect() as c:
            query = sa.select(users.c.revision).where(users.c.id == runner.user_id)
            return int(c.execute(query).scalar_one())

    return of
