"""An in-memory store with the same behaviour as the SQL one, for fast service tests.

The same contract tests (tests/storage/test_repository_contract.py) hold it to the SQL
store's behaviour, transactions included: a use case that fails half-way leaves nothing.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from kneecoach.domain.activity import Sport
from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, SessionPain, Side
from kneecoach.domain.merging import Outcome, Revision
from kneecoach.domain.outcomes import AkpsResult
from kneecoach.domain.pain import highest_pain
from kneecoach.domain.pose import FppaRecord, one_test_a_day
from kneecoach.domain.progression import Decision
from kneecoach.domain.race import ClinicianCall, RaceGoal, RaceRun
from kneecoach.domain.return_to_run import EntryCheck, StageRun
from kneecoach.domain.timeline import Adjustment
from kneecoach.services.ports import (
    NO_USER_ID,
    AuditEntry,
    Conflict,
    ImportedFile,
    Job,
    JobInput,
    JobProgress,
    KeptAnswer,
    Mail,
    Screening,
    SessionEnd,
    Storage,
    StoredActivity,
    StoredDecision,
    StoredLevel,
    StoredProfile,
    UnfinishedSession,
)


@dataclass
class _Open:
    day: dt.date
    sets: dict[tuple[str, Side, int], LoggedSet] = field(default_factory=dict)
    exercise_pain: dict[str, int] = field(default_factory=dict)
    adjustments: dict[str, Adjustment] = field(default_factory=dict)


@dataclass
class _Record:
    """Everything kept for one runner."""

    profile: StoredProfile | None = None
    screenings: list[Screening] = field(default_factory=list)
    sessions: dict[dt.date, LoggedSession] = field(default_factory=dict)
    open: dict[int, _Open] = field(default_factory=dict)
    checkins: dict[dt.date, Checkin] = field(default_factory=dict)
    akps: dict[dt.date, AkpsResult] = field(default_factory=dict)
    levels: dict[str, StoredLevel] = field(default_factory=dict)
    decisions: list[StoredDecision] = field(default_factory=list)
    activities: list[StoredActivity] = field(default_factory=list)
    checks: list[EntryCheck] = field(default_factory=list)
    stage_runs: dict[dt.date, int] = field(default_factory=dict)
    race_goal: RaceGoal | None = None
    race_runs: dict[dt.date, RaceRun] = field(default_factory=dict)
    race_calls: list[ClinicianCall] = field(default_factory=list)
    alignment: list[FppaRecord] = field(default_factory=list)
    care_team: list[str] = field(default_factory=list)
    """Addresses of the clinicians following the runner (set by a test)."""
    outbox: list[Mail] = field(default_factory=list)
    followed: bool = False
    """A clinician follows this runner (set by tests through ``follow``)."""


class _Role:
    def __init__(self, record: _Record, ids: Iterator[int]) -> None:
        self._r = record
        self._ids = ids


class MemoryProfileStore(_Role):
    def get(self) -> StoredProfile | None:
        return self._r.profile

    def save(self, stored: StoredProfile, screening: Screening) -> None:
        self._r.profile = stored
        self._r.screenings.append(screening)

    def add_screening(self, screening: Screening) -> None:
        self._r.screenings.append(screening)

    def screenings(self) -> list[Screening]:
        return list(self._r.screenings)

    def latest_screening(self) -> Screening | None:
        return self._r.screenings[-1] if self._r.screenings else None

    def followed_by_clinician(self) -> bool:
        return self._r.followed

    def follow(self) -> None:
        """A clinician starts following this runner (what joining by invitation does)."""
        self._r.followed = True


class MemoryJournalStore(_Role):
    def _clear_day(self, day: dt.date, replace: bool) -> None:
        open_ids = [i for i, o in self._r.open.items() if o.day == day]
        if day in self._r.sessions or open_ids:
            if not replace:
                what = "an unfinished guided session is" if open_ids else "a session is already"
                raise Conflict(f"{what} logged for {day.isoformat()}")
            self._r.sessions.pop(day, None)
            for i in open_ids:
                del self._r.open[i]

    def add_session(self, session: LoggedSession, *, replace: bool) -> int:
        self._clear_day(session.performed_on, replace)
        session_id = next(self._ids)
        self._r.sessions[session.performed_on] = _with_id(session, session_id)
        return session_id

    def sessions(self, first: dt.date, last: dt.date) -> list[LoggedSession]:
        return sorted(
            (s for d, s in self._r.sessions.items() if first <= d <= last),
            key=lambda s: s.performed_on,
        )

    def session_pains(self, first: dt.date, last: dt.date) -> list[SessionPain]:
        return [SessionPain.of(s) for s in self.sessions(first, last)]

    def start_session(self, day: dt.date, *, replace: bool) -> int:
        self._clear_day(day, replace)
        session_id = next(self._ids)
        self._r.open[session_id] = _Open(day)
        return session_id

    def open_session(self, day: dt.date) -> int:
        if day in self._r.sessions:
            raise Conflict(f"a session is already logged for {day.isoformat()}")
        for session_id, found in self._r.open.items():
            if found.day == day:
                return session_id
        return self.start_session(day, replace=False)

    def unfinished_session(self) -> UnfinishedSession | None:
        if not self._r.open:
            return None
        day, session_id = max((o.day, i) for i, o in self._r.open.items())
        found = self._r.open[session_id]
        return UnfinishedSession(
            session_id,
            day,
            tuple(found.sets.values()),
            tuple(found.exercise_pain.items()),
            tuple(found.adjustments.items()),
        )

    def _own(self, session_id: int) -> _Open:
        found = self._r.open.get(session_id)
        if found is None:
            raise Conflict(f"there is no unfinished session {session_id} of yours")
        return found

    def save_set(self, session_id: int, done: LoggedSet) -> None:
        kept = self._own(session_id).sets
        kept.pop((done.exercise, done.side, done.set_number), None)
        kept[(done.exercise, done.side, done.set_number)] = done

    def save_exercise_pain(self, session_id: int, exercise: str, pain: int) -> None:
        kept = self._own(session_id).exercise_pain
        kept[exercise] = highest_pain(kept[exercise], pain) if exercise in kept else pain

    def save_adjustment(self, session_id: int, exercise: str, adjustment: Adjustment) -> None:
        self._own(session_id).adjustments[exercise] = adjustment

    def finish_session(self, session_id: int, end: SessionEnd) -> LoggedSession:
        found = self._own(session_id)
        session = LoggedSession(
            found.day,
            end.pain_during,
            tuple(found.sets.values()),
            end.effort,
            end.notes,
            session_id,
            exercise_pain=tuple(found.exercise_pain.items()),
            eased=tuple(found.adjustments),
        )
        del self._r.open[session_id]
        self._r.sessions[found.day] = session
        return session

    def save_checkin(self, checkin: Checkin) -> Checkin | None:
        previous = self._r.checkins.get(checkin.date)
        self._r.checkins[checkin.date] = checkin
        return previous

    def checkins(self, first: dt.date, last: dt.date) -> list[Checkin]:
        return sorted(
            (c for d, c in self._r.checkins.items() if first <= d <= last), key=lambda c: c.date
        )


class MemoryOutcomeStore(_Role):
    def save_akps(self, result: AkpsResult) -> AkpsResult | None:
        previous = self._r.akps.get(result.taken_on)
        self._r.akps[result.taken_on] = result
        return previous

    def akps_results(self) -> list[AkpsResult]:
        return [self._r.akps[day] for day in sorted(self._r.akps)]

    def last_akps_on(self) -> dt.date | None:
        return max(self._r.akps, default=None)


class MemoryPlanStore(_Role):
    def levels(self) -> dict[str, StoredLevel]:
        return dict(self._r.levels)

    def _pinned(self, exercise: str) -> bool:
        return exercise in self._r.levels and self._r.levels[exercise].pinned

    def record_decisions(self, made: list[Decision]) -> None:
        for decision in made:
            self._r.decisions.append(StoredDecision(next(self._ids), decision))
            pinned = self._pinned(decision.exercise)
            self._r.levels[decision.exercise] = StoredLevel(decision.after, pinned)

    def decisions(self) -> list[StoredDecision]:
        return list(self._r.decisions)

    def undo_decision(self, decision_id: int) -> StoredDecision | None:
        kept = self._r.decisions
        for position, stored in enumerate(kept):
            if stored.id == decision_id and not stored.undone:
                undone = replace(stored, undone=True)
                kept[position] = undone
                exercise = undone.decision.exercise
                self._r.levels[exercise] = StoredLevel(
                    undone.decision.before, self._pinned(exercise)
                )
                return undone
        return None

    def set_level(self, exercise: str, stored: StoredLevel) -> None:
        self._r.levels[exercise] = stored


class MemoryActivityStore(_Role):
    def add(self, found: ImportedFile) -> tuple[Outcome, ...]:
        from kneecoach.domain.merging import Origin, merge

        kept = self._r.activities
        outcomes: list[Outcome] = []
        for activity in found.activities:
            new = Origin.of(activity, found.source)
            plan = merge(new, [(a.id, a.origins) for a in kept])
            outcomes.append(plan.outcome)
            if plan.outcome is Outcome.ALREADY_KEPT:
                continue
            joined = sorted(
                (a for a in kept if a.id == plan.keep or a.id in plan.drop), key=lambda a: a.id
            )
            shown = next(
                (a.activity for a in joined if plan.richest in a.origins),
                activity,
            )
            merged = StoredActivity(
                next(self._ids) if plan.keep is None else plan.keep,
                replace(shown, sport=plan.sport, name=plan.title),
                tuple(dict.fromkeys(o.name for o in plan.origins)),
                next((a.effort for a in joined if a.effort is not None), None),
                plan.origins,
            )
            kept[:] = [a for a in kept if a not in joined]
            kept.append(merged)
        return tuple(outcomes)

    def all(self) -> list[StoredActivity]:
        from kneecoach.domain.activity import Samples

        return [
            replace(a, activity=replace(a.activity, samples=Samples.empty()))
            for a in sorted(self._r.activities, key=lambda a: a.activity.start)
        ]

    def get(self, activity_id: int) -> StoredActivity | None:
        return next((a for a in self._r.activities if a.id == activity_id), None)

    def set_effort(self, activity_id: int, effort: int) -> bool:
        for index, stored in enumerate(self._r.activities):
            if stored.id == activity_id:
                self._r.activities[index] = replace(stored, effort=effort)
                return True
        return False

    def _revise(
        self, source: str, change: Callable[[StoredActivity], Revision | None]
    ) -> Revision | None:
        for index, stored in enumerate(self._r.activities):
            if source not in stored.sources:
                continue
            revision = change(stored)
            if revision is None:
                return None
            if revision.gone:
                del self._r.activities[index]
            else:
                self._r.activities[index] = replace(
                    stored,
                    activity=replace(stored.activity, sport=revision.sport, name=revision.title),
                    sources=tuple(dict.fromkeys(o.name for o in revision.origins)),
                    origins=revision.origins,
                )
            return revision
        return None

    def has_source(self, source: str) -> bool:
        return any(source in stored.sources for stored in self._r.activities)

    def drop_source(self, source: str) -> Revision | None:
        from kneecoach.domain.merging import without

        return self._revise(source, lambda stored: without(stored.origins, source))

    def revise_source(
        self, source: str, *, title: str | None = None, sport: Sport | None = None
    ) -> Revision | None:
        from kneecoach.domain.merging import edited

        return self._revise(
            source, lambda stored: edited(stored.origins, source, title=title, sport=sport)
        )


class MemoryReturnToRunStore(_Role):
    def add_entry_check(self, check: EntryCheck) -> None:
        self._r.checks.append(check)

    def latest_entry_check(self) -> EntryCheck | None:
        return self._r.checks[-1] if self._r.checks else None

    def log_stage_run(self, run: StageRun) -> None:
        self._r.stage_runs[run.day] = run.stage

    def stage_runs(self) -> list[StageRun]:
        return [StageRun(day, stage) for day, stage in sorted(self._r.stage_runs.items())]


class MemoryAlignmentStore(_Role):
    def save(self, record: FppaRecord) -> FppaRecord | None:
        same = [
            r for r in self._r.alignment if (r.taken_on, r.side) == (record.taken_on, record.side)
        ]
        self._r.alignment = [r for r in self._r.alignment if r not in same] + [record]
        return same[-1] if same else None

    def results(self) -> list[FppaRecord]:
        return one_test_a_day(self._r.alignment)


class MemoryRaceStore(_Role):
    def get(self) -> RaceGoal | None:
        return self._r.race_goal

    def set(self, goal: RaceGoal) -> None:
        self._r.race_goal = goal

    def clear(self) -> bool:
        had, self._r.race_goal = self._r.race_goal is not None, None
        return had

    def tell_run(self, run: RaceRun) -> None:
        self._r.race_runs[run.day] = run

    def runs(self) -> list[RaceRun]:
        return [run for _, run in sorted(self._r.race_runs.items())]

    def call(self, made: ClinicianCall) -> None:
        self._r.race_calls.append(made)

    def calls(self) -> list[ClinicianCall]:
        return sorted(self._r.race_calls, key=lambda made: made.day)


class MemoryBackupStore(_Role):
    def export(self, now: dt.datetime) -> dict[str, Any]:
        raise NotImplementedError("backups are made from a database (storage.backup)")

    def restore(self, document: Any) -> dict[str, dict[str, int]]:
        raise NotImplementedError("backups are restored into a database (storage.backup)")


class MemoryNoticeStore(_Role):
    def care_team_emails(self) -> list[str]:
        return list(self._r.care_team)

    def runner_name(self) -> str:
        return "runner"

    def queue(self, mail: Mail) -> None:
        self._r.outbox.append(mail)


class MemoryAuditLog:
    """The audit log of a whole MemoryStorage: entries kept in a list, runners' names
    looked up in the storage's users."""

    def __init__(self, kept: list[AuditEntry], names: dict[str, int]) -> None:
        self._kept = kept
        self._names = names

    def record(self, entries: Sequence[AuditEntry]) -> None:
        self._kept.extend(entries)

    def entries(
        self,
        *,
        runner_id: int | None = None,
        since: dt.datetime | None = None,
        before: dt.datetime | None = None,
    ) -> list[AuditEntry]:
        by_id = {i: name for name, i in self._names.items()}
        return sorted(
            (
                replace(e, runner_name=by_id.get(e.runner_id))
                for e in self._kept
                if (runner_id is None or e.runner_id == runner_id)
                and (since is None or e.at >= since)
                and (before is None or e.at < before)
            ),
            key=lambda e: e.at,
        )


