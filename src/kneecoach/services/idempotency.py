"""Idempotency keys on the API's POSTs: a client that sends ``Idempotency-Key`` with a
request may send it again (after a timeout, a dropped connection) and gets the first
answer back — the same status and body — without anything being stored twice.

Keys are per account and kept for :data:`KEPT_FOR`. The same key with a different request
is refused (:class:`KeyReused`, 422), and a retry that arrives while the first request is
still being answered is told so (:class:`StillAnswering`, 409). An answer of 500 or more is
not kept: the claim is released, so a retry runs again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.ports import Conflict, IdempotencyStore

KEPT_FOR = dt.timedelta(hours=24)
"""How long a key and its answer are kept (kneecoach default: a day covers any client's
retries, as in the IETF Idempotency-Key draft's examples)."""
LONGEST_KEY = 255
HEADER = "Idempotency-Key"


class KeyReused(InvalidInput):
    """The key was sent before with a different request."""


class StillAnswering(Conflict):
    """The first request with this key has not been answered yet."""


@dataclass(frozen=True, slots=True)
class Replay:
    """The answer given the first time, to give again."""

    status: int
    body: bytes
    media_type: str


def checked_key(key: str) -> str:
    """A key as sent: 1 to 255 visible ASCII characters (a UUID, say)."""
    if not 1 <= len(key) <= LONGEST_KEY or not all("!" <= ch <= "~" for ch in key):
        raise InvalidInput(
            f"{HEADER} must be 1 to {LONGEST_KEY} visible ASCII characters (a UUID, say)"
        )
    return key


def fingerprint(method: str, path: str, query: bytes, body: bytes) -> str:
    """A digest of everything that makes a request what it is."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query, body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def begin(
    store: IdempotencyStore, user_id: int, key: str, digest: str, now: dt.datetime
) -> Replay | None:
    """None: the request is the key's first, and runs (then :func:`finish`); a Replay: the
    answer to give again. KeyReused or StillAnswering otherwise."""
    kept = store.claim(user_id, key, digest, now, now + KEPT_FOR)
    if kept is None:
        return None
    if kept.fingerprint != digest:
        raise KeyReused(
            f"this {HEADER} was sent before with a different request: use a new key for a "
            "new request"
        )
    if kept.status is None or kept.body is None:
        raise StillAnswering(
            f"the first request with this {HEADER} is still being answered: retry in a moment"
        )
    return Replay(kept.status, kept.body, kept.media_type or "application/json")


def finish(
    store: IdempotencyStore, user_id: int, key: str, status: int, body: bytes, media_type: str
) -> None:
    """Keep the answer for retries; an answer of 500 or more is not kept (a retry runs)."""
    if status >= 500:
        store.release(user_id, key)
    else:
        store.keep(user_id, key, status, body, media_type)


def abandon(store: IdempotencyStore, user_id: int, key: str) -> None:
    """The request failed before it was answered: forget the key, so a retry runs."""
    store.release(user_id, key)
