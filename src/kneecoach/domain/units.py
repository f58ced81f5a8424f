"""Distances in the unit a runner reads them in: kilometres or miles.

Activities are kept in metres, as every device records them; a runner who thinks in miles
sees miles and minutes per mile everywhere, so the conversion lives here, once.
"""

from __future__ import annotations

from enum import StrEnum

from kneecoach.domain.errors import InvalidInput


class DistanceUnit(StrEnum):
    KM = "km"
    MI = "mi"

    @classmethod
    def parse(cls, text: str) -> DistanceUnit:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise InvalidInput(f"distances are shown in km or mi, not '{text}'") from None

    @property
    def metres(self) -> float:
        """Metres in one of this unit (the international mile: 1609.344 m)."""
        return 1000.0 if self is DistanceUnit.KM else 1609.344

    @property
    def pace_label(self) -> str:
        return f"min/{self.value}"

    def of(self, metres: float) -> float:
        """``metres`` in this unit."""
        return metres / self.metres

    def pace(self, seconds: float, metres: float) -> float | None:
        """Seconds per unit of distance over ``metres`` in ``seconds``; None without a
        distance or a time (a file that recorded no time has no pace, not a pace of 0)."""
        return seconds / self.of(metres) if metres > 0 and seconds > 0 else None
