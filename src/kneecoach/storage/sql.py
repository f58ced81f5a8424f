"""The repository on SQLAlchemy Core: each public method is one transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.evidence import source_by_key
from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, Side
from kneecoach.domain.profile import Knee, Profile, StartSide
from kneecoach.domain.progression import Action, Decision, Level
from kneecoach.domain.redflags import ScreeningResult, red_flag

if TYPE_CHECKING:
    from kneecoach.domain.activity import Activity
    from kneecoach.domain.outcomes import AkpsResult
    from kneecoach.domain.return_to_run import EntryCheck
from kneecoach.services.ports import (
    Conflict,
    Screening,
    StoredActivity,
    StoredDecision,
    StoredLevel,
    StoredProfile,
    UnfinishedSession,
)
from kneecoach.storage.tables import (
    activities,
    akps_results,
    checkins,
    decisions,
    levels,
    profiles,
    rtr_checks,
    rtr_runs,
    screenings,
    session_sets,
    sessions,
    users,
)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _level(data: dict[str, Any]) -> Level:
    return Level(
        data["variant"],
        data["sets"],
        data.get("reps"),
        data.get("hold_seconds"),
        float(data.get("load_kg") or 0.0),
    )


def _stored_decision(row: Any) -> StoredDecision:
    return StoredDecision(
        id=row.id,
        decision=Decision(
            exercise=row.exercise,
            action=Action(row.action),
            before=_level(row.before),
            after=_level(row.after),
            why=row.why,
            sources=tuple(source_by_key(k) for k in row.sources),
            decided_on=row.decided_on,
            based_on=row.based_on,
        ),
        undone=row.undone,
    )


def _stored_activity(row: Any, blob: bytes | None) -> StoredActivity:
    from kneecoach.domain.activity import Activity, Lap, Samples, Sport
    from kneecoach.storage.samples_codec import unpack

    start = row.start if row.start.tzinfo else row.start.replace(tzinfo=dt.UTC)
    return StoredActivity(
        id=row.id,
        activity=Activity(
            sport=Sport(row.sport),
            start=start.astimezone(dt.UTC),
            elapsed_s=row.elapsed_s,
            moving_s=row.moving_s,
            distance_m=row.distance_m,
            ascent_m=row.ascent_m,
            avg_hr=row.avg_hr,
            max_hr=row.max_hr,
            avg_cadence=row.avg_cadence,
            samples=unpack(blob) if blob else Samples.empty(),
            laps=tuple(
                Lap(dt.datetime.fromisoformat(when), elapsed, distance)
                for when, elapsed, distance in row.laps
            ),
            name=row.name,
            indoor=row.indoor,
        ),
        sources=tuple(row.sources),
        effort=row.effort,
    )


def _set_row(session_id: int, s: LoggedSet) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "exercise": s.exercise,
        "variant": s.variant,
        "side": s.side.value,
        "set_number": s.set_number,
        "reps": s.reps,
        "hold_seconds": s.hold_seconds,
        "load_kg": s.load_kg,
    }


class SqlRepository:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # users -----------------------------------------------------------------------------
    def user_id(self, name: str) -> int:
        with self.engine.begin() as c:
            found = c.execute(sa.select(users.c.id).where(users.c.name == name)).scalar()
            if found is not None:
                return int(found)
            return int(
                c.execute(
                    users.insert().values(name=name, role="runner", created_at=_now())
                ).inserted_primary_key[0]
            )

    # profile and screening ---------------------------------------------------------------
    def profile(self, user_id: int) -> StoredProfile | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(profiles).where(profiles.c.user_id == user_id)).first()
        if row is None:
            return None
        return StoredProfile(
            profile=Profile(
                affected_knee=Knee(row.affected_knee),
                pain_at_rest=row.pain_at_rest,
                pain_running=row.pain_running,
                equipment=frozenset(Equipment(e) for e in row.equipment),
                sessions_per_week=row.sessions_per_week,
                start_date=row.start_date,
                heaviest_dumbbell_kg=row.heaviest_dumbbell_kg,
                start_side=StartSide(row.start_side),
            ),
            program_key=row.program_key,
        )

    def save_profile(self, user_id: int, stored: StoredProfile, screening: Screening) -> None:
        p = stored.profile
        values: dict[str, Any] = {
            "affected_knee": p.affected_knee.value,
            "pain_at_rest": p.pain_at_rest,
            "pain_running": p.pain_running,
            "equipment": sorted(e.value for e in p.equipment),
            "heaviest_dumbbell_kg": p.heaviest_dumbbell_kg,
            "sessions_per_week": p.sessions_per_week,
            "start_date": p.start_date,
            "program_key": stored.program_key,
            "start_side": p.start_side.value,
            "updated_at": _now(),
        }
        with self.engine.begin() as c:
            exists = c.execute(
                sa.select(profiles.c.user_id).where(profiles.c.user_id == user_id)
            ).first()
            if exists:
                c.execute(profiles.update().where(profiles.c.user_id == user_id).values(values))
            else:
                c.execute(profiles.insert().values(user_id=user_id, **values))
            self._insert_screening(c, user_id, screening)

    def add_screening(self, user_id: int, screening: Screening) -> None:
        with self.engine.begin() as c:
            self._insert_screening(c, user_id, screening)

    @staticmethod
    def _insert_screening(c: Connection, user_id: int, screening: Screening) -> None:
        c.execute(
            screenings.insert().values(
                user_id=user_id,
                taken_on=screening.taken_on,
                flagged=[f.key for f in screening.result.flagged],
                clear=screening.result.clear,
                created_at=_now(),
            )
        )

    def latest_screening(self, user_id: int) -> Screening | None:
        with self.engine.connect() as c:
            row = c.execute(
                sa.select(screenings)
                .where(screenings.c.user_id == user_id)
                .order_by(screenings.c.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        return Screening(
            taken_on=row.taken_on,
            result=ScreeningResult(flagged=tuple(red_flag(k) for k in row.flagged)),
        )

    # sessions ------------------------------------------------------------------------------
    def add_session(self, user_id: int, session: LoggedSession, *, replace: bool) -> int:
        with self.engine.begin() as c:
            self._clear_day(c, user_id, session.performed_on, replace)
            session_id = int(
                c.execute(
                    sessions.insert().values(
                        user_id=user_id,
                        performed_on=session.performed_on,
                        pain_during=session.pain_during,
                        effort=session.effort,
                        notes=session.notes,
                        created_at=_now(),
                        status="complete",
                        pain_after=session.pain_after,
                    )
                ).inserted_primary_key[0]
            )
            c.execute(session_sets.insert(), [_set_row(session_id, s) for s in session.sets])
            return session_id

    @staticmethod
    def _clear_day(c: Connection, user_id: int, day: dt.date, replace: bool) -> None:
        row = c.execute(
            sa.select(sessions.c.id, sessions.c.status).where(
                sessions.c.user_id == user_id, sessions.c.performed_on == day
            )
        ).first()
        if row is None:
            return
        if not replace:
            what = (
                "an unfinished guided session is"
                if row.status != "complete"
                else ("a session is already")
            )
            raise Conflict(f"{what} logged for {day.isoformat()}")
        c.execute(sessions.delete().where(sessions.c.id == row.id))

    def start_session(self, user_id: int, day: dt.date, *, replace: bool) -> int:
        with self.engine.begin() as c:
            self._clear_day(c, user_id, day, replace)
            return int(
                c.execute(
                    sessions.insert().values(
                        user_id=user_id,
                        performed_on=day,
                        pain_during=None,
                        notes="",
                        created_at=_now(),
                        status="unfinished",
                    )
                ).inserted_primary_key[0]
            )

    def unfinished_session(self, user_id: int) -> UnfinishedSession | None:
        with self.engine.connect() as c:
            row = c.execute(
                sa.select(sessions.c.id, sessions.c.performed_on)
                .where(sessions.c.user_id == user_id, sessions.c.status == "unfinished")
                .order_by(sessions.c.performed_on.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            sets = self._sets(c, [row.id])[row.id]
        return UnfinishedSession(row.id, row.performed_on, tuple(sets))

    def save_set(self, user_id: int, session_id: int, done: LoggedSet) -> None:
        with self.engine.begin() as c:
            self._own_unfinished(c, user_id, session_id)
            c.execute(
                session_sets.delete().where(
                    session_sets.c.session_id == session_id,
                    session_sets.c.exercise == done.exercise,
                    session_sets.c.side == done.side.value,
                    session_sets.c.set_number == done.set_number,
                )
            )
            c.execute(session_sets.insert().values(_set_row(session_id, done)))

    def finish_session(
        self, user_id: int, session_id: int, pain_during: int, effort: int | None, notes: str
    ) -> LoggedSession:
        with self.engine.begin() as c:
            day = self._own_unfinished(c, user_id, session_id)
            sets = self._sets(c, [session_id])[session_id]
            session = LoggedSession(day, pain_during, tuple(sets), effort, notes, session_id)
            c.execute(
                sessions.update()
                .where(sessions.c.id == session_id)
                .values(pain_during=pain_during, effort=effort, notes=notes, status="complete")
            )
        return session

    @staticmethod
    def _own_unfinished(c: Connection, user_id: int, session_id: int) -> dt.date:
        row = c.execute(
            sa.select(sessions.c.performed_on).where(
                sessions.c.id == session_id,
                sessions.c.user_id == user_id,
                sessions.c.status == "unfinished",
            )
        ).first()
        if row is None:
            raise Conflict(f"there is no unfinished session {session_id} of yours")
        return row.performed_on

    @staticmethod
    def _sets(c: Connection, ids: list[int]) -> dict[int, list[LoggedSet]]:
        found: dict[int, list[LoggedSet]] = {i: [] for i in ids}
        if not ids:
            return found
        for s in c.execute(
            sa.select(session_sets)
            .where(session_sets.c.session_id.in_(ids))
            .order_by(session_sets.c.id)
        ):
            found[s.session_id].append(
                LoggedSet(
                    exercise=s.exercise,
                    variant=s.variant,
                    side=Side(s.side),
                    set_number=s.set_number,
                    reps=s.reps,
                    hold_seconds=s.hold_seconds,
                    load_kg=s.load_kg,
                )
            )
        return found

    def sessions(self, user_id: int, first: dt.date, last: dt.date) -> list[LoggedSession]:
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(sessions)
                .where(
                    sessions.c.user_id == user_id,
                    sessions.c.status == "complete",
                    sessions.c.performed_on.between(first, last),
                )
                .order_by(sessions.c.performed_on)
            ).all()
            sets = self._sets(c, [r.id for r in rows])
        return [
            LoggedSession(
                performed_on=r.performed_on,
                pain_during=r.pain_during,
                effort=r.effort,
                notes=r.notes,
                sets=tuple(sets[r.id]),
                id=r.id,
                pain_after=r.pain_after,
            )
            for r in rows
        ]

    # check-ins -------------------------------------------------------------------------------
    def save_checkin(self, user_id: int, checkin: Checkin) -> Checkin | None:
        with self.engine.begin() as c:
            row = c.execute(
                sa.select(checkins.c.id, checkins.c.pain_morning, checkins.c.swelling).where(
                    checkins.c.user_id == user_id, checkins.c.date == checkin.date
                )
            ).first()
            if row is None:
                c.execute(
                    checkins.insert().values(
                        user_id=user_id,
                        date=checkin.date,
                        pain_morning=checkin.pain_morning,
                        swelling=checkin.swelling,
                        created_at=_now(),
                    )
                )
                return None
            c.execute(
                checkins.update()
                .where(checkins.c.id == row.id)
                .values(
                    pain_morning=checkin.pain_morning, swelling=checkin.swelling, created_at=_now()
                )
            )
            return Checkin(checkin.date, row.pain_morning, row.swelling)

    def checkins(self, user_id: int, first: dt.date, last: dt.date) -> list[Checkin]:
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(checkins.c.date, checkins.c.pain_morning, checkins.c.swelling)
                .where(checkins.c.user_id == user_id, checkins.c.date.between(first, last))
                .order_by(checkins.c.date)
            ).all()
        return [Checkin(r.date, r.pain_morning, r.swelling) for r in rows]

    # outcomes ----------------------------------------------------------------------------------
    def add_akps(self, user_id: int, result: AkpsResult) -> None:
        with self.engine.begin() as c:
            c.execute(
                akps_results.insert().values(
                    user_id=user_id,
                    taken_on=result.taken_on,
                    answers=list(result.answers),
                    score=result.score,
                    created_at=_now(),
                )
            )

    def akps_results(self, user_id: int) -> list[AkpsResult]:
        from kneecoach.domain.outcomes import AkpsResult

        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(akps_results.c.taken_on, akps_results.c.answers)
                .where(akps_results.c.user_id == user_id)
                .order_by(akps_results.c.taken_on, akps_results.c.id)
            ).all()
        return [AkpsResult(r.taken_on, tuple(r.answers)) for r in rows]

    # levels and decisions --------------------------------------------------------------------
    def last_akps_on(self, user_id: int) -> dt.date | None:
        with self.engine.connect() as c:
            return c.execute(
                sa.select(sa.func.max(akps_results.c.taken_on)).where(
                    akps_results.c.user_id == user_id
                )
            ).scalar()

    def levels(self, user_id: int) -> dict[str, StoredLevel]:
        with self.engine.connect() as c:
            rows = c.execute(sa.select(levels).where(levels.c.user_id == user_id)).all()
        return {
            r.exercise: StoredLevel(
                Level(r.variant, r.sets, r.reps, r.hold_seconds, r.load_kg), r.pinned
            )
            for r in rows
        }

    @staticmethod
    def _put_level(c: Connection, user_id: int, exercise: str, level: Level, pinned: bool) -> None:
        c.execute(levels.delete().where(levels.c.user_id == user_id, levels.c.exercise == exercise))
        c.execute(
            levels.insert().values(
                user_id=user_id,
                exercise=exercise,
                variant=level.variant,
                sets=level.sets,
                reps=level.reps,
                hold_seconds=level.hold_seconds,
                load_kg=level.load_kg,
                pinned=pinned,
                updated_at=_now(),
            )
        )

    def record_decisions(self, user_id: int, made: list[Decision]) -> None:
        with self.engine.begin() as c:
            for d in made:
                c.execute(
                    decisions.insert().values(
                        user_id=user_id,
                        exercise=d.exercise,
                        decided_on=d.decided_on,
                        based_on=d.based_on,
                        action=d.action.value,
                        why=d.why,
                        sources=[src.key for src in d.sources],
                        before=d.before.as_dict(),
                        after=d.after.as_dict(),
                        undone=False,
                        created_at=_now(),
                    )
                )
                pinned = c.execute(
                    sa.select(levels.c.pinned).where(
                        levels.c.user_id == user_id, levels.c.exercise == d.exercise
                    )
                ).scalar()
                self._put_level(c, user_id, d.exercise, d.after, bool(pinned))

    def decisions(self, user_id: int) -> list[StoredDecision]:
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(decisions).where(decisions.c.user_id == user_id).order_by(decisions.c.id)
            ).all()
        return [_stored_decision(r) for r in rows]

    def undo_last_decision(self, user_id: int) -> StoredDecision | None:
        with self.engine.begin() as c:
            row = c.execute(
                sa.select(decisions)
                .where(decisions.c.user_id == user_id, decisions.c.undone == sa.false())
                .order_by(decisions.c.id.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            c.execute(decisions.update().where(decisions.c.id == row.id).values(undone=True))
            stored = _stored_decision(row)
            pinned = c.execute(
                sa.select(levels.c.pinned).where(
                    levels.c.user_id == user_id, levels.c.exercise == row.exercise
                )
            ).scalar()
            self._put_level(c, user_id, row.exercise, stored.decision.before, bool(pinned))
        return StoredDecision(stored.id, stored.decision, undone=True)

    def set_level(self, user_id: int, exercise: str, stored: StoredLevel) -> None:
        with self.engine.begin() as c:
            self._put_level(c, user_id, exercise, stored.level, stored.pinned)

    # activities --------------------------------------------------------------------------------
    def add_activities(self, user_id: int, found: list[tuple[Activity, str]]) -> tuple[int, int]:
        from kneecoach.storage.samples_codec import pack

        added = skipped = 0
        with self.engine.begin() as c:
            for activity, source in found:
                row = c.execute(
                    sa.select(activities.c.id, activities.c.sources).where(
                        activities.c.user_id == user_id,
                        activities.c.fingerprint == activity.fingerprint,
                    )
                ).first()
                if row is not None:
                    if source not in row.sources:
                        c.execute(
                            activities.update()
                            .where(activities.c.id == row.id)
                            .values(sources=[*row.sources, source])
                        )
                    skipped += 1
                    continue
                c.execute(
                    activities.insert().values(
                        user_id=user_id,
                        fingerprint=activity.fingerprint,
                        sport=activity.sport.value,
                        start=activity.start,
                        day=activity.start.date(),
                        elapsed_s=activity.elapsed_s,
                        moving_s=activity.moving_s,
                        distance_m=activity.distance_m,
                        ascent_m=activity.ascent_m,
                        avg_hr=activity.avg_hr,
                        max_hr=activity.max_hr,
                        avg_cadence=activity.avg_cadence,
                        indoor=activity.indoor,
                        name=activity.name[:200],
                        sources=[source],
                        laps=[
                            [lap.start.isoformat(), lap.elapsed_s, lap.distance_m]
                            for lap in activity.laps
                        ],
                        samples=pack(activity.samples) if len(activity.samples) else None,
                        created_at=_now(),
                    )
                )
                added += 1
        return added, skipped

    def activities(self, user_id: int) -> list[StoredActivity]:
        columns = [c for c in activities.c if c.name not in ("samples",)]
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(*columns)
                .where(activities.c.user_id == user_id)
                .order_by(activities.c.start, activities.c.id)
            ).all()
        return [_stored_activity(r, None) for r in rows]

    def activity(self, user_id: int, activity_id: int) -> StoredActivity | None:
        with self.engine.connect() as c:
            row = c.execute(
                sa.select(activities).where(
                    activities.c.user_id == user_id, activities.c.id == activity_id
                )
            ).first()
        return None if row is None else _stored_activity(row, row.samples)

    def set_activity_effort(self, user_id: int, activity_id: int, effort: int) -> bool:
        with self.engine.begin() as c:
            done = c.execute(
                activities.update()
                .where(activities.c.user_id == user_id, activities.c.id == activity_id)
                .values(effort=effort)
            )
            return bool(done.rowcount)

    # return to run -----------------------------------------------------------------------------
    def add_entry_check(self, user_id: int, check: EntryCheck) -> None:
        with self.engine.begin() as c:
            c.execute(
                rtr_checks.insert().values(
                    user_id=user_id,
                    taken_on=check.taken_on,
                    brisk_walk=check.brisk_walk_30_min,
                    squats=check.single_leg_squats,
                    hops=check.single_leg_hops,
                    test_pain=check.test_pain,
                    created_at=_now(),
                )
            )

    def latest_entry_check(self, user_id: int) -> EntryCheck | None:
        with self.engine.connect() as c:
            row = c.execute(
                sa.select(rtr_checks)
                .where(rtr_checks.c.user_id == user_id)
                .order_by(rtr_checks.c.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        from kneecoach.domain.return_to_run import EntryCheck

        return EntryCheck(row.taken_on, row.brisk_walk, row.squats, row.hops, row.test_pain)

    def log_stage_run(self, user_id: int, day: dt.date, stage: int) -> None:
        with self.engine.begin() as c:
            c.execute(rtr_runs.delete().where(rtr_runs.c.user_id == user_id, rtr_runs.c.day == day))
            c.execute(
                rtr_runs.insert().values(user_id=user_id, day=day, stage=stage, created_at=_now())
            )

    def stage_runs(self, user_id: int) -> list[tuple[dt.date, int]]:
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(rtr_runs.c.day, rtr_runs.c.stage)
                .where(rtr_runs.c.user_id == user_id)
                .order_by(rtr_runs.c.day)
            ).all()
        return [(r.day, r.stage) for r in rows]

    # backup ----------------------------------------------------------------------------------
    def export_backup(self, user_id: int, now: dt.datetime) -> dict[str, Any]:
        from kneecoach.storage.backup import export_user

        return export_user(self.engine, user_id, now)

    def restore_backup(self, user_id: int, document: Any) -> dict[str, dict[str, int]]:
        from kneecoach.storage.backup import restore_user

        report = restore_user(self.engine, user_id, document)
        return {"added": report.added, "skipped": report.skipped}
