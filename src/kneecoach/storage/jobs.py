"""The job queue on the database. A worker claims the oldest waiting job: on PostgreSQL
with ``SELECT … FOR UPDATE SKIP LOCKED`` (workers never wait on each other's row), on
SQLite with a conditional update that only one writer can win (SQLite has one writer at a
time). Every later write names the worker, so a worker whose lease ran out and whose job
was taken again changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, Row

from kneecoach.services.ports import Job, JobInput, JobProgress
from kneecoach.storage.tables import jobs

WAITING = ("queued", "running")


def _waiting(now: dt.datetime) -> sa.ColumnElement[bool]:
    """Queued, or running with its lease run out (its worker stopped)."""
    return sa.or_(
        jobs.c.state == "queued",
        sa.and_(jobs.c.state == "running", jobs.c.lease_until < now),
    )


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes: they were written in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


def _job(row: Row[Any]) -> Job:
    return Job(
        id=row.id,
        user_id=row.user_id,
        kind=row.kind,
        state=row.state,
        folder=row.folder,
        inputs=tuple(JobInput(str(i["name"]), str(i["path"])) for i in row.inputs),
        progress=JobProgress(
            row.files_done,
            row.files_total,
            row.files_failed,
            row.added,
            row.merged,
            _aware(row.waiting_until),
        ),
        result=row.result,
        error=row.error,
        attempts=row.attempts,
        created_at=_aware(row.created_at) or row.created_at,
        started_at=_aware(row.started_at),
        finished_at=_aware(row.finished_at),
        lease_owner=row.lease_owner,
        lease_until=_aware(row.lease_until),
    )


def _counts(progress: JobProgress) -> dict[str, int]:
    return {
        "files_done": progress.files_done,
        "files_total": progress.files_total,
        "files_failed": progress.files_failed,
        "added": progress.added,
        "merged": progress.merged,
    }


def _never_back(progress: JobProgress) -> dict[str, Any]:
    """The counts, each kept only if it is no less than what is kept: a late write of an
    older count (a beat that waited on the database) never moves progress back."""
    return {
        name: sa.case((jobs.c[name] > value, jobs.c[name]), else_=value)
        for name, value in _counts(progress).items()
    }


_RESTART = {"files_done": 0, "files_failed": 0, "added": 0, "merged": 0, "waiting_until": None}
"""A job taken (again) starts its counts afresh."""


class SqlJobQueue:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.skip_locked = engine.dialect.name == "postgresql"

    def queue(
        self, user_id: int, kind: str, folder: str, inputs: Sequence[JobInput], now: dt.datetime
    ) -> int:
        with self.engine.begin() as c:
            return int(
                c.execute(
                    jobs.insert()
                    .values(
                        user_id=user_id,
                        kind=kind,
                        state="queued",
                        folder=folder,
                        inputs=[{"name": i.name, "path": i.path} for i in inputs],
                        files_total=len(inputs),
                        created_at=now,
                        attempts=0,
                    )
                    .returning(jobs.c.id)
                ).scalar_one()
            )

    def queue_once(self, user_id: int, kind: str, now: dt.datetime) -> int | None:
        with self.engine.begin() as c:
            pending = sa.select(jobs.c.id).where(
                jobs.c.user_id == user_id,
                jobs.c.kind == kind,
                jobs.c.state.in_(WAITING),
            )
            if c.execute(pending.limit(1)).first() is not None:
                return None
            return int(
                c.execute(
                    jobs.insert()
                    .values(
                        user_id=user_id,
                        kind=kind,
                        state="queued",
                        folder="",
                        inputs=[],
                        files_total=0,
                        created_at=now,
                        attempts=0,
                    )
                    .returning(jobs.c.id)
                ).scalar_one()
            )

    def claim(
        self, worker: str, now: dt.datetime, lease: dt.timedelta, *, job_id: int | None = None
    ) -> Job | None:
        with self.engine.begin() as c:
            while True:
                oldest = sa.select(jobs.c.id).where(_waiting(now)).order_by(jobs.c.id).limit(1)
                if job_id is not None:
                    oldest = oldest.where(jobs.c.id == job_id)
                if self.skip_locked:
                    oldest = oldest.with_for_update(skip_locked=True)
                found = c.execute(oldest).scalar()
                if found is None:
                    return None
                if self._take(c, found, worker, now, lease):
                    return _job(c.execute(sa.select(jobs).where(jobs.c.id == found)).one())
                # another SQLite worker took it between the two statements: look again

    @staticmethod
    def _take(
        c: Connection, job_id: int, worker: str, now: dt.datetime, lease: dt.timedelta
    ) -> bool:
        taken = c.execute(
            jobs.update()
            .where(jobs.c.id == job_id, _waiting(now))
            .values(
                state="running",
                lease_owner=worker,
                lease_until=now + lease,
                attempts=jobs.c.attempts + 1,
                started_at=sa.func.coalesce(jobs.c.started_at, now),
                **_RESTART,
            )
        ).rowcount
        return bool(taken)

    def _held(self, job_id: int, worker: str) -> sa.ColumnElement[bool]:
        return sa.and_(jobs.c.id == job_id, jobs.c.state == "running", jobs.c.lease_owner == worker)

    def progress(
        self, job_id: int, worker: str, progress: JobProgress, now: dt.datetime, lease: dt.timedelta
    ) -> bool:
        with self.engine.begin() as c:
            changed = c.execute(
                jobs.update()
                .where(self._held(job_id, worker))
                .values(
                    lease_until=now + lease,
                    waiting_until=progress.waiting_until,
                    **_never_back(progress),
                )
            ).rowcount
        return bool(changed)

    def finish(
        self,
        job_id: int,
        worker: str,
        progress: JobProgress,
        result: dict[str, Any],
        now: dt.datetime,
    ) -> bool:
        with self.engine.begin() as c:
            changed = c.execute(
                jobs.update()
                .where(self._held(job_id, worker))
                .values(
                    state="done",
                    result=result,
                    error=None,
                    finished_at=now,
                    lease_owner=None,
                    lease_until=None,
                    waiting_until=None,
                    **_counts(progress),
                )
            ).rowcount
        return bool(changed)

    def fail(self, job_id: int, worker: str, error: str, now: dt.datetime, *, retry: bool) -> bool:
        state = {"state": "queued"} if retry else {"state": "failed", "finished_at": now}
        with self.engine.begin() as c:
            changed = c.execute(
                jobs.update()
                .where(self._held(job_id, worker))
                .values(
                    error=error[:500],
                    lease_owner=None,
                    lease_until=None,
                    waiting_until=None,
                    **state,
                )
            ).rowcount
        return bool(changed)

    def get(self, user_id: int, job_id: int) -> Job | None:
        with self.engine.connect() as c:
            row = c.execute(
                sa.select(jobs).where(jobs.c.id == job_id, jobs.c.user_id == user_id)
            ).first()
        return None if row is None else _job(row)

    def latest(self, user_id: int, kind: str) -> Job | None:
        with self.engine.connect() as c:
            row = c.execute(
                sa.select(jobs)
                .where(jobs.c.user_id == user_id, jobs.c.kind == kind)
                .order_by(jobs.c.id.desc())
                .limit(1)
            ).first()
        return None if row is None else _job(row)

    def abandon(self, now: dt.datetime, queued_before: dt.datetime, attempts: int) -> list[Job]:
        stuck = sa.or_(
            sa.and_(
                jobs.c.state == "running",
                jobs.c.lease_until < now,
                jobs.c.attempts >= attempts,
            ),
            sa.and_(jobs.c.state == "queued", jobs.c.created_at < queued_before),
        )
        given_up = []
        with self.engine.begin() as c:
            for row in c.execute(sa.select(jobs).where(stuck).order_by(jobs.c.id)).all():
                changed = c.execute(
                    jobs.update()
                    .where(jobs.c.id == row.id, stuck)
                    .values(state="abandoned", finished_at=now, lease_owner=None, lease_until=None)
                ).rowcount
                if changed:
                    given_up.append(_job(row))
        return given_up