class MemoryRunnerStore:
    def __init__(
        self, record: _Record, ids: Iterator[int], audit: MemoryAuditLog | None = None
    ) -> None:
        self._record = record
        self.audit = audit if audit is not None else MemoryAuditLog([], {})
        self._depth = 0
        self.profile = MemoryProfileStore(record, ids)
        self.journal = MemoryJournalStore(record, ids)
        self.plan = MemoryPlanStore(record, ids)
        self.outcomes = MemoryOutcomeStore(record, ids)
        self.activities = MemoryActivityStore(record, ids)
        self.return_to_run = MemoryReturnToRunStore(record, ids)
        self.race = MemoryRaceStore(record, ids)
        self.alignment = MemoryAlignmentStore(record, ids)
        self.backup = MemoryBackupStore(record, ids)
        self.notices = MemoryNoticeStore(record, ids)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: the record is put back as it was if anything is raised."""
        if self._depth:
            yield
            return
        before = copy.deepcopy(vars(self._record))
        audited = len(self.audit._kept)
        self._depth += 1
        try:
            yield
        except BaseException:
            vars(self._record).update(before)
            del self.audit._kept[audited:]
            raise
        finally:
            self._depth -= 1


class MemoryStorage:
    def __init__(self) -> None:
        self._users: dict[str, int] = {}
        self._records: dict[int, _Record] = {}
        self._ids = itertools.count(1)
        self._audit: list[AuditEntry] = []

    def user_id(self, name: str) -> int:
        return self._users.setdefault(name, len(self._users) + 1)

    def find_user(self, name: str) -> int | None:
        return self._users.get(name)

    def for_runner(self, user_id: int) -> MemoryRunnerStore:
        if user_id == NO_USER_ID:  # a user not in the store yet reads an empty record
            return MemoryRunnerStore(_Record(), self._ids, self.audit())
        record = self._records.setdefault(user_id, _Record())
        return MemoryRunnerStore(record, self._ids, self.audit())

    def audit(self) -> MemoryAuditLog:
        return MemoryAuditLog(self._audit, self._users)


if TYPE_CHECKING:  # mypy checks that the fake fulfils the ports

    def _conforms(storage: MemoryStorage) -> Storage:
        return storage


def _with_id(session: LoggedSession, session_id: int) -> LoggedSession:
    return replace(session, id=session_id)


class MemoryIdempotencyStore:
    """The API's idempotency keys in a dict, with the SQL store's behaviour."""

    def __init__(self) -> None:
        self._kept: dict[tuple[int, str], tuple[KeptAnswer, dt.datetime]] = {}

    def claim(
        self, user_id: int, key: str, fingerprint: str, now: dt.datetime, expires_at: dt.datetime
    ) -> KeptAnswer | None:
        found = self._kept.get((user_id, key))
        if found is not None and found[1] > now:
            return found[0]
        self._kept[(user_id, key)] = (KeptAnswer(fingerprint), expires_at)
        return None

    def keep(self, user_id: int, key: str, status: int, body: bytes, media_type: str) -> None:
        answer, expires_at = self._kept[(user_id, key)]
        self._kept[(user_id, key)] = (
            replace(answer, status=status, body=body, media_type=media_type),
            expires_at,
        )

    def release(self, user_id: int, key: str) -> None:
        self._kept.pop((user_id, key), None)


class MemoryJobQueue:
    """The job queue in a dict, with the SQL queue's behaviour (claims under a lock, so
    threads racing for a job take it once)."""

    def __init__(self) -> None:
        import threading

        self._jobs: dict[int, Job] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def queue(
        self, user_id: int, kind: str, folder: str, inputs: Sequence[JobInput], now: dt.datetime
    ) -> int:
        with self._lock:
            job_id = next(self._ids)
            self._jobs[job_id] = Job(
                job_id,
                user_id,
                kind,
                "queued",
                folder,
                tuple(inputs),
                JobProgress(files_total=len(inputs)),
                None,
                None,
                0,
                now,
            )
            return job_id

    def queue_once(self, user_id: int, kind: str, now: dt.datetime) -> int | None:
        with self._lock:
            if any(
                j.user_id == user_id and j.kind == kind and j.state in ("queued", "running")
                for j in self._jobs.values()
            ):
                return None
        return self.queue(user_id, kind, "", (), now)

    def latest(self, user_id: int, kind: str) -> Job | None:
        with self._lock:
            found = [j for j in self._jobs.values() if j.user_id == user_id and j.kind == kind]
        return max(found, key=lambda j: j.id, default=None)

    @staticmethod
    def _waiting(job: Job, now: dt.datetime) -> bool:
        expired = job.lease_until is not None and job.lease_until < now
        return job.state == "queued" or (job.state == "running" and expired)

    def claim(
        self, worker: str, now: dt.datetime, lease: dt.timedelta, *, job_id: int | None = None
    ) -> Job | None:
        with self._lock:
            for found in sorted(self._jobs):
                job = self._jobs[found]
                if (job_id is None or found == job_id) and self._waiting(job, now):
                    taken = replace(
                        job,
                        state="running",
                        lease_owner=worker,
                        lease_until=now + lease,
                        attempts=job.attempts + 1,
                        started_at=job.started_at or now,
                        progress=JobProgress(files_total=job.progress.files_total),
                    )
                    self._jobs[found] = taken
                    return taken
        return None

    def _change(self, job_id: int, worker: str, **values: Any) -> bool:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.state != "running" or job.lease_owner != worker:
                return False
            self._jobs[job_id] = replace(job, **values)
            return True

    def progress(
        self, job_id: int, worker: str, progress: JobProgress, now: dt.datetime, lease: dt.timedelta
    ) -> bool:
        with self._lock:
            kept = self._jobs.get(job_id)
        if kept is not None:  # a late write of an older count never moves progress back
            old = kept.progress
            progress = replace(
                progress,
                files_done=max(old.files_done, progress.files_done),
                files_total=max(old.files_total, progress.files_total),
                files_failed=max(old.files_failed, progress.files_failed),
                added=max(old.added, progress.added),
                merged=max(old.merged, progress.merged),
            )
        return self._change(job_id, worker, progress=progress, lease_until=now + lease)

    def finish(
        self,
        job_id: int,
        worker: str,
        progress: JobProgress,
        result: dict[str, Any],
        now: dt.datetime,
    ) -> bool:
        return self._change(
            job_id,
            worker,
            state="done",
            progress=progress,
            result=copy.deepcopy(result),
            error=None,
            finished_at=now,
            lease_owner=None,
            lease_until=None,
        )

    def fail(self, job_id: int, worker: str, error: str, now: dt.datetime, *, retry: bool) -> bool:
        state: dict[str, Any] = (
            {"state": "queued"} if retry else {"state": "failed", "finished_at": now}
        )
        return self._change(
            job_id, worker, error=error[:500], lease_owner=None, lease_until=None, **state
        )

    def get(self, user_id: int, job_id: int) -> Job | None:
        job = self._jobs.get(job_id)
        return job if job is not None and job.user_id == user_id else None

    def abandon(self, now: dt.datetime, queued_before: dt.datetime, attempts: int) -> list[Job]:
        given_up = []
        with self._lock:
            for job_id, job in sorted(self._jobs.items()):
                expired = job.lease_until is not None and job.lease_until < now
                if (job.state == "running" and expired and job.attempts >= attempts) or (
                    job.state == "queued" and job.created_at < queued_before
                ):
                    given_up.append(job)
                    self._jobs[job_id] = replace(
                        job, state="abandoned", finished_at=now, lease_owner=None, lease_until=None
                    )
        return given_up
