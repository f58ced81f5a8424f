"""Pain ratings on the 0–10 numeric rating scale, as the pain-monitoring model uses them."""

from __future__ import annotations

from kneecoach.domain.errors import InvalidInput

PAIN_MIN = 0
PAIN_MAX = 10


def check_pain(value: int, what: str = "pain") -> int:
    """Accept a whole number from 0 (no pain) to 10 (worst imaginable)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{what} must be a whole number from 0 to 10, not {value!r}")
    if not PAIN_MIN <= value <= PAIN_MAX:
        raise InvalidInput(f"{what} must be from 0 to 10, not {value}")
    return value


IDEAL_PAIN_DURING = 2
ACCEPTABLE_PAIN_DURING = 5


def pain_during_band(pain: int) -> str:
    """The pain-monitoring model's band for pain during exercise: ideal, acceptable, too much.

    Pain may reach 5/10 during exercise, ideally staying at or below 2 (Silbernagel 2007;
    Thomee 1997).
    """
    check_pain(pain, "pain during the session")
    if pain <= IDEAL_PAIN_DURING:
        return "ideal"
    if pain <= ACCEPTABLE_PAIN_DURING:
        return "acceptable"
    return "too much"
