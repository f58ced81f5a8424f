"""The runner's profile and red-flag screenings, in SQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.profile import Knee, Profile, StartSide
from kneecoach.domain.redflags import ScreeningResult, red_flag
from kneecoach.services.ports import Screening, StoredProfile
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.tables import care, profiles, screenings

# read on every request that plans or writes a runner's day: built once
_PROFILE = sa.select(profiles).where(profiles.c.user_id == sa.bindparam("user"))
_LATEST_SCREENING = (
    sa.select(screenings)
    .where(screenings.c.user_id == sa.bindparam("user"))
    .order_by(screenings.c.id.desc())
    .limit(1)
)
_SCREENINGS = (
    sa.select(screenings)
    .where(screenings.c.user_id == sa.bindparam("user"))
    .order_by(screenings.c.id)
)
_FOLLOWED = sa.select(care.c.runner_id).where(care.c.runner_id == sa.bindparam("user")).limit(1)
"""Built once, like the screening's: every check-in answers with whether a clinician
follows the runner."""


class SqlProfileStore(RoleStore):
    def get(self) -> StoredProfile | None:
        with self._connections.reading() as c:
            row = c.execute(_PROFILE, {"user": self._user_id}).first()
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

    def save(self, stored: StoredProfile, screening: Screening) -> None:
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
            "updated_at": self._clock.now(),
        }
        mine = profiles.c.user_id == self._user_id
        with self._connections.transaction() as c:
            if c.execute(sa.select(profiles.c.user_id).where(mine)).first():
                c.execute(profiles.update().where(mine).values(values))
            else:
                c.execute(profiles.insert().values(user_id=self._user_id, **values))
            self._insert_screening(c, screening)

    def add_screening(self, screening: Screening) -> None:
        with self._connections.transaction() as c:
            self._insert_screening(c, screening)

    def _insert_screening(self, c: Connection, screening: Screening) -> None:
        c.execute(
            screenings.insert().values(
                user_id=self._user_id,
                taken_on=screening.taken_on,
                flagged=[f.key for f in screening.result.flagged],
                clear=screening.result.clear,
                created_at=self._clock.now(),
                age_band=screening.age_band,
                lifted_by=screening.lifted_by,
                seen_clinician_on=screening.seen_clinician_on,
            )
        )

    def screenings(self) -> list[Screening]:
        with self._connections.reading() as c:
            rows = c.execute(_SCREENINGS, {"user": self._user_id}).all()
        return [_screening(row) for row in rows]

    def latest_screening(self) -> Screening | None:
        with self._connections.reading() as c:
            row = c.execute(_LATEST_SCREENING, {"user": self._user_id}).first()
        return None if row is None else _screening(row)

    def followed_by_clinician(self) -> bool:
        with self._connections.reading() as c:
            found = c.execute(_FOLLOWED, {"user": self._user_id}).first()
        return found is not None


def _screening(row: Any) -> Screening:
    return Screening(
        taken_on=row.taken_on,
        # an unanswered screen is kept as neither clear nor flagged
        result=ScreeningResult(
            flagged=tuple(red_flag(k) for k in row.flagged),
            answered=bool(row.clear or row.flagged),
        ),
        age_band=row.age_band,
        lifted_by=row.lifted_by,
        seen_clinician_on=row.seen_clinician_on,
    )
