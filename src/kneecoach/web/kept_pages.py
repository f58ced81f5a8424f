"""Rendered pages kept in memory, keyed by the user's data revision (read with the
session), so a kept page is served only while nothing it shows has changed — in this
process or any other. The key also holds the day, the session's CSRF token and the role.
"""

from __future__ import annotations

from kneecoach.services.kept import Kept


class KeptPages(Kept[bytes]):
    def __init__(self, capacity: int = 4096) -> None:
        super().__init__(capacity)
