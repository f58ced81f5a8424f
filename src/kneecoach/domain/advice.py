"""Advice shown to a person, always with the sources that back it."""

from __future__ import annotations

from dataclasses import dataclass

from kneecoach.domain.evidence import Source


@dataclass(frozen=True, slots=True)
class Advice:
    text: str
    sources: tuple[Source, ...]

    def __post_init__(self) -> None:
        if not self.sources:
            raise ValueError(f"advice without a source: {self.text!r}")
        # each source once, in the order first given: "[seed; default]", not "[seed; default;
        # default]" when two adjustments cite the same default
        object.__setattr__(self, "sources", tuple(dict.fromkeys(self.sources)))

    @property
    def cited(self) -> str:
        return "; ".join(source.citation for source in self.sources)

    @property
    def cited_in_full(self) -> str:
        """The citations with each source's note (as 'advice to see a clinician, not a
        diagnosis'): what every face shows under a red-flag screen."""
        return "; ".join(source.short() for source in self.sources)

    @property
    def labels(self) -> str:
        return "; ".join(source.label for source in self.sources)
