"""Whole numbers as people and files write them: ASCII digits and nothing else.

``str.isdigit`` also says yes to '²', which ``int`` then refuses with a ValueError, and to
'٣', which ``int`` reads as 3. Every place that turns typed or received text into a count
asks :func:`ascii_digits` first, so such text is refused as the input it is, never a crash
and never a number nobody typed.
"""

from __future__ import annotations


def ascii_digits(text: str) -> bool:
    """True when ``text`` is one or more of the digits 0-9 and nothing else."""
    return text.isascii() and text.isdigit()
