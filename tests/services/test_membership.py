"""Running a clinic without the terminal, on a real database: clinicians invited by the
owner, runners handed over, passwords changed and reset, sessions and tokens ended, runners
leaving a clinician or their account."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from kneecoach.domain.errors import InvalidInput
from kneecoach.services import membership
from kneecoach.services.accounts import (
    ACCOUNT_FREE_TRIES,
    Accounts,
    LoginRefused,
    NotAllowed,
    invite,
    join,
    new_api_token,
)
from kneecoach.storage.accounts import SqlAccountStore
from kneecoach.storage.database import open_database
from kneecoach.storage.outbox import SqlOutbox
from kneecoach.storage.tables import care, outbox, users

pytestmark = pytest.mark.own_dates

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
PASSWORD = "correct horse battery"
SITE = "https://knee.example.org"


@pytest.fixture
def engine(database_url):
    return open_database(database_url)


@pytest.fixture
def accounts(engine):
    return Accounts(SqlAccountStore(engine), SqlOutbox(engine), SITE)


@pytest.fixture
def clinic(accounts):
    """An owner, a second clinician (joined by the owner's invitation) and a runner of the
    owner's, each keeping an email address."""
    owner = accounts.create_owner("ana", PASSWORD, NOW)
    token = membership.invite_clinician(accounts, owner, NOW)
    assert accounts.invite_role(token, NOW) == "clinician"
    colleague = join(accounts, token, "bea", PASSWORD, NOW)
    runner = join(accounts, invite(accounts, owner, NOW), "rui", PASSWORD, NOW)
    for user, address in ((owner, "ana@x.org"), (colleague, "bea@x.org"), (runner, "rui@x.org")):
        accounts.set_email(user, address)
    return owner, colleague, runner


def _mails(engine) -> list[tuple[str, str, str]]:
    with engine.connect() as c:
        rows = c.execute(sa.select(outbox).order_by(outbox.c.id)).all()
    return [(r.to_address, r.subject, r.body) for r in rows]


def test_a_clinician_invitation_makes_a_clinician_who_follows_no_one(accounts, clinic):
    owner, colleague, _ = clinic
    assert accounts.store.role_of(colleague) == "clinician"
    assert accounts.runners_of(colleague) == []
    assert [m.name for m in membership.colleagues(accounts, owner)] == ["bea"]


def test_only_the_owner_invites_clinicians_and_an_invitation_is_used_once(accounts, clinic):
    owner, colleague, runner = clinic
    for who in (colleague, runner):
        with pytest.raises(NotAllowed):
            membership.invite_clinician(accounts, who, NOW)
    token = membership.invite_clinician(accounts, owner, NOW)
    join(accounts, token, "cy", PASSWORD, NOW)
    assert accounts.invite_role(token, NOW) is None
    with pytest.raises(InvalidInput):
        join(accounts, token, "dee", PASSWORD, NOW)
    late = membership.invite_clinician(accounts, owner, NOW)
    assert accounts.invite_role(late, NOW + dt.timedelta(days=15)) is None


def test_a_hand_over_moves_the_runner_audits_it_and_tells_the_runner(accounts, clinic, engine):
    owner, colleague, runner = clinic
    done = membership.hand_over(accounts, owner, "10.0.0.1", runner, colleague, NOW)
    assert (done.clinician, done.runner_told) == ("bea", True)
    assert not accounts.store.follows(owner, runner)
    assert accounts.store.follows(colleague, runner)
    with engine.connect() as c:
        actions = c.execute(sa.text("SELECT action, actor_name, runner_id FROM audit_log")).all()
    assert [tuple(a) for a in actions] == [("handed over to bea", "ana", runner)]
    to, subject, body = _mails(engine)[-1]
    assert to == "rui@x.org" and "bea" in body and "changed" in subject


def test_a_hand_over_of_someone_elses_runner_or_to_a_runner_is_refused(accounts, clinic):
    owner, colleague, runner = clinic
    with pytest.raises(NotAllowed):
        membership.hand_over(accounts, colleague, "x", runner, owner, NOW)
    with pytest.raises(InvalidInput):
        membership.hand_over(accounts, owner, "x", runner, runner, NOW)
    with pytest.raises(InvalidInput):
        membership.hand_over(accounts, owner, "x", runner, owner, NOW)
    assert accounts.store.follows(owner, runner)


def test_changing_the_password_needs_the_current_one_and_ends_the_other_sessions(accounts, clinic):
    _, _, runner = clinic
    here, _ = accounts.log_in("rui", PASSWORD, NOW)
    there, _ = accounts.log_in("rui", PASSWORD, NOW)
    with pytest.raises(InvalidInput, match="current password"):
        membership.change_password(
            accounts, runner, "wrong password!", "a new password 1", here, NOW, "c"
        )
    with pytest.raises(InvalidInput, match="at least"):
        membership.change_password(accounts, runner, PASSWORD, "short", here, NOW, "c")
    membership.change_password(accounts, runner, PASSWORD, "a new password 1", here, NOW, "c")
    assert accounts.session(here, NOW) is not None
    assert accounts.session(there, NOW) is None
    accounts.log_in("rui", "a new password 1", NOW)
    with pytest.raises(InvalidInput):
        accounts.log_in("rui", PASSWORD, NOW)


def test_guessing_the_current_password_waits_like_failed_logins(accounts, clinic):
    _, _, runner = clinic
    for _ in range(ACCOUNT_FREE_TRIES):
        with pytest.raises(InvalidInput, match="not right"):
            membership.change_password(accounts, runner, "a guess, wrong", PASSWORD, None, NOW, "c")
    with pytest.raises(LoginRefused, match="too many failed logins"):
        membership.change_password(accounts, runner, PASSWORD, "a new password 1", None, NOW, "c")
    with pytest.raises(LoginRefused, match="too many failed logins"):
        membership.delete_account(accounts, runner, PASSWORD, NOW, "c")


def test_sessions_are_listed_with_the_current_one_marked_and_any_can_be_ended(accounts, clinic):
    _, _, runner = clinic
    here, _ = accounts.log_in("rui", PASSWORD, NOW)
    there, _ = accounts.log_in("rui", PASSWORD, NOW + dt.timedelta(minutes=1))
    listed = membership.sessions(accounts, runner, here, NOW)
    assert [s.current for s in listed] == [False, True]
    assert not membership.end_session(accounts, runner, "not-a-key", NOW)
    assert membership.end_session(accounts, runner, listed[0].key, NOW)
    assert accounts.session(there, NOW) is None
    assert accounts.session(here, NOW) is not None


def test_an_api_token_is_listed_without_its_secret_and_revoked_by_its_key(accounts, clinic):
    owner, _, runner = clinic
    token = new_api_token(accounts, runner, "watch", NOW)
    (listed,) = membership.api_tokens(accounts, runner)
    assert listed.name == "watch" and listed.key not in token
    assert not membership.revoke_api_token(accounts, owner, listed.key)
    assert membership.revoke_api_token(accounts, runner, listed.key)
    assert accounts.api_token_owner(token) is None


def _reset_link(engine) -> str:
    body = _mails(engine)[-1][2]
    return next(word for word in body.split() if word.startswith(f"{SITE}/reset/"))


def test_a_reset_link_is_mailed_used_once_and_ends_every_session(accounts, clinic, engine):
    session, _ = accounts.log_in("rui", PASSWORD, NOW)
    membership.request_reset(accounts, " Rui ".lower(), "10.0.0.9", NOW)
    token = _reset_link(engine).rsplit("/", 1)[1]
    with engine.connect() as c:
        kept = c.execute(sa.text("SELECT token_hash FROM password_resets")).scalars().all()
    assert token not in kept
    assert membership.reset_open(accounts, token, NOW)
    assert membership.reset_password(accounts, token, "my new password", NOW) == "rui"
    assert accounts.session(session, NOW) is None
    accounts.log_in("rui", "my new password", NOW)
    with pytest.raises(InvalidInput, match="used, expired or unknown"):
        membership.reset_password(accounts, token, "another password", NOW)


def test_a_reset_link_expires_after_an_hour(accounts, clinic, engine):
    membership.request_reset(accounts, "rui", "c", NOW)
    token = _reset_link(engine).rsplit("/", 1)[1]
    later = NOW + membership.RESET_VALID + dt.timedelta(seconds=1)
    assert not membership.reset_open(accounts, token, later)
    with pytest.raises(InvalidInput):
        membership.reset_password(accounts, token, "my new password", later)


def test_a_reset_of_an_unknown_name_sends_nothing_and_says_nothing(accounts, clinic, engine):
    before = len(_mails(engine))
    membership.request_reset(accounts, "nobody", "c", NOW)
    assert len(_mails(engine)) == before


def test_resets_are_throttled_per_account_silently_and_per_client_aloud(accounts, clinic, engine):
    before = len(_mails(engine))
    for i in range(membership.RESETS_PER_ACCOUNT + 2):
        membership.request_reset(accounts, "rui", f"client-{i}", NOW)
    assert len(_mails(engine)) - before == membership.RESETS_PER_ACCOUNT
    for _ in range(membership.RESETS_PER_CLIENT):
        membership.request_reset(accounts, "nobody", "one-client", NOW)
    with pytest.raises(membership.ResetThrottled):
        membership.request_reset(accounts, "nobody", "one-client", NOW)
    membership.request_reset(
        accounts, "nobody", "one-client", NOW + membership.RESET_WINDOW + dt.timedelta(seconds=1)
    )


def test_a_runner_who_leaves_is_no_longer_followed_and_the_clinician_is_told(
    accounts, clinic, engine
):
    owner, colleague, runner = clinic
    with pytest.raises(NotAllowed):
        membership.leave_clinician(accounts, runner, colleague, NOW)
    left = membership.leave_clinician(accounts, runner, owner, NOW)
    assert left.name == "ana"
    assert not accounts.store.follows(owner, runner)
    to, subject, _ = _mails(engine)[-1]
    assert to == "ana@x.org" and "left your care" in subject


def test_deleting_an_account_needs_the_password_removes_the_record_and_tells_the_clinician(
    accounts, clinic, engine
):
    owner, _, runner = clinic
    new_api_token(accounts, runner, "watch", NOW)
    accounts.log_in("rui", PASSWORD, NOW)
    with pytest.raises(InvalidInput, match="not right"):
        membership.delete_account(accounts, runner, "wrong password!", NOW, "c")
    membership.delete_account(accounts, runner, PASSWORD, NOW, "c")
    with engine.connect() as c:
        assert c.execute(sa.select(users.c.id).where(users.c.id == runner)).first() is None
        assert c.execute(sa.select(care)).first() is None
        for table in ("web_sessions", "api_tokens"):
            assert (
                c.execute(
                    sa.text(f"SELECT count(*) FROM {table} WHERE user_id = {runner}")
                ).scalar()
                == 0
            )
    to, subject, _ = _mails(engine)[-1]
    assert to == "ana@x.org" and "deleted" in subject
    assert accounts.runners_of(owner) == []


def test_a_clinicians_account_is_not_deleted_here(accounts, clinic):
    owner, colleague, _ = clinic
    for who in (owner, colleague):
        with pytest.raises(InvalidInput, match="only a runner"):
            membership.delete_account(accounts, who, PASSWORD, NOW, "c")
