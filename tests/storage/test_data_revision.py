"""The database raises a user's revision on every change to their record, whoever writes;
pages kept rendered are keyed by it, so this is what keeps them truthful."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa

from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, Side
from kneecoach.domain.outcomes import AkpsResult
from kneecoach.domain.redflags import ScreeningResult
from kneecoach.services.ports import Screening, StoredProfile
from kneecoach.storage.database import open_database
from kneecoach.storage.sql import SqlStorage
from kneecoach.storage.tables import metadata, users
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates

NOT_THE_RECORD = {
    "users",
    "web_sessions",
    "invites",
    "care",
    "api_tokens",
    "calendar_feeds",
    "idempotency_keys",
    "password_resets",
    "jobs",
}
"""Sign-in, clinic, API and background-job bookkeeping: changing them changes no page a
runner reads (the activities a job adds raise the revision themselves; the audit log has no
user_id, and no trigger: being looked at changes no page either)."""


@pytest.fixture
def engine(database_url):
    engine = open_database(database_url)
    yield engine
    engine.dispose()


def _revision(engine, user_id):
    with engine.connect() as c:
        return c.execute(sa.select(users.c.revision).where(users.c.id == user_id)).scalar_one()


def test_every_table_of_a_runners_record_raises_their_revision(engine):
    storage = SqlStorage(engine)
    ana, ben = storage.user_id("ana"), storage.user_id("ben")
    record = storage.for_runner(ana)
    seen = [_revision(engine, ana)]

    def changed():
        now = _revision(engine, ana)
        assert now > seen[-1]
        seen.append(now)

    clear = Screening(MONDAY, ScreeningResult(flagged=()))
    record.profile.save(StoredProfile(profile(), "runners-knee"), clear)
    changed()
    record.profile.add_screening(clear)
    changed()
    session = LoggedSession(
        performed_on=MONDAY,
        pain_during=2,
        sets=(LoggedSet("roll-down", "body-weight", Side.BOTH, 1, reps=10),),
    )
    record.journal.add_session(session, replace=False)
    changed()
    record.journal.add_session(dataclasses.replace(session, pain_during=3), replace=True)
    changed()
    started = record.journal.start_session(MONDAY.replace(day=MONDAY.day + 1), replace=False)
    changed()
    record.journal.save_set(started, LoggedSet("roll-down", "body-weight", Side.BOTH, 1, 10))
    changed()  # a set alone, from the browser player, is a change too
    record.journal.save_checkin(Checkin(MONDAY.replace(day=MONDAY.day + 1), 1))
    changed()
    record.outcomes.save_akps(AkpsResult(MONDAY, (1,) * 13))
    changed()
    assert _revision(engine, ben) == 0  # nobody else's pages go stale


def test_every_table_that_holds_a_users_record_carries_the_trigger(engine):
    with_user = {
        table.name
        for table in metadata.sorted_tables
        if "user_id" in table.c or table.name == "session_sets"
    } - NOT_THE_RECORD
    with engine.connect() as c:
        if engine.dialect.name == "postgresql":
            rows = c.execute(
                sa.text(
                    "SELECT event_object_table FROM information_schema.triggers "
                    "WHERE trigger_name = 'kc_revision'"
                )
            )
            triggered = {row[0] for row in rows}
        else:
            rows = c.execute(sa.text("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger'"))
            triggered = {row[0] for row in rows}
    assert triggered == with_user
