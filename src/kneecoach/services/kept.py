"""What a process keeps in memory of a user's record, keyed by their data revision.

The database raises a user's revision on every change to their record (migration 0011),
whoever writes it and in whichever process, so a value kept under a key holding the
revision is used only while nothing it was made from has changed. The key also holds
whatever else the value depends on (the day, the preferences, a page's token). The store
is bounded — the least recently used value goes first — and safe across threads.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from threading import Lock
from typing import Generic, TypeVar

T = TypeVar("T")


class Kept(Generic[T]):
    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._values: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable) -> T | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def keep(self, key: Hashable, value: T) -> None:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.capacity:
                self._values.popitem(last=False)

    def clear(self) -> None:
        """Forget every value (each is made anew when next asked for)."""
        with self._lock:
            self._values.clear()

    def __len__(self) -> int:
        return len(self._values)
