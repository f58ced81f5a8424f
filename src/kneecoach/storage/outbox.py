"""The outbox on the database: emails queued by the write that caused them, claimed by one
sender at a time, kept after sending (with when) so a notice can be shown as sent."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kneecoach.services.ports import Mail, QueuedMail
from kneecoach.storage.tables import outbox


def queue_on(c: Connection, mail: Mail, now: dt.datetime) -> None:
    """Queue a message on a connection, in whatever transaction it is in."""
    c.execute(
        outbox.insert().values(
            to_address=mail.to,
            subject=mail.subject[:200],
            body=mail.body,
            queued_at=now,
            next_try_at=now,
            attempts=0,
        )
    )


class SqlOutbox:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def queue(self, mail: Mail, now: dt.datetime) -> None:
        with self.engine.begin() as c:
            queue_on(c, mail, now)

    def claim_due(self, now: dt.datetime, hold: dt.timedelta, limit: int) -> list[QueuedMail]:
        """Each due message is claimed by a conditional update: of two senders racing for
        it, only the one whose update changed the row sends it."""
        free = sa.or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now)
        due = sa.and_(
            outbox.c.sent_at.is_(None),
            outbox.c.given_up_at.is_(None),
            outbox.c.next_try_at <= now,
            free,
        )
        claimed = []
        with self.engine.begin() as c:
            rows = c.execute(
                sa.select(outbox).where(due).order_by(outbox.c.next_try_at).limit(limit)
            ).all()
            for row in rows:
                taken = c.execute(
                    outbox.update()
                    .where(outbox.c.id == row.id, due)
                    .values(claimed_until=now + hold)
                ).rowcount
                if taken:
                    claimed.append(
                        QueuedMail(
                            row.id, Mail(row.to_address, row.subject, row.body), row.attempts
                        )
                    )
        return claimed

    def sent(self, mail_id: int, now: dt.datetime) -> None:
        with self.engine.begin() as c:
            c.execute(
                outbox.update()
                .where(outbox.c.id == mail_id)
                .values(sent_at=now, claimed_until=None, last_error=None)
            )

    def failed(
        self, mail_id: int, error: str, now: dt.datetime, next_try: dt.datetime | None
    ) -> None:
        values: dict[str, object] = {
            "attempts": outbox.c.attempts + 1,
            "claimed_until": None,
            "last_error": error[:500],
        }
        if next_try is None:
            values["given_up_at"] = now
        else:
            values["next_try_at"] = next_try
        with self.engine.begin() as c:
            c.execute(outbox.update().where(outbox.c.id == mail_id).values(**values))

    def counts(self) -> dict[str, int]:
        waiting = sa.and_(outbox.c.sent_at.is_(None), outbox.c.given_up_at.is_(None))
        with self.engine.connect() as c:
            sent, waits, given_up = c.execute(
                sa.select(
                    sa.func.count().filter(outbox.c.sent_at.is_not(None)),
                    sa.func.count().filter(waiting),
                    sa.func.count().filter(outbox.c.given_up_at.is_not(None)),
                )
            ).one()
        return {"waiting": waits, "sent": sent, "given_up": given_up}
