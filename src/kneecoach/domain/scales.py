"""Bands on a rating scale: a range, what it means and where it comes from.

A chart shades the band that the rule behind it uses, and labels it with the rule's words,
so a reader sees the same threshold the program judges by, with its source beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from kneecoach.domain.evidence import Source


@dataclass(frozen=True, slots=True)
class ScaleBand:
    """From ``low`` to ``high`` (both included) on a scale, and what a value there means."""

    low: float
    high: float
    label: str
    sources: tuple[Source, ...]

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(f"a band from {self.low} down to {self.high}: {self.label!r}")
        if not self.sources:
            raise ValueError(f"a band without a source: {self.label!r}")
