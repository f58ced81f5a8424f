"""Rendered pages kept in memory, keyed by the user's data revision.

The database raises a user's revision on every change to their record (migration 0011),
and the revision is read with the session, so a kept page is served only while nothing
it shows has changed — in this process or any other. The key also holds everything else a
page depends on (the day, the session's CSRF token, the role), and the store is bounded:
the least recently used page goes first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock


class KeptPages:
    def __init__(self, capacity: int = 4096) -> None:
        self.capacity = capacity
        self._pages: OrderedDict[Hashable, bytes] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable) -> bytes | None:
        with self._lock:
            body = self._pages.get(key)
            if body is not None:
                self._pages.move_to_end(key)
            return body

    def keep(self, key: Hashable, body: bytes) -> None:
        with self._lock:
            self._pages[key] = body
            self._pages.move_to_end(key)
            while len(self._pages) > self.capacity:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)
