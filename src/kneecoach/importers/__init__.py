"""Importers: bytes in, :class:`kneecoach.domain.activity.Activity` out — nothing else.

They never touch the database or the settings; a bad file raises :class:`ImportFailure`
with a reason a person can act on.
"""

from kneecoach.importers.detect import read_activities
from kneecoach.importers.errors import ImportFailure

__all__ = ["ImportFailure", "read_activities"]
